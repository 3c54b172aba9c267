"""The throwaway-PostgreSQL helper fails loudly, naming the fix, when the server binaries are missing."""

from __future__ import annotations

import pytest

from tests import pg


def test_missing_binaries_fail_with_the_fix(monkeypatch, tmp_path):
    monkeypatch.setenv("DVL_PG_BIN", str(tmp_path))
    monkeypatch.setattr(pg.glob, "glob", lambda pattern: [])
    monkeypatch.setattr(pg.shutil, "which", lambda name: None)
    with pytest.raises(pg.PostgresUnavailable, match=r"make postgres"):
        pg.PostgresServer().start()


def test_the_session_server_is_real(pg_server):
    import psycopg

    with psycopg.connect(pg_server.url().replace("postgresql+psycopg", "postgresql")) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        listen = conn.execute("SHOW listen_addresses").fetchone()[0]
    assert int(version.split(".")[0]) >= 13 and listen == "127.0.0.1"
