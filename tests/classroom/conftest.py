"""Fixtures for the classroom storage tests: every storage test runs on SQLite and on a real PostgreSQL.

``db_url`` is parametrised ``sqlite`` (a file in the test's temp folder) / ``postgresql`` (a fresh database on
the session's throwaway server from ``tests.pg``, dropped after the test). When PostgreSQL cannot be started
the ``postgresql`` cases FAIL with the reason (``make postgres`` installs it); they never skip.
Narrow a run with ``-k sqlite`` or ``-k postgresql``.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.pg import PostgresServer, PostgresUnavailable
from vision_core.classroom import keys, open_store

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def pg_server():
    server = PostgresServer()
    try:
        server.start()
    except PostgresUnavailable as e:
        server.stop()
        pytest.fail(f"PostgreSQL for the classroom tests: {e}", pytrace=False)
    yield server
    server.stop()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """A URL of an empty database on each back end."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/classroom.db"
        return
    server = request.getfixturevalue("pg_server")
    url = server.new_database()
    yield url
    server.drop_database(url)


@pytest.fixture(autouse=True)
def fast_scrypt(monkeypatch):
    """Teacher keys hashed with scrypt n=2^10 in tests (the default 2^14 costs ~0.2 s a hash on CI);
    ``test_keys`` checks the default separately. The cost is stored in each hash, so both verify."""
    monkeypatch.setattr(keys, "SCRYPT_N", 2**10)


class FakeClock:
    """Aware UTC time that moves 1 ms per reading, and by ``advance(seconds)``."""

    def __init__(self):
        self.now = datetime.now(timezone.utc).replace(microsecond=0)

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=1)
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(db_url, clock):
    s = open_store(db_url, clock=clock)
    yield s
    s.dispose()
