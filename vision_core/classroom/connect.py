"""Opening the configured class database: ``open_store`` (raises) and ``store_from_env`` (never raises).

Where the data lives is decided by ``vision_core.classroom.engine.resolve_url``: ``DVL_DATABASE_URL``, else
``classroom.db`` in the data folder (``$DVL_DATA``, ``$XDG_DATA_HOME/deep-vision-lab`` or
``~/.local/share/deep-vision-lab``); ``DVL_DATABASE_URL=off`` switches storage off.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.engine import URL

from .engine import make_engine, resolve_url, safe_url
from .errors import ClassroomError, StoreUnavailable
from .records import RateLimit
from .schema import LATEST
from .store import ClassroomStore, utc_now

__all__ = ["StoreStatus", "open_store", "store_from_env"]

log = logging.getLogger(__name__)


def open_store(url: str | URL | None = None, *, env: Mapping[str, str] | None = None,
               rate_limit: RateLimit = RateLimit(), clock: Callable[[], datetime] = utc_now) -> ClassroomStore:
    """A migrated store on ``url`` (default: ``$DVL_DATABASE_URL``, else the SQLite file in the data folder).

    Raises ``StoreUnavailable`` with one sentence when storage is off, the URL is not usable, the database
    cannot be reached, or it is not this app's (or is newer)."""
    u = resolve_url(url, env)
    if u is None:
        raise StoreUnavailable("Classroom storage is switched off (DVL_DATABASE_URL=off); scores are not saved.")
    engine = make_engine(u)
    try:
        return ClassroomStore(engine, rate_limit=rate_limit, clock=clock)
    except ClassroomError:
        engine.dispose()
        raise
    except sa.exc.SQLAlchemyError as e:
        engine.dispose()
        log.warning("cannot prepare the class database %s: %s", safe_url(u), type(e).__name__)
        raise StoreUnavailable(f"The class database {safe_url(u)} holds tables this app did not make, or could "
                               f"not be upgraded to schema {LATEST}; point DVL_DATABASE_URL at an empty database."
                               ) from None


class StoreStatus(NamedTuple):
    """``store_from_env()``: the store (``None`` when unavailable), why not, and where the data lives."""

    store: ClassroomStore | None
    reason: str | None
    where: str


def store_from_env(env: Mapping[str, str] | None = None, **kwargs: Any) -> StoreStatus:
    """Open the configured store, never raising: ``StoreStatus(store, None, where)`` or ``(None, reason, where)``.

    The app calls this once per process; with ``store=None`` the challenge panel still scores and shows
    ``reason`` instead of Submit."""
    try:
        u = resolve_url(None, env)
    except StoreUnavailable as e:
        return StoreStatus(None, str(e), "DVL_DATABASE_URL")
    if u is None:
        return StoreStatus(None, "Classroom storage is switched off (DVL_DATABASE_URL=off); scores are not saved.",
                           "nowhere")
    where = f"SQLite file {u.database}" if u.get_backend_name() == "sqlite" else f"PostgreSQL {safe_url(u)}"
    try:
        return StoreStatus(open_store(u, **kwargs), None, where)
    except StoreUnavailable as e:
        return StoreStatus(None, str(e), where)
