"""The teacher key never appears in a log line, an error message, a repr or the database; students' tokens neither."""

from __future__ import annotations

import logging
import os
import uuid

import pytest
import sqlalchemy as sa

from vision_core.classroom import ClassroomError, open_store
from vision_core.classroom.schema import classes, students, submissions
from vision_core.errors import VisionCoreError


def _texts(exc: BaseException) -> list[str]:
    """The message, repr and args of an exception and of everything it chains to."""
    out, seen = [], set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        out += [str(exc), repr(exc), *map(repr, exc.args)]
        exc = exc.__cause__ or exc.__context__
    return out


def test_teacher_key_absent_from_logs_errors_and_storage(db_url, clock, caplog):
    caplog.set_level(logging.DEBUG)  # everything, SQLAlchemy's statement log included
    for name in ("sqlalchemy.engine", "sqlalchemy.pool", "vision_core.classroom"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        store = open_store(db_url, clock=clock)
        a = store.create_class("A")
        b = store.create_class("B")
        secrets = [a.teacher_key, b.teacher_key]
        tokens = [store.join(a.join_code, "Ana"), store.join(b.join_code, "Bo")]
        store.submit(tokens[0], "conv_blur", 0.5, "?challenge=conv_blur", uuid.uuid4().hex)
        for cid, key in [(a.class_id, a.teacher_key), (b.class_id, b.teacher_key)]:
            store.table(cid, key)
            store.csv(cid, key)
            store.attempts(cid, key)
        errors: list[BaseException] = []
        # every refusal a key can meet: another class's key, a key with a typo, a key sent as a class code
        attempts = [lambda: store.table(a.class_id, b.teacher_key),
                    lambda: store.table(b.class_id, a.teacher_key),
                    lambda: store.close(a.class_id, a.teacher_key[:-1]),
                    lambda: store.reset(a.class_id + 99, a.teacher_key),
                    lambda: store.table(str(a.class_id), a.teacher_key),
                    lambda: store.join(a.teacher_key, "Eve"),
                    lambda: store.join(a.join_code, a.teacher_key + "\x00"),
                    lambda: store.submit(a.teacher_key, "conv_blur", 1.0, "?x=1", uuid.uuid4().hex),
                    lambda: store.submit(tokens[0], "conv_blur", 1.0, "?k=" + a.teacher_key + " ", uuid.uuid4().hex),
                    lambda: store.submit(tokens[0], a.teacher_key, 1.0, "?x=1", uuid.uuid4().hex),
                    lambda: store.submit(tokens[0], "conv_blur", 1.0, "?x=1", a.teacher_key + "!")]
        for attempt in attempts:
            with pytest.raises(VisionCoreError) as e:
                attempt()
            errors.append(e.value)
        assert all(isinstance(e, (ClassroomError, VisionCoreError)) for e in errors)
        reprs = [repr(a), str(a), repr(b)]
        with store.engine.connect() as conn:
            rows = [tuple(r) for t in (classes, students, submissions) for r in conn.execute(sa.select(t))]
        store.dispose()
    finally:
        for name in ("sqlalchemy.engine", "sqlalchemy.pool", "vision_core.classroom"):
            logging.getLogger(name).setLevel(logging.NOTSET)

    lines = [r.getMessage() for r in caplog.records] + [r.exc_text or "" for r in caplog.records]
    assert any("teacher key refused" in line for line in lines)  # the refusals were logged …
    assert any("SELECT" in line for line in lines)  # … and so were the statements
    error_texts = [t for e in errors for t in _texts(e)]
    stored = [repr(v) for row in rows for v in row]
    for secret in secrets:
        for where, texts in (("log", lines), ("error", error_texts), ("repr", reprs), ("database", stored)):
            leaks = [t for t in texts if secret in t or secret[:12] in t]
            assert not leaks, f"teacher key found in {where}: {leaks[:1]}"
    for token in tokens:  # students' tokens are stored as SHA-256 only and never logged either
        assert not [t for t in lines + stored if token in t]
    if db_url.startswith("sqlite"):
        path = db_url.removeprefix("sqlite:///")
        raw = b"".join(open(p, "rb").read() for p in (path, path + "-wal") if os.path.exists(p))
        assert all(s.encode() not in raw for s in secrets + tokens)
