"""Where the data lives and what happens without a working database (no storage test: no database needed)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import sqlalchemy as sa

from vision_core.classroom import StoreUnavailable, data_dir, resolve_url, safe_url, store_from_env


def test_data_folder_precedence(tmp_path):
    assert data_dir({"DVL_DATA": str(tmp_path / "d"), "XDG_DATA_HOME": "/x"}) == tmp_path / "d"
    assert data_dir({"XDG_DATA_HOME": str(tmp_path)}) == tmp_path / "deep-vision-lab"
    assert data_dir({}) == Path.home() / ".local" / "share" / "deep-vision-lab"


def test_url_resolution(tmp_path):
    assert resolve_url(None, {"DVL_DATA": str(tmp_path)}).database == str(tmp_path / "classroom.db")
    assert resolve_url(None, {"DVL_DATABASE_URL": "off"}) is None
    u = resolve_url(None, {"DVL_DATABASE_URL": "postgresql://dvl:pw@db.example:5433/dvl"})
    assert u.drivername == "postgresql+psycopg" and u.port == 5433
    assert safe_url(u) == "postgresql+psycopg://dvl:***@db.example:5433/dvl"
    with pytest.raises(StoreUnavailable, match="SQLite or PostgreSQL, not 'mysql'"):
        resolve_url("mysql://u:secret@h/db")
    with pytest.raises(StoreUnavailable, match="not a database URL"):
        resolve_url(None, {"DVL_DATABASE_URL": "not a url"})


def test_default_sqlite_file_in_the_data_folder_with_wal(tmp_path):
    status = store_from_env({"DVL_DATA": str(tmp_path / "data")})
    store, reason, where = status
    assert reason is None and store is not None
    assert where == f"SQLite file {tmp_path / 'data' / 'classroom.db'}" == store.where
    cls = store.create_class("A")
    assert (tmp_path / "data" / "classroom.db").is_file()
    with store.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert store.table(cls.class_id, cls.teacher_key).name == "A"
    store.dispose()


def test_without_a_database_the_app_is_told_why(tmp_path):
    off = store_from_env({"DVL_DATABASE_URL": "off"})
    assert off.store is None and "switched off" in off.reason

    (tmp_path / "file").write_text("in the way")
    blocked = store_from_env({"DVL_DATA": str(tmp_path / "file" / "sub")})
    assert blocked.store is None and "Cannot create the class database folder" in blocked.reason

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    down = store_from_env({"DVL_DATABASE_URL": f"postgresql://dvl:hunter2@127.0.0.1:{port}/dvl"})
    assert down.store is None and "not available right now" in down.reason
    assert "hunter2" not in down.reason + down.where and "***" in down.where

    bad = store_from_env({"DVL_DATABASE_URL": "oracle://x/y"})
    assert bad.store is None and "SQLite or PostgreSQL" in bad.reason

    no_driver = store_from_env({"DVL_DATABASE_URL": "postgresql+pg8000://dvl:hunter2@127.0.0.1/dvl"})
    assert no_driver.store is None and "Cannot use postgresql+pg8000://dvl:***@" in no_driver.reason
    assert "hunter2" not in no_driver.reason


def test_sqlite_file_not_a_database(tmp_path):
    (tmp_path / "classroom.db").write_bytes(b"this is not a database" * 100)
    status = store_from_env({"DVL_DATA": str(tmp_path)})
    assert status.store is None and "not available right now" in status.reason


def test_importing_classroom_connects_to_nothing(monkeypatch):
    import importlib

    import vision_core.classroom as pkg

    def refuse(*a, **k):
        raise AssertionError("connected at import")

    monkeypatch.setattr(sa, "create_engine", refuse)
    importlib.reload(pkg)
