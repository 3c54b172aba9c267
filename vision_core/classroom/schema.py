"""The classroom schema (SQLAlchemy Core) and its migrations, written in code and applied in order.

``schema_version`` holds one row per applied migration ``(version, description, applied_at)``; the
database's version is the largest. ``migrate(engine)`` brings any database (empty or older) to
``LATEST``, one transaction per migration (its DDL, data fix-ups and version row commit together), under a
lock: ``pg_advisory_xact_lock`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite, so two app replicas starting
at once never migrate twice. A database newer than this app is refused (``StoreUnavailable``), never touched.

Versions:

1. ``classes(id, name, join_code, teacher_key_hash, created_at)``,
   ``students(id, class_id, display_name, token_hash, created_at)``,
   ``submissions(id, student_id, challenge_id, score, link, created_at)``.
2. ``classes.closed`` (false for existing classes); ``submissions.nonce`` and ``session_id`` (NULL for old
   rows), a unique index on ``(student_id, nonce)`` for replay refusal, indexes for the rate limit.
3. ``students.name_key`` (case-folded display name) with a unique index on ``(class_id, name_key)``;
   existing students are back-filled, and a name that already occurs twice in a class keeps both
   students (the later ones get a key suffixed ``#<id>``).

The ``Table`` objects below describe the latest schema and are used for queries; the migrations, not
``create_all``, create it (``tests/classroom/test_schema.py`` checks that the two agree).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .errors import StoreUnavailable
from .validate import name_key

__all__ = ["LATEST", "MIGRATIONS", "classes", "current_version", "metadata", "migrate", "students", "submissions"]

metadata = sa.MetaData()

classes = sa.Table(
    "classes", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("join_code", sa.String(16), nullable=False, unique=True),
    sa.Column("teacher_key_hash", sa.String(200), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("closed", sa.Boolean, nullable=False, server_default=sa.false()),
)

students = sa.Table(
    "students", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("class_id", sa.Integer, sa.ForeignKey("classes.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("display_name", sa.String(200), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("name_key", sa.String(260), nullable=True),  # always written by the store (v3)
    sa.Index("ux_students_class_name", "class_id", "name_key", unique=True),
)

submissions = sa.Table(
    "submissions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("student_id", sa.Integer, sa.ForeignKey("students.id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("challenge_id", sa.String(64), nullable=False),
    sa.Column("score", sa.Double, nullable=False),
    sa.Column("link", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("nonce", sa.String(64), nullable=True),
    sa.Column("session_id", sa.String(64), nullable=True),
    sa.Index("ux_submissions_student_nonce", "student_id", "nonce", unique=True),
    sa.Index("ix_submissions_student_time", "student_id", "created_at"),
    sa.Index("ix_submissions_session_time", "session_id", "created_at"),
)

schema_version = sa.Table(
    "schema_version", sa.MetaData(),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", sa.String(200), nullable=False),
    sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
)


def _v1(conn: Connection) -> None:
    """The first schema, frozen here as it was released (never edit: later versions are new migrations)."""
    md = sa.MetaData()
    sa.Table(
        "classes", md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("join_code", sa.String(16), nullable=False, unique=True),
        sa.Column("teacher_key_hash", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    sa.Table(
        "students", md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("class_id", sa.Integer, sa.ForeignKey("classes.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    sa.Table(
        "submissions", md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("student_id", sa.Integer, sa.ForeignKey("students.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("challenge_id", sa.String(64), nullable=False),
        sa.Column("score", sa.Double, nullable=False),
        sa.Column("link", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    md.create_all(conn, checkfirst=False)


def _v2(conn: Connection) -> None:
    false = "false" if conn.dialect.name == "postgresql" else "0"
    conn.exec_driver_sql(f"ALTER TABLE classes ADD COLUMN closed BOOLEAN NOT NULL DEFAULT {false}")
    conn.exec_driver_sql("ALTER TABLE submissions ADD COLUMN nonce VARCHAR(64)")
    conn.exec_driver_sql("ALTER TABLE submissions ADD COLUMN session_id VARCHAR(64)")
    conn.exec_driver_sql("CREATE UNIQUE INDEX ux_submissions_student_nonce ON submissions (student_id, nonce)")
    conn.exec_driver_sql("CREATE INDEX ix_submissions_student_time ON submissions (student_id, created_at)")
    conn.exec_driver_sql("CREATE INDEX ix_submissions_session_time ON submissions (session_id, created_at)")


def _v3(conn: Connection) -> None:
    conn.exec_driver_sql("ALTER TABLE students ADD COLUMN name_key VARCHAR(260)")
    seen: set[tuple[int, str]] = set()
    rows = conn.execute(sa.text("SELECT id, class_id, display_name FROM students ORDER BY id")).all()
    for sid, cid, display in rows:
        key = name_key(display)
        if (cid, key) in seen:
            key = f"{key}#{sid}"
        seen.add((cid, key))
        conn.execute(sa.text("UPDATE students SET name_key = :k WHERE id = :i"), {"k": key, "i": sid})
    conn.exec_driver_sql("CREATE UNIQUE INDEX ux_students_class_name ON students (class_id, name_key)")


@dataclass(frozen=True)
class Migration:
    """One step: ``apply`` takes the schema from ``version - 1`` to ``version`` inside a transaction."""

    version: int
    description: str
    apply: Callable[[Connection], None]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "classes, students, submissions", _v1),
    Migration(2, "closed classes; submission nonce and session id; rate-limit indexes", _v2),
    Migration(3, "display names unique per class (case-folded name_key)", _v3),
)
LATEST = MIGRATIONS[-1].version

_LOCK_ID = 0x0D71C1A55  # pg_advisory_xact_lock key of this app's migrations


def current_version(conn: Connection) -> int:
    """The schema version of the database (0 when it has no ``schema_version`` table: empty or not ours)."""
    if not sa.inspect(conn).has_table("schema_version"):
        return 0
    return int(conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar() or 0)


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_ID})


def migrate(engine: Engine, target: int = LATEST) -> int:
    """Apply every pending migration up to ``target``; returns the version reached.

    ``engine`` should come from ``vision_core.classroom.engine.make_engine`` (SQLite transactions there begin
    ``IMMEDIATE`` when the ``dvl_write`` execution option is set, which this uses)."""
    if not 0 <= target <= LATEST:
        raise ValueError(f"target must be between 0 and {LATEST}")
    writer = engine.execution_options(dvl_write=True)
    with writer.begin() as conn:
        _lock(conn)
        found = current_version(conn)
        if found > LATEST:
            raise StoreUnavailable(
                f"The class database has schema version {found}, newer than this app knows ({LATEST}); "
                "upgrade Deep Vision Lab before using it.")
        if found == 0:
            clash = sorted(set(metadata.tables) & set(sa.inspect(conn).get_table_names()))
            if clash:
                raise StoreUnavailable(
                    f"The class database holds tables this app did not make ({', '.join(clash)}) and no "
                    "schema_version; point DVL_DATABASE_URL at an empty database.")
            schema_version.create(conn, checkfirst=True)
    for step in MIGRATIONS:
        if step.version > target:
            break
        with writer.begin() as conn:
            _lock(conn)
            if current_version(conn) >= step.version:
                continue  # another process applied it meanwhile
            step.apply(conn)
            conn.execute(schema_version.insert().values(
                version=step.version, description=step.description, applied_at=datetime.now(timezone.utc)))
    with engine.connect() as conn:
        return current_version(conn)
