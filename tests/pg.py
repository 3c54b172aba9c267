"""A throwaway PostgreSQL server for tests: Debian's ``postgresql`` binaries, a cluster in a temp folder.

``PostgresServer().start()`` runs ``initdb`` (trust auth, UTF-8, no locale) in a fresh temp folder,
``pg_ctl start`` on a free loopback port (``listen_addresses=127.0.0.1``, unix socket in the same folder,
``fsync=off``: the data is thrown away), and ``stop()`` stops it and deletes the folder. ``new_database()``
gives each test an empty place (a schema of one shared database, chosen by ``search_path`` in the URL) and
returns its ``postgresql+psycopg://`` URL; ``drop_database(url)`` drops it.

initdb refuses to run as root, so as root the server runs as the ``postgres`` user the Debian package
creates (else ``nobody``) through ``subprocess``'s ``user=``/``group=``; the temp folder is handed to that
user. Binaries: ``$DVL_PG_BIN``, else the newest ``/usr/lib/postgresql/*/bin``, else ``pg_ctl`` on PATH.
``PostgresUnavailable`` says what is missing (``make postgres`` installs the package).
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

__all__ = ["PostgresServer", "PostgresUnavailable", "find_bin"]


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL server binaries are missing or the server would not start."""


def find_bin() -> Path:
    """The folder holding ``initdb``, ``pg_ctl`` and ``postgres``."""
    env = os.environ.get("DVL_PG_BIN", "").strip()
    candidates = [Path(env)] if env else []
    candidates += sorted((Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin")),
                         key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, reverse=True)
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    for c in candidates:
        if all((c / b).is_file() for b in ("initdb", "pg_ctl", "postgres")):
            return c
    raise PostgresUnavailable(
        "PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/*/bin: "
        "run `make postgres` (apt-get install postgresql) or set DVL_PG_BIN.")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """One PostgreSQL cluster for a test session (start once, create a database per test)."""

    def __init__(self, superuser: str = "dvl"):
        self.superuser = superuser
        self.bin: Path | None = None
        self.root: Path | None = None
        self.port: int | None = None
        self._as: dict = {}
        self._n = 0
        self._shared = False

    # -------------------------------------------------------------- running the binaries

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "LANG": "C",
               "HOME": str(self.root), "PGTZ": "UTC"}
        try:
            out = subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=env,
                                 cwd=str(self.root), **self._as)
        except subprocess.TimeoutExpired as e:
            raise PostgresUnavailable(f"{Path(args[0]).name} did not finish in {timeout:g} s") from e
        if out.returncode != 0:
            log = ""
            if self.root and (self.root / "server.log").exists():
                log = (self.root / "server.log").read_text(errors="replace")[-2000:]
            raise PostgresUnavailable(f"{Path(args[0]).name} failed ({out.returncode}):\n{out.stdout}\n{out.stderr}\n{log}")
        return out

    def _account(self) -> None:
        """As root, pick the unprivileged account the cluster runs as and give it the temp folder."""
        if os.geteuid() != 0:
            return
        for name in ("postgres", "nobody"):
            try:
                pw = pwd.getpwnam(name)
            except KeyError:
                continue
            self._as = {"user": pw.pw_uid, "group": pw.pw_gid, "extra_groups": []}
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
            return
        raise PostgresUnavailable("Running as root and neither a 'postgres' nor a 'nobody' account exists to "
                                  "run PostgreSQL as (initdb refuses root).")

    # -------------------------------------------------------------- life cycle

    def start(self) -> PostgresServer:
        self.bin = find_bin()
        self.root = Path(tempfile.mkdtemp(prefix="dvl-pg-"))
        atexit.register(self.stop)
        self._account()
        data = self.root / "data"
        self._run(str(self.bin / "initdb"), "-D", str(data), "-U", self.superuser, "--auth=trust",
                  "--encoding=UTF8", "--no-locale", "--no-sync", "--no-instructions")
        last: Exception | None = None
        for _ in range(3):  # a free port can be taken between choosing and binding it: retry
            self.port = _free_port()
            opts = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=off "
                    "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
                    "-c shared_buffers=32MB -c timezone=UTC")
            try:
                self._run(str(self.bin / "pg_ctl"), "-D", str(data), "-l", str(self.root / "server.log"),
                          "-o", opts, "-w", "-t", "60", "start", timeout=90)
                return self
            except PostgresUnavailable as e:
                last = e
        raise PostgresUnavailable(f"PostgreSQL would not start: {last}")

    def stop(self) -> None:
        """Stop the server (fast shutdown) and delete its folder; safe to call twice."""
        root, self.root = self.root, None
        if root is None:
            return
        data = root / "data"
        if (data / "postmaster.pid").exists():
            self.root = root
            try:
                self._run(str(self.bin / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "-t", "30", "stop")
            except PostgresUnavailable:
                pass
            self.root = None
        shutil.rmtree(root, ignore_errors=True)

    # -------------------------------------------------------------- databases

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.superuser}@127.0.0.1:{self.port}/{database}"

    def _admin(self, sql: str, dbname: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=self.superuser, dbname=dbname,
                             autocommit=True, connect_timeout=10) as conn:
            conn.execute(sql)

    def new_database(self) -> str:
        """A fresh, empty place for one test: its SQLAlchemy URL.

        A new schema in the session's ``dvl_tests`` database, selected by ``search_path`` in the URL
        (``CREATE DATABASE`` costs 0.5–1 s on a busy 2-core machine; ``CREATE SCHEMA`` a few ms). To the code
        under test it is an empty database: every unqualified table name lands in that schema."""
        if not self._shared:
            self._admin('CREATE DATABASE "dvl_tests"')
            self._shared = True
        self._n += 1
        schema = f"t{self._n}"
        self._admin(f'CREATE SCHEMA "{schema}"', dbname="dvl_tests")
        return f"{self.url('dvl_tests')}?options=-csearch_path%3D{schema}"

    def drop_database(self, url: str) -> None:
        """Drop what ``new_database`` made for ``url``."""
        schema = url.rsplit("%3D", 1)[1]
        self._admin(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE', dbname="dvl_tests")
