"""``ClassroomStore``: classes, students and submissions in SQLite or PostgreSQL (SQLAlchemy Core).

A teacher creates a class and gets its id, a join code for the students and a private teacher key (shown
once; only a salted hash is stored). A student joins with the code and a display name and gets a token: the
UI keeps it (in the session and the student's own link), so a student who reloads or comes back keeps their
identity and submissions. Every teacher call takes the class id *and* the key and sees that class only.

Student side: ``join``, ``student``, ``submit``, ``my_attempts``. Teacher side (key required): ``table``,
``attempts``, ``csv``, ``attempts_csv``, ``close``, ``reopen``, ``reset``.

Guarantees, tested on both back ends (``tests/classroom``):

- Every query is parameterised; names are text in, the same text out (render them as text, never markup).
- A submission's ``nonce`` is accepted once per student; the same nonce again changes nothing and returns
  a ``Receipt`` with ``replayed=True`` and a sentence saying so.
- At most ``RateLimit.per_student`` submissions per student and ``per_session`` per browser session in
  any ``window_s`` seconds (``RateLimited`` says how long to wait). The student's row is locked for the
  check on PostgreSQL (``SELECT … FOR UPDATE``); SQLite write transactions are serialised anyway.
- A closed class refuses joins and submissions (``ClassClosed``); its table still opens for the teacher.
- The teacher key is never logged, never put in an error message, never stored; wrong keys, unknown class
  ids and unknown codes raise ``NotAllowed`` with one sentence that reveals nothing about other classes.
- Database trouble (unreachable, locked too long) raises ``StoreUnavailable``, never a driver traceback.

Scores: higher is better; a student's best for a challenge is the highest score, the earliest on a tie.
"""

from __future__ import annotations

import csv as _csv
import hashlib
import io
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from datetime import datetime, timedelta, timezone
from types import MappingProxyType
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ..errors import BadInput
from .engine import safe_url
from .errors import ClassClosed, NotAllowed, RateLimited, StoreUnavailable
from .keys import hash_key, new_join_code, new_teacher_key, new_token, token_digest, verify_key
from .records import Attempt, Best, ClassTable, NewClass, RateLimit, Receipt, Student, TableRow
from .schema import classes, migrate, students, submissions
from .validate import (
    check_challenge_id,
    check_join_code,
    check_link,
    check_name,
    check_nonce,
    check_score,
    check_session_id,
    name_key,
)

__all__ = ["ClassroomStore", "utc_now"]

log = logging.getLogger(__name__)

_BAD_KEY = "This teacher key does not open that class. Use the teacher link you were given when you created it."
_BAD_TOKEN = "This student link is not known here (it may belong to another server); join the class again with its code."


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _utc(value: datetime) -> datetime:
    """``value`` as an aware UTC datetime (SQLite hands back naive UTC)."""
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def _show_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


