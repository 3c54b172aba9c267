"""Errors of classroom mode, all ``VisionCoreError`` so ``ui.common.friendly_errors`` shows their sentence.

- ``ClassroomError``: base of the errors below.
- ``StoreUnavailable``: no database is configured, it cannot be opened or reached, or its schema is newer
  than this app; the rest of the app keeps working, only saving is off.
- ``NotAllowed``: a wrong teacher key, an unknown class id or join code, an unknown student token.
  The message never contains the key or token that was offered.
- ``ClassClosed``: the teacher closed the class; joins and submissions are refused.
- ``RateLimited``: too many submissions in the last minute; ``retry_after`` says how long to wait (seconds).

Invalid text (a name too long, control characters, a malformed nonce) raises ``vision_core.errors.BadInput``.
"""

from __future__ import annotations

from ..errors import VisionCoreError

__all__ = ["ClassClosed", "ClassroomError", "NotAllowed", "RateLimited", "StoreUnavailable"]


class ClassroomError(VisionCoreError):
    """Base of every classroom-mode error."""


class StoreUnavailable(ClassroomError):
    """The class database is not configured, cannot be opened or reached, or is newer than this app."""


class NotAllowed(ClassroomError):
    """A wrong teacher key, an unknown class or join code, or an unknown student token."""


class ClassClosed(ClassroomError):
    """The class is closed: it takes no new students and no submissions."""


class RateLimited(ClassroomError):
    """Too many submissions in the last minute; ``retry_after`` is the wait in seconds."""

    def __init__(self, message: str, retry_after: float):
        super().__init__(message)
        self.retry_after = retry_after
