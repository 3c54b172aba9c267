"""The challenge registry: what a challenge is, how an attempt is scored, and the one list of challenges.

A ``Challenge`` is a task on one page that the app checks itself. Its ``check`` is a pure function of
the student's *own attempt* on that page — the settings they chose and the result the page computed
from them — never of a typed answer; it returns a ``Score`` in [0, 1] with what was measured and a hint
that depends on how far off the attempt is. ``start`` holds the query parameters that put the page
in the right state when a link ``?challenge=<id>`` opens it.

Attempts are plain mappings (``Attempt``): the page says which keys it provides; a check that is
missing one raises ``BadInput`` naming it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from vision_core.errors import BadInput

__all__ = ["Attempt", "Challenge", "Score", "by_page", "challenge", "challenge_ids", "register_challenge", "need"]

Attempt = Mapping[str, Any]


@dataclass(frozen=True)
class Score:
    """How an attempt did: ``value`` in [0, 1] (1 = solved), ``passed``, the quantity ``measured`` in words,
    and a ``hint`` for the next try (a congratulation when passed)."""

    value: float
    passed: bool
    measured: str
    hint: str

    def __post_init__(self) -> None:
        if not (isinstance(self.value, (int, float)) and math.isfinite(self.value) and 0.0 <= self.value <= 1.0):
            raise ValueError(f"A score must be a number in [0, 1], got {self.value!r}.")

    @property
    def percent(self) -> int:
        return round(100 * self.value)


@dataclass(frozen=True)
class Challenge:
    """One checked task. ``page`` is the page's URL path (``convolution``); ``lecture`` where it comes from;
    ``needs`` the attempt keys the check reads; ``start`` the query parameters a challenge link opens with."""

    id: str
    page: str
    title: str
    task: str
    lecture: str
    check: Callable[[Attempt], Score] = field(repr=False)
    needs: tuple[str, ...] = ()
    start: Mapping[str, str] = field(default_factory=dict)

    def score(self, attempt: Attempt) -> Score:
        """``check(attempt)`` after checking the attempt holds every key in ``needs``."""
        missing = [k for k in self.needs if k not in attempt or attempt[k] is None]
        if missing:
            raise BadInput(f"This attempt has no {', '.join(missing)} yet: use the page's controls first.")
        return self.check(attempt)

    def link(self, **extra: str) -> str:
        """The relative link that opens this challenge: ``/<page>?challenge=<id>&<start…>``."""
        from urllib.parse import urlencode

        return f"/{self.page}?" + urlencode({"challenge": self.id, **self.start, **extra})


_CHALLENGES: dict[str, Challenge] = {}


def register_challenge(c: Challenge) -> Challenge:
    """Add ``c`` to the registry (ids are unique, lowercase with dashes)."""
    if c.id in _CHALLENGES:
        raise ValueError(f"A challenge {c.id!r} is already registered.")
    if not c.id.replace("-", "").isalnum() or c.id.lower() != c.id:
        raise ValueError(f"Challenge ids are lowercase letters, digits and dashes, got {c.id!r}.")
    _CHALLENGES[c.id] = c
    return c


def challenge(challenge_id: str) -> Challenge:
    """The challenge ``challenge_id``; ``BadInput`` listing the ids for anything else (a forged link)."""
    _load()
    if not isinstance(challenge_id, str) or challenge_id not in _CHALLENGES:
        shown = challenge_id if isinstance(challenge_id, str) and len(challenge_id) <= 40 else "that"
        raise BadInput(f"There is no challenge {shown!r}. Challenges: {', '.join(sorted(_CHALLENGES))}.")
    return _CHALLENGES[challenge_id]


def challenge_ids() -> list[str]:
    """Every challenge id, in course order."""
    _load()
    return list(_CHALLENGES)


def by_page(page: str) -> list[Challenge]:
    """The challenges of page ``page`` (its URL path)."""
    _load()
    return [c for c in _CHALLENGES.values() if c.page == page]


def need(attempt: Attempt, key: str, kind: type | tuple[type, ...] = object) -> Any:
    """``attempt[key]``, checked to be a ``kind``; ``BadInput`` naming the key otherwise."""
    value = attempt.get(key)
    if value is None or not isinstance(value, kind):
        raise BadInput(f"This attempt has no valid {key}.")
    return value


def clip01(x: float) -> float:
    """``x`` clipped to [0, 1] (NaN → 0)."""
    return 0.0 if not math.isfinite(x) else min(1.0, max(0.0, float(x)))


def _load() -> None:
    from vision_core.challenges import catalog  # noqa: F401 - registers every challenge once
