"""Schema versions: migrations build the declared schema, an upgrade from version 1 keeps every class."""

from __future__ import annotations

import threading
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from vision_core.classroom import SCHEMA_VERSION, StoreUnavailable, make_engine, migrate, open_store
from vision_core.classroom.keys import hash_key, token_digest
from vision_core.classroom.schema import MIGRATIONS, metadata, schema_version
from vision_core.errors import BadInput


def _shape(engine):
    """Per table: column names, and the column tuples of unique and plain indexes."""
    insp = sa.inspect(engine)
    out = {}
    for table in sorted(t for t in insp.get_table_names() if t != "schema_version"):
        idx = {(tuple(i["column_names"]), bool(i["unique"])) for i in insp.get_indexes(table)}
        idx |= {(tuple(u["column_names"]), True) for u in insp.get_unique_constraints(table)}
        out[table] = ({c["name"] for c in insp.get_columns(table)}, idx)
    return out


def test_migrations_build_the_declared_schema(db_url):
    engine = make_engine(db_url)
    assert migrate(engine) == SCHEMA_VERSION == MIGRATIONS[-1].version
    assert [m.version for m in MIGRATIONS] == list(range(1, SCHEMA_VERSION + 1))
    declared = {}
    for t in metadata.sorted_tables:
        idx = {(tuple(c.name for c in i.columns), bool(i.unique)) for i in t.indexes}
        idx |= {(tuple(c.name for c in u.columns), True) for u in t.constraints if isinstance(u, sa.UniqueConstraint)}
        declared[t.name] = ({c.name for c in t.columns}, idx)
    assert _shape(engine) == declared
    with engine.connect() as c:
        assert [r.version for r in c.execute(sa.select(schema_version).order_by(schema_version.c.version))] == \
            list(range(1, SCHEMA_VERSION + 1))
    assert migrate(engine) == SCHEMA_VERSION  # running again changes nothing
    engine.dispose()


def test_upgrade_from_version_1_keeps_every_class(db_url):
    engine = make_engine(db_url)
    assert migrate(engine, target=1) == 1
    t0 = datetime(2026, 9, 1, 8, 0, tzinfo=timezone.utc)
    keys = {}
    with engine.begin() as c:  # a version-1 database as the first release wrote it
        for cid, (name, code) in enumerate([("Vision 101", "AAAABBBB"), ("Robert'); DROP TABLE x;--", "CCCCDDDD"),
                                            ("Empty class", "EEEEFFFF")], start=1):
            keys[cid] = f"teacher-key-{cid}-" + "k" * 20
            c.execute(sa.text("INSERT INTO classes (id, name, join_code, teacher_key_hash, created_at) "
                              "VALUES (:i, :n, :c, :h, :t)"),
                      dict(i=cid, n=name, c=code, h=hash_key(keys[cid]), t=t0))
        people = [(1, 1, "Ana"), (2, 1, "ana"), (3, 1, "Bo"), (4, 2, "Ana")]  # two "Ana" in class 1 (v1 allowed it)
        for sid, cid, name in people:
            c.execute(sa.text("INSERT INTO students (id, class_id, display_name, token_hash, created_at) "
                              "VALUES (:i, :c, :n, :h, :t)"),
                      dict(i=sid, c=cid, n=name, h=token_digest(f"token-{sid}-" + "t" * 20), t=t0 + timedelta(minutes=sid)))
        subs = [(1, "conv_blur", 0.5), (1, "conv_blur", 0.75), (2, "conv_blur", 0.9), (3, "stride_keep28", 1.0),
                (4, "conv_blur", 0.25)]
        for n, (sid, ch, score) in enumerate(subs, start=1):
            c.execute(sa.text("INSERT INTO submissions (id, student_id, challenge_id, score, link, created_at) "
                              "VALUES (:i, :s, :ch, :sc, :l, :t)"),
                      dict(i=n, s=sid, ch=ch, sc=score, l=f"?challenge={ch}&n={n}", t=t0 + timedelta(hours=1, minutes=n)))
    if engine.dialect.name == "postgresql":  # explicit ids leave the sequences behind, as a restore would
        with engine.begin() as c:
            for t in ("classes", "students", "submissions"):
                c.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT max(id) FROM {t}))")
    engine.dispose()

    store = open_store(db_url)  # the new app opens the old database: upgraded in place
    with store.engine.connect() as c:
        assert c.execute(sa.select(sa.func.max(schema_version.c.version))).scalar() == SCHEMA_VERSION
    t1 = store.table(1, keys[1])
    assert (t1.name, t1.join_code, t1.closed) == ("Vision 101", "AAAABBBB", False)
    assert [r.display_name for r in t1.rows] == ["Ana", "ana", "Bo"]  # both Anas kept
    assert [t1.rows[0].best["conv_blur"].score, t1.rows[1].best["conv_blur"].score] == [0.75, 0.9]
    assert t1.rows[0].best["conv_blur"].link == "?challenge=conv_blur&n=2"
    assert t1.rows[2].best["stride_keep28"].score == 1.0
    t2 = store.table(2, keys[2])
    assert t2.name == "Robert'); DROP TABLE x;--" and t2.score("Ana", "conv_blur") == 0.25
    assert store.table(3, keys[3]).rows == ()
    # old student links still work and can submit (with nonces now); names are unique from now on
    tok = "token-1-" + "t" * 20
    assert store.student(tok).display_name == "Ana"
    n = uuid.uuid4().hex
    assert not store.submit(tok, "conv_blur", 0.8, "?challenge=conv_blur", n).replayed
    assert store.submit(tok, "conv_blur", 0.8, "?challenge=conv_blur", n).replayed
    with pytest.raises(BadInput, match="already uses the name"):
        store.join("AAAABBBB", "ANA")
    assert store.join("EEEEFFFF", "Cy")
    store.close(1, keys[1])
    assert store.table(1, keys[1]).closed
    store.dispose()


def test_newer_database_is_refused_and_left_alone(db_url):
    engine = make_engine(db_url)
    migrate(engine)
    with engine.begin() as c:
        c.execute(schema_version.insert().values(version=SCHEMA_VERSION + 1, description="from the future",
                                                 applied_at=datetime.now(timezone.utc)))
    with pytest.raises(StoreUnavailable, match=f"schema version {SCHEMA_VERSION + 1}, newer than this app"):
        open_store(db_url)
    with engine.connect() as c:
        assert c.execute(sa.select(sa.func.count()).select_from(schema_version)).scalar() == SCHEMA_VERSION + 1
    engine.dispose()


def test_foreign_tables_are_refused(db_url):
    engine = make_engine(db_url)
    with engine.begin() as c:
        c.exec_driver_sql("CREATE TABLE classes (id INTEGER PRIMARY KEY, title TEXT)")
    engine.dispose()
    with pytest.raises(StoreUnavailable, match="tables this app did not make"):
        open_store(db_url)


def test_replicas_starting_together_migrate_once(db_url):
    stores, errors = [], []

    def start():
        try:
            stores.append(open_store(db_url))
        except Exception as e:  # noqa: BLE001 — collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(stores) == 4
    with stores[0].engine.connect() as c:
        assert [r.version for r in c.execute(sa.select(schema_version).order_by(schema_version.c.version))] == \
            list(range(1, SCHEMA_VERSION + 1))
    for s in stores:
        s.dispose()
