"""Which database classroom mode uses, and the SQLAlchemy engine for it.

- Default: a SQLite file ``classroom.db`` in the app's data folder: ``$DVL_DATA`` if set, else
  ``$XDG_DATA_HOME/deep-vision-lab``, else ``~/.local/share/deep-vision-lab`` (created on first use).
  Every connection sets ``journal_mode=WAL`` (readers never wait for the writer), ``busy_timeout`` (a writer
  waits up to 15 s for another instead of failing), ``foreign_keys=ON`` and ``synchronous=NORMAL``;
  write transactions begin ``IMMEDIATE`` so two writers queue instead of deadlocking.
- ``DVL_DATABASE_URL`` overrides it: ``postgresql+psycopg://user:password@host:5432/dvl`` for hosts that run
  several replicas (``postgresql://`` means the same), ``sqlite:////abs/path.db`` for another file.
  ``DVL_DATABASE_URL=off`` switches classroom storage off.

Passwords never appear in messages: ``safe_url`` renders a URL with ``***`` in their place. Engines are
made with ``hide_parameters=True``, so SQL logging and database errors never show bound values.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from .errors import StoreUnavailable

__all__ = ["BUSY_TIMEOUT_MS", "data_dir", "default_url", "make_engine", "resolve_url", "safe_url"]

BUSY_TIMEOUT_MS = 15_000
OFF = {"off", "none", "disabled", "0", "false", "no"}


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """The app's data folder (``$DVL_DATA``, ``$XDG_DATA_HOME/deep-vision-lab``, ``~/.local/share/...``)."""
    env = os.environ if env is None else env
    if env.get("DVL_DATA", "").strip():
        return Path(env["DVL_DATA"].strip()).expanduser()
    if env.get("XDG_DATA_HOME", "").strip():
        return Path(env["XDG_DATA_HOME"].strip()).expanduser() / "deep-vision-lab"
    return Path.home() / ".local" / "share" / "deep-vision-lab"


def default_url(env: Mapping[str, str] | None = None) -> URL:
    """``sqlite:///<data folder>/classroom.db``."""
    return URL.create("sqlite", database=str(data_dir(env) / "classroom.db"))


def resolve_url(url: str | URL | None = None, env: Mapping[str, str] | None = None) -> URL | None:
    """The URL to use: ``url``, else ``$DVL_DATABASE_URL``, else the default SQLite file; ``None`` when off.

    ``postgresql://`` and ``postgres://`` get the installed psycopg 3 driver. Raises ``StoreUnavailable``
    for text that is not a database URL, or a back end other than SQLite and PostgreSQL."""
    env = os.environ if env is None else env
    if url is None:
        text = env.get("DVL_DATABASE_URL", "").strip()
        if text.lower() in OFF:
            return None
        if not text:
            return default_url(env)
        url = text
    try:
        u = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise StoreUnavailable("DVL_DATABASE_URL is not a database URL; write e.g. "
                               "postgresql+psycopg://user@host:5432/dvl or sqlite:////path/classroom.db.") from None
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    backend = u.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise StoreUnavailable(f"Classroom mode stores classes in SQLite or PostgreSQL, not {backend!r} "
                               f"({safe_url(u)}).")
    return u


def safe_url(url: str | URL) -> str:
    """``url`` as text with any password replaced by ``***``."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "<not a URL>"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None  # the driver's own transaction handling off; "begin" below does it
    cur = dbapi_conn.cursor()
    try:
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
    finally:
        cur.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    mode = "IMMEDIATE" if conn.get_execution_options().get("dvl_write") else "DEFERRED"
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str | URL) -> Engine:
    """An engine for ``url`` (SQLite or PostgreSQL) set up as described above; the SQLite folder is created.

    Raises ``StoreUnavailable`` when the SQLite folder cannot be created; connection problems surface on
    first use (``ClassroomStore`` reports them as ``StoreUnavailable`` too)."""
    try:
        return _make_engine(sa.make_url(url))
    except (ImportError, sa.exc.ArgumentError) as e:
        raise StoreUnavailable(f"Cannot use {safe_url(url)}: {type(e).__name__} ({str(e)[:120]}). Use "
                               "postgresql+psycopg://… (installed with the app) or sqlite:///….") from None


def _make_engine(u: URL) -> Engine:
    if u.get_backend_name() == "sqlite":
        if not u.database or u.database == ":memory:":
            raise StoreUnavailable("Classroom mode needs a SQLite file, not an in-memory database.")
        folder = Path(u.database).expanduser().parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreUnavailable(f"Cannot create the class database folder {folder}: {e.strerror}.") from None
        engine = sa.create_engine(u, hide_parameters=True, pool_size=8, max_overflow=24, pool_timeout=30,
                                  connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        sa.event.listen(engine, "begin", _sqlite_begin)
        return engine
    connect_args = {"connect_timeout": 5, "application_name": "deep-vision-lab"}
    return sa.create_engine(u, hide_parameters=True, pool_pre_ping=True, pool_size=8, max_overflow=24,
                            pool_timeout=30, connect_args=connect_args)
