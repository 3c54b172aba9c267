"""Random codes and keys, and how they are stored: nothing secret is ever kept in the clear.

- Join code: 8 symbols of ``JOIN_ALPHABET`` from ``secrets`` (40 bits), short enough to type from a board.
  It is not secret from the class; it only lets someone join.
- Teacher key: ``secrets.token_urlsafe(24)`` (192 bits). Stored as a salted scrypt hash
  ``scrypt$n$r$p$salt$hash`` (base64), compared with ``hmac.compare_digest``.
- Student token: ``secrets.token_urlsafe(24)``; stored as its SHA-256 (a 192-bit random token needs no salt
  or slow hash: nobody can guess it, and a copy of the database does not let anyone act as a student).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from .validate import JOIN_ALPHABET, JOIN_CODE_LENGTH

__all__ = ["SCRYPT_N", "hash_key", "new_join_code", "new_teacher_key", "new_token", "token_digest", "verify_key"]

SCRYPT_N = 2**14
"""scrypt's cost (16 MB, about 0.1–0.3 s per hash); stored in each hash, so changing it keeps old keys valid."""
_SCRYPT_R, _SCRYPT_P = 8, 1
_DUMMY_HASH: str | None = None


def new_join_code() -> str:
    """A fresh join code, e.g. ``K7QMX2PD``."""
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def new_teacher_key() -> str:
    """A fresh teacher key (32 URL-safe characters)."""
    return secrets.token_urlsafe(24)


def new_token() -> str:
    """A fresh student token (32 URL-safe characters)."""
    return secrets.token_urlsafe(24)


def token_digest(token: str) -> str:
    """The stored form of a student token: its SHA-256 in hex."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _b64(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).decode("ascii").rstrip("=")


def _unb64(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def _scrypt(key: str, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    return hashlib.scrypt(key.encode("utf-8", "surrogatepass"), salt=salt, n=n, r=r, p=p,
                          maxmem=256 * 1024 * 1024, dklen=dklen)


def hash_key(key: str) -> str:
    """The stored form of a teacher key: ``scrypt$<SCRYPT_N>$8$1$<salt>$<hash>`` with a 16-byte random salt."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(key, salt, SCRYPT_N, _SCRYPT_R, _SCRYPT_P, 32)
    return f"scrypt${SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_key(key: object, stored: str | None) -> bool:
    """Whether ``key`` matches ``stored`` (a ``hash_key`` result); constant-time compare.

    ``stored=None`` (no such class) still spends the time of one hash, so a wrong class id and a wrong key
    cannot be told apart by timing. A key that is not a short string is simply wrong."""
    global _DUMMY_HASH
    if stored is None:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = hash_key(new_teacher_key())
        stored = _DUMMY_HASH
        found = False
    else:
        found = True
    if not isinstance(key, str) or not 1 <= len(key) <= 200:
        key, found = "-", False
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        want = _unb64(digest)
        got = _scrypt(key, _unb64(salt), int(n), int(r), int(p), len(want))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, want) and found
