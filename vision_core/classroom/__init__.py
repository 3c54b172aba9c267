"""Classroom mode's storage: classes, students and their submissions, in SQLite or PostgreSQL.

Plain typed Python, never Streamlit. ``store_from_env()`` opens the configured database (``DVL_DATABASE_URL``,
else ``classroom.db`` in the data folder ``$DVL_DATA`` / ``~/.local/share/deep-vision-lab``) or says why
not; ``ClassroomStore`` is the API (see ``store``). Display names are text: render them as text, never markup.
"""

from __future__ import annotations

from .connect import StoreStatus, open_store, store_from_env
from .engine import data_dir, default_url, make_engine, resolve_url, safe_url
from .errors import ClassClosed, ClassroomError, NotAllowed, RateLimited, StoreUnavailable
from .records import Attempt, Best, ClassTable, NewClass, RateLimit, Receipt, Student, TableRow
from .schema import LATEST as SCHEMA_VERSION
from .schema import migrate
from .store import ClassroomStore

__all__ = [
    "SCHEMA_VERSION",
    "Attempt",
    "Best",
    "ClassClosed",
    "ClassTable",
    "ClassroomError",
    "ClassroomStore",
    "NewClass",
    "NotAllowed",
    "RateLimit",
    "RateLimited",
    "Receipt",
    "StoreStatus",
    "StoreUnavailable",
    "Student",
    "TableRow",
    "data_dir",
    "default_url",
    "make_engine",
    "migrate",
    "open_store",
    "resolve_url",
    "safe_url",
    "store_from_env",
]