class ClassroomStore:
    """Classes, students and submissions on one SQLAlchemy engine (thread-safe; share one per process).

    ``engine`` should come from ``make_engine`` (SQLite pragmas, immediate write transactions). The schema is
    migrated to the latest version on construction (``migrate=False`` to skip). ``clock`` returns the
    current time (aware UTC); tests pass a fake one to step through rate-limit windows."""

    def __init__(self, engine: Engine, *, rate_limit: RateLimit = RateLimit(),
                 clock: Callable[[], datetime] = utc_now, migrate_schema: bool = True):
        self.engine = engine
        self.rate_limit = rate_limit
        self._clock = clock
        self._writer = engine.execution_options(dvl_write=True)
        pg = engine.dialect.name == "postgresql"
        self._snapshot = engine.execution_options(isolation_level="REPEATABLE READ") if pg else engine
        self._verified: OrderedDict[tuple[int, str, bytes], None] = OrderedDict()
        self._verified_lock = threading.Lock()
        self._sqlite_write_lock = threading.Lock()
        if migrate_schema:
            with self._errors():
                migrate(engine)

    # ------------------------------------------------------------------ plumbing

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    @property
    def where(self) -> str:
        """Where the data lives, for a person: the SQLite file, or the server URL without its password."""
        url = self.engine.url
        if url.get_backend_name() == "sqlite":
            return f"SQLite file {url.database}"
        return f"PostgreSQL {safe_url(url)}"

    def dispose(self) -> None:
        """Close every pooled connection (the store is usable again afterwards; it reconnects)."""
        self.engine.dispose()

    def _now(self) -> datetime:
        return _utc(self._clock())

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Database failures as ``StoreUnavailable`` (one sentence; driver details go to the log only)."""
        try:
            yield
        except sa.exc.IntegrityError:
            raise
        except (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.DatabaseError,
                sa.exc.TimeoutError) as e:
            orig = getattr(e, "orig", None) or e
            first = str(orig).strip().splitlines()[0][:200] if str(orig).strip() else type(orig).__name__
            log.warning("class database error on %s: %s: %s", self.where, type(orig).__name__, first)
            raise StoreUnavailable(f"The class database ({self.where}) is not available right now ({first}). "
                                   "Scores are still computed on each page, but nothing is saved.") from None

    @contextmanager
    def _tx(self, write: bool = False, snapshot: bool = False) -> Iterator[Connection]:
        with self._errors():
            engine = self._writer if write else self._snapshot if snapshot else self.engine
            # SQLite has one writer at a time; this process's writers queue on a lock instead of on SQLite's
            # busy handler (which sleeps in growing steps); other processes still wait via busy_timeout.
            with self._sqlite_write_lock if write and self.backend == "sqlite" else nullcontext():
                with engine.begin() as conn:
                    yield conn

    # ------------------------------------------------------------------ teacher: create

    def create_class(self, name: str) -> NewClass:
        """A new open class called ``name`` (1–40 characters): its id, a fresh join code and teacher key."""
        name = check_name(name, "class name")
        key = new_teacher_key()
        key_hash = hash_key(key)
        for _ in range(8):
            code = new_join_code()
            try:
                with self._tx(write=True) as conn:
                    result = conn.execute(classes.insert().values(
                        name=name, join_code=code, teacher_key_hash=key_hash, created_at=self._now(), closed=False))
                    class_id = int(result.inserted_primary_key[0])
            except sa.exc.IntegrityError:
                continue  # that join code is taken (1 in 2^40 per class): draw another
            log.info("class %d created", class_id)
            return NewClass(class_id, code, key)
        raise StoreUnavailable("Could not draw a free class code; try again.")

    # ------------------------------------------------------------------ student side

    def join(self, join_code: str, display_name: str) -> str:
        """Join the class with ``join_code`` as ``display_name``; returns the student's token (keep it secret).

        Raises ``NotAllowed`` for an unknown code, ``ClassClosed`` for a closed class and ``BadInput`` for an
        invalid name or one already taken in the class (names are compared case-insensitively)."""
        code = check_join_code(join_code)
        name = check_name(display_name, "display name")
        token = new_token()
        try:
            with self._tx(write=True) as conn:
                row = conn.execute(sa.select(classes.c.id, classes.c.closed)
                                   .where(classes.c.join_code == code)).first()
                if row is None:
                    raise NotAllowed(f"No class has the code {_show_code(code)}. Check the code your teacher gave you.")
                if row.closed:
                    raise ClassClosed("This class is closed: it takes no new students. Ask your teacher.")
                result = conn.execute(students.insert().values(
                    class_id=row.id, display_name=name, name_key=name_key(name), token_hash=token_digest(token),
                    created_at=self._now()))
                student_id = int(result.inserted_primary_key[0])
        except sa.exc.IntegrityError:
            raise BadInput(f"Someone in this class already uses the name {name!r}; add an initial or a number.") \
                from None
        log.info("student %d joined class %d", student_id, row.id)
        return token

    def _student_row(self, conn: Connection, token: Any, lock: bool = False):
        if not isinstance(token, str) or not 8 <= len(token) <= 200:
            raise NotAllowed(_BAD_TOKEN)
        q = (sa.select(students.c.id, students.c.class_id, students.c.display_name, students.c.created_at,
                       classes.c.name.label("class_name"), classes.c.closed)
             .join(classes, classes.c.id == students.c.class_id)
             .where(students.c.token_hash == token_digest(token)))
        if lock:
            q = q.with_for_update(of=students)
        row = conn.execute(q).first()
        if row is None:
            raise NotAllowed(_BAD_TOKEN)
        return row

    def student(self, token: str) -> Student:
        """Who ``token`` belongs to (``NotAllowed`` if nobody): for the UI to greet a returning student."""
        with self._tx() as conn:
            r = self._student_row(conn, token)
        return Student(r.id, r.class_id, r.class_name, r.display_name, _utc(r.created_at), bool(r.closed))

    def submit(self, token: str, challenge_id: str, score: float, link: str, nonce: str,
               *, session_id: str | None = None) -> Receipt:
        """Save one attempt of the student with ``token``: ``score`` (higher is better) and the ``?…`` ``link``
        that reproduces it. ``nonce`` is unique per attempt (the UI draws one per Submit press); a nonce seen
        before changes nothing and returns ``replayed=True``. ``session_id`` (the browser session) is
        rate-limited as well as the student. Raises ``NotAllowed``, ``ClassClosed``, ``RateLimited``, ``BadInput``."""
        challenge_id = check_challenge_id(challenge_id)
        score = check_score(score)
        link = check_link(link)
        nonce = check_nonce(nonce)
        session_id = check_session_id(session_id)
        now = self._now()
        try:
            with self._tx(write=True) as conn:
                st = self._student_row(conn, token, lock=True)
                seen = self._replayed(conn, st.id, nonce)
                if seen is not None:
                    return seen
                if st.closed:
                    raise ClassClosed("This class is closed: your score was not saved. Ask your teacher.")
                self._check_rate(conn, now, student_id=st.id, session_id=session_id)
                result = conn.execute(submissions.insert().values(
                    student_id=st.id, challenge_id=challenge_id, score=score, link=link, created_at=now,
                    nonce=nonce, session_id=session_id))
                sub_id = int(result.inserted_primary_key[0])
        except sa.exc.IntegrityError:
            # the same nonce committed meanwhile by a concurrent request: that one counts
            with self._tx() as conn:
                st = self._student_row(conn, token)
                seen = self._replayed(conn, st.id, nonce)
            if seen is None:
                raise StoreUnavailable("The submission could not be saved (a conflict in the class database); "
                                       "submit again.") from None
            return seen
        log.info("submission %d: student %d, challenge %s, score %g", sub_id, st.id, challenge_id, score)
        return Receipt(sub_id, now, False, f"Saved: {score:g} at {challenge_id}.")

    @staticmethod
    def _replayed(conn: Connection, student_id: int, nonce: str) -> Receipt | None:
        prev = conn.execute(sa.select(submissions.c.id, submissions.c.created_at, submissions.c.score)
                            .where(submissions.c.student_id == student_id, submissions.c.nonce == nonce)).first()
        if prev is None:
            return None
        at = _utc(prev.created_at)
        return Receipt(int(prev.id), at, True, f"This attempt was already saved at {at:%H:%M:%S} UTC "
                                               f"(score {prev.score:g}); nothing changed.")

    def _check_rate(self, conn: Connection, now: datetime, *, student_id: int, session_id: str | None) -> None:
        lim = self.rate_limit
        since = now - timedelta(seconds=lim.window_s)
        checks = [(submissions.c.student_id == student_id, lim.per_student, "You")]
        if session_id is not None:
            checks.append((submissions.c.session_id == session_id, lim.per_session, "This browser session"))
        for where, limit, who in checks:
            n, oldest = conn.execute(sa.select(sa.func.count(), sa.func.min(submissions.c.created_at))
                                     .where(where, submissions.c.created_at > since)).one()
            if n >= limit:
                wait = max(1.0, (_utc(oldest) + timedelta(seconds=lim.window_s) - now).total_seconds())
                raise RateLimited(f"{who} submitted {n} times in the last {lim.window_s:g} s (at most {limit}); "
                                  f"wait {wait:.0f} s and submit again.", retry_after=wait)

    def my_attempts(self, token: str, challenge_id: str | None = None) -> list[Attempt]:
        """The student's own submissions (all, or one challenge's), newest first."""
        if challenge_id is not None:
            challenge_id = check_challenge_id(challenge_id)
        with self._tx() as conn:
            st = self._student_row(conn, token)
            q = sa.select(submissions).where(submissions.c.student_id == st.id)
            if challenge_id is not None:
                q = q.where(submissions.c.challenge_id == challenge_id)
            rows = conn.execute(q.order_by(submissions.c.created_at.desc(), submissions.c.id.desc())).all()
        return [Attempt(r.id, st.id, st.display_name, r.challenge_id, r.score, r.link, _utc(r.created_at))
                for r in rows]

    # ------------------------------------------------------------------ teacher side

    def _authorise(self, class_id: Any, key: Any) -> int:
        """``class_id`` when ``key`` is its teacher key; otherwise ``NotAllowed`` (the key is never echoed)."""
        cid = class_id if isinstance(class_id, int) and not isinstance(class_id, bool) else None
        stored = None
        if cid is not None and 1 <= cid < 2**31:
            with self._tx() as conn:
                stored = conn.execute(sa.select(classes.c.teacher_key_hash).where(classes.c.id == cid)).scalar()
        # scrypt costs ~0.2 s: a key already verified against this very hash is remembered (in memory, as a
        # SHA-256, last 256 only); a wrong key pays the full price every time.
        memo = (cid, stored, hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()) \
            if stored is not None and isinstance(key, str) else None
        with self._verified_lock:
            known = memo is not None and memo in self._verified
            if known:
                self._verified.move_to_end(memo)
        if not known:
            if not verify_key(key, stored):
                log.warning("teacher key refused for class %s", cid if cid is not None else "?")
                raise NotAllowed(_BAD_KEY)
            with self._verified_lock:
                self._verified[memo] = None
                while len(self._verified) > 256:
                    self._verified.popitem(last=False)
        return cid

    def table(self, class_id: int, key: str, challenges: Sequence[str] | None = None) -> ClassTable:
        """Students × challenges with each student's best score and the link of that attempt.

        Columns: ``challenges`` in that order (the registry's, say, even those nobody tried), then any other
        challenge attempted, sorted. Rows: every student, in join order, attempted or not."""
        cid = self._authorise(class_id, key)
        wanted = [check_challenge_id(c) for c in challenges or ()]
        with self._tx(snapshot=True) as conn:
            cls = conn.execute(sa.select(classes).where(classes.c.id == cid)).one()
            studs = conn.execute(sa.select(students.c.id, students.c.display_name, students.c.created_at)
                                 .where(students.c.class_id == cid)
                                 .order_by(students.c.created_at, students.c.id)).all()
            subs = conn.execute(
                sa.select(submissions.c.student_id, submissions.c.challenge_id, submissions.c.score,
                          submissions.c.link, submissions.c.created_at)
                .join(students, students.c.id == submissions.c.student_id)
                .where(students.c.class_id == cid)
                .order_by(submissions.c.student_id, submissions.c.challenge_id, submissions.c.score.desc(),
                          submissions.c.created_at, submissions.c.id)).all()
        best: dict[int, dict[str, Best]] = {}
        for s in subs:
            mine = best.setdefault(s.student_id, {})
            b = mine.get(s.challenge_id)
            if b is None:
                mine[s.challenge_id] = Best(s.score, s.link, _utc(s.created_at), 1)
            else:
                mine[s.challenge_id] = Best(b.score, b.link, b.at, b.attempts + 1)
        seen = {c for m in best.values() for c in m}
        columns = list(dict.fromkeys(wanted)) + sorted(seen - set(wanted))
        rows = tuple(TableRow(s.id, s.display_name, _utc(s.created_at), MappingProxyType(best.get(s.id, {})))
                     for s in studs)
        return ClassTable(cid, cls.name, cls.join_code, bool(cls.closed), _utc(cls.created_at), tuple(columns), rows)

    def attempts(self, class_id: int, key: str, *, student_id: int | None = None,
                 challenge_id: str | None = None) -> list[Attempt]:
        """Every submission of the class (optionally one student's, one challenge's), newest first."""
        cid = self._authorise(class_id, key)
        q = (sa.select(submissions, students.c.display_name)
             .join(students, students.c.id == submissions.c.student_id)
             .where(students.c.class_id == cid))
        if student_id is not None:
            if isinstance(student_id, bool) or not isinstance(student_id, int):
                raise BadInput("student_id must be a whole number (a student's id from the table).")
            q = q.where(submissions.c.student_id == student_id)
        if challenge_id is not None:
            q = q.where(submissions.c.challenge_id == check_challenge_id(challenge_id))
        with self._tx() as conn:
            rows = conn.execute(q.order_by(submissions.c.created_at.desc(), submissions.c.id.desc())).all()
        return [Attempt(r.id, r.student_id, r.display_name, r.challenge_id, r.score, r.link, _utc(r.created_at))
                for r in rows]

    def csv(self, class_id: int, key: str, challenges: Sequence[str] | None = None) -> str:
        """The table as CSV text: ``student,joined,<challenge>…`` with best scores (empty: not attempted).

        Names that a spreadsheet would run as a formula (starting ``= + - @``) are prefixed with ``'``."""
        t = self.table(class_id, key, challenges)
        out = io.StringIO()
        w = _csv.writer(out)
        w.writerow(["student", "joined", *t.challenges])
        for row in t.rows:
            w.writerow([_cell(row.display_name), f"{row.joined_at:%Y-%m-%dT%H:%M:%SZ}",
                        *(repr(row.best[c].score) if c in row.best else "" for c in t.challenges)])
        return out.getvalue()

    def attempts_csv(self, class_id: int, key: str) -> str:
        """Every attempt as CSV text: ``student,challenge,score,time,link``, oldest first."""
        rows = reversed(self.attempts(class_id, key))
        out = io.StringIO()
        w = _csv.writer(out)
        w.writerow(["student", "challenge", "score", "time", "link"])
        for a in rows:
            w.writerow([_cell(a.display_name), a.challenge_id, repr(a.score), f"{a.at:%Y-%m-%dT%H:%M:%S.%fZ}",
                        a.link])
        return out.getvalue()

    def _set_closed(self, class_id: int, key: str, closed: bool) -> None:
        cid = self._authorise(class_id, key)
        with self._tx(write=True) as conn:
            conn.execute(classes.update().where(classes.c.id == cid).values(closed=closed))
        log.info("class %d %s", cid, "closed" if closed else "reopened")

    def close(self, class_id: int, key: str) -> None:
        """Close the class: no new students, no submissions; the table stays readable."""
        self._set_closed(class_id, key, True)

    def reopen(self, class_id: int, key: str) -> None:
        """Open a closed class again."""
        self._set_closed(class_id, key, False)

    def reset(self, class_id: int, key: str) -> int:
        """Delete every submission of the class (students, codes and key stay); returns how many."""
        cid = self._authorise(class_id, key)
        with self._tx(write=True) as conn:
            mine = sa.select(students.c.id).where(students.c.class_id == cid).scalar_subquery()
            n = conn.execute(submissions.delete().where(submissions.c.student_id.in_(mine))).rowcount
        log.info("class %d reset: %d submissions deleted", cid, n)
        return int(n)


def _cell(text: str) -> str:
    """A text cell safe from spreadsheet formula injection."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
