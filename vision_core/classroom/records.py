"""What ``ClassroomStore`` returns: frozen records (times are aware UTC datetimes, scores floats).

``NewClass`` is a named tuple (``class_id, join_code, teacher_key = store.create_class(name)``) whose ``repr``
hides the key; the rest are frozen dataclasses. Display names in them are plain text: render them as text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

__all__ = ["Attempt", "Best", "ClassTable", "NewClass", "RateLimit", "Receipt", "Student", "TableRow"]


class NewClass(NamedTuple):
    """What ``create_class`` returns: ``class_id, join_code, teacher_key = store.create_class(name)``.

    The key is shown to the teacher once and never stored; ``repr`` hides it so it cannot leak into a log."""

    class_id: int
    join_code: str
    teacher_key: str

    def __repr__(self) -> str:
        return f"NewClass(class_id={self.class_id}, join_code={self.join_code!r}, teacher_key=<hidden>)"

    __str__ = __repr__


@dataclass(frozen=True)
class RateLimit:
    """At most ``per_student`` submissions per student and ``per_session`` per session in ``window_s`` seconds."""

    per_student: int = 10
    per_session: int = 20
    window_s: float = 60.0


@dataclass(frozen=True)
class Student:
    """Who a student token belongs to."""

    student_id: int
    class_id: int
    class_name: str
    display_name: str
    joined_at: datetime
    class_closed: bool


@dataclass(frozen=True)
class Receipt:
    """The outcome of ``submit``: the stored submission's id and time; ``replayed`` when the nonce was seen."""

    submission_id: int
    at: datetime
    replayed: bool
    message: str


@dataclass(frozen=True)
class Attempt:
    """One submission as the teacher (or the student who made it) sees it; ``link`` is a ``?…`` query string."""

    submission_id: int
    student_id: int
    display_name: str
    challenge_id: str
    score: float
    link: str
    at: datetime


@dataclass(frozen=True)
class Best:
    """A student's best attempt at one challenge: its score, link and time, and how many attempts they made."""

    score: float
    link: str
    at: datetime
    attempts: int


@dataclass(frozen=True)
class TableRow:
    """One student's line of the teacher's table: ``best[challenge_id]`` for each challenge attempted."""

    student_id: int
    display_name: str
    joined_at: datetime
    best: Mapping[str, Best] = field(hash=False)


@dataclass(frozen=True)
class ClassTable:
    """Students × challenges with best scores; ``challenges`` are the columns, ``rows`` the students by join time."""

    class_id: int
    name: str
    join_code: str
    closed: bool
    created_at: datetime
    challenges: tuple[str, ...]
    rows: tuple[TableRow, ...]

    def score(self, display_name: str, challenge_id: str) -> float | None:
        """The best score of the student called ``display_name`` at ``challenge_id`` (``None``: no attempt)."""
        for row in self.rows:
            if row.display_name == display_name:
                best = row.best.get(challenge_id)
                return None if best is None else best.score
        raise KeyError(display_name)
