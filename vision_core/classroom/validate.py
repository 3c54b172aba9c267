"""Checks for every piece of text the classroom store accepts; each returns the normalised value or raises.

Names (class names, students' display names) are plain text: trimmed, inner runs of white space (tabs
too) collapsed to one space, NFC-normalised, 1–40 characters, no control characters, no line or paragraph
separators and no bidirectional overrides (which could make a name display as another). Everything else is kept exactly:
``<b>Ana</b>`` and ``Robert'); DROP TABLE students;--`` are names like any other, stored and returned as the
same text. Whoever shows a name renders it as text, never as markup or HTML.

Error messages never echo the refused text (it may be a key pasted into the wrong box, or 10 kB long).
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from typing import Any

from ..errors import BadInput
from .errors import NotAllowed

__all__ = [
    "JOIN_ALPHABET",
    "JOIN_CODE_LENGTH",
    "MAX_LINK",
    "MAX_NAME",
    "check_challenge_id",
    "check_join_code",
    "check_link",
    "check_name",
    "check_nonce",
    "check_score",
    "check_session_id",
    "name_key",
]

MAX_NAME = 40
"""The longest class or display name, in characters after trimming."""

MAX_LINK = 4000
"""The longest attempt link (a query string), in characters."""

JOIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""Join-code letters: capitals and digits without the look-alikes I, O, 0 and 1 (32 symbols, 5 bits each)."""

JOIN_CODE_LENGTH = 8

_BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_REFUSED_CATEGORIES = {"Cc", "Cs", "Zl", "Zp"}
_CHALLENGE_ID = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")
_NONCE = re.compile(r"[A-Za-z0-9_-]{8,64}")
_SESSION = re.compile(r"[A-Za-z0-9_.:-]{1,64}")


def check_name(value: Any, what: str = "name") -> str:
    """A class or display name as stored: trimmed, white space collapsed, NFC, 1–40 characters, no controls."""
    if not isinstance(value, str):
        raise BadInput(f"The {what} must be text, got {type(value).__name__}.")
    if len(value) > 8 * MAX_NAME:  # refuse huge input before normalising it
        raise BadInput(f"The {what} is {len(value)} characters long; it may have at most {MAX_NAME}.")
    stripped = value.strip()
    for ch in stripped:
        if ch != "\t" and (unicodedata.category(ch) in _REFUSED_CATEGORIES or ch in _BIDI_CONTROLS):
            if ch in "\n\r\u2028\u2029\x85":
                raise BadInput(f"The {what} must fit on one line.")
            raise BadInput(f"The {what} contains a control character (U+{ord(ch):04X}); type it as plain text.")
    text = unicodedata.normalize("NFC", " ".join(stripped.split()))
    if not text:
        raise BadInput(f"The {what} is empty; type at least one character.")
    if len(text) > MAX_NAME:
        raise BadInput(f"The {what} is {len(text)} characters long; it may have at most {MAX_NAME}.")
    return text


def name_key(name: str) -> str:
    """The key two display names collide on within a class: the checked name, case-folded (``Ana`` = ``ANA``)."""
    return unicodedata.normalize("NFC", name.casefold())


def check_join_code(value: Any) -> str:
    """A join code as stored (8 capitals of ``JOIN_ALPHABET``); spaces, hyphens and lower case are forgiven."""
    if not isinstance(value, str):
        raise NotAllowed("A class code is 8 letters and digits, like ABCD-EFGH.")
    code = re.sub(r"[\s-]", "", value[:64]).upper()
    if len(value) > 64 or len(code) != JOIN_CODE_LENGTH or any(c not in JOIN_ALPHABET for c in code):
        raise NotAllowed("That is not a class code: a class code is 8 letters and digits, "
                         "like ABCD-EFGH (no I, O, 0 or 1).")
    return code


def check_challenge_id(value: Any) -> str:
    """A challenge id: lower-case letters, digits, ``_ . -``, at most 64 characters."""
    if not isinstance(value, str) or not _CHALLENGE_ID.fullmatch(value):
        raise BadInput("That is not a challenge id: lower-case letters, digits and _ . -, at most 64.")
    return value


def check_score(value: Any) -> float:
    """A score: a finite real number (higher is better; the store keeps each student's maximum as best)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise BadInput(f"A score must be a number, got {type(value).__name__}.")
    v = float(value)
    if not math.isfinite(v) or abs(v) > 1e12:
        raise BadInput(f"A score must be a finite number of reasonable size, got {v!r}.")
    return v


def check_link(value: Any) -> str:
    """The link that reproduces an attempt: a query string of this app starting with ``?`` (no scheme, no host).

    Only a relative query string is accepted, so a teacher who opens it stays in the app (no
    ``javascript:`` or other site can be smuggled in); at most ``MAX_LINK`` characters, printable ASCII."""
    if not isinstance(value, str):
        raise BadInput(f"The attempt link must be text, got {type(value).__name__}.")
    if not value.startswith("?"):
        raise BadInput("The attempt link must be this app's query string, starting with '?'.")
    if len(value) > MAX_LINK:
        raise BadInput(f"The attempt link is {len(value)} characters long; at most {MAX_LINK} are kept.")
    if any(not (0x21 <= ord(c) <= 0x7E) for c in value):
        raise BadInput("The attempt link must be URL-encoded (printable ASCII, no spaces).")
    return value


def check_nonce(value: Any) -> str:
    """A client nonce, one per attempt: 8–64 of ``A-Z a-z 0-9 _ -`` (e.g. ``uuid.uuid4().hex``)."""
    if not isinstance(value, str) or not _NONCE.fullmatch(value):
        raise BadInput("The submission nonce must be 8 to 64 letters, digits, '_' or '-' (e.g. uuid4().hex).")
    return value


def check_session_id(value: Any) -> str | None:
    """A browser session id (``None`` when unknown): 1–64 of ``A-Z a-z 0-9 _ . : -``."""
    if value is None:
        return None
    if not isinstance(value, str) or not _SESSION.fullmatch(value):
        raise BadInput("The session id must be 1 to 64 letters, digits or '_ . : -'.")
    return value
