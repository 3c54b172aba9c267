"""Compute once, display many times: the cache of model outputs and expensive results.

``cached(kind, photo, params, compute)`` returns ``compute()``'s result for this photo and these
settings, computing it only the first time. ``params`` must hold exactly the settings the
computation uses (model name, input size …), never display settings (thresholds applied afterwards,
opacity, view, tab), so moving a display slider finds the result already there.

- Photos from the bundled samples share one process-wide cache: a class that opens the same
  teacher link computes once for everybody. Concurrent requests for the same key wait for the
  first computation instead of repeating it.
- Uploaded and camera photos are cached in their own session only (never visible to, or kept
  for, another session), and go when the session ends.

Results are returned as is, without copying: treat them as read-only (vision_core results are
frozen dataclasses). Both caches are bounded LRUs, by number of entries and by the memory of the arrays they hold.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import streamlit as st

T = TypeVar("T")

SHARED_ENTRIES = 96
"""Results kept for the bundled samples, all sessions together."""
SESSION_ENTRIES = 24
"""Results kept per session for uploaded or camera photos."""
SHARED_BYTES = 768 * 2**20
"""Memory the shared results may take (arrays counted), all sessions together."""
SESSION_BYTES = 160 * 2**20
"""Memory one session's results may take."""


def size_of(value: Any, depth: int = 0) -> int:
    """The bytes of the arrays and tensors inside ``value`` (dataclasses, tuples, lists and dicts walked a few
    levels deep); other objects count a nominal 64 bytes. An estimate for the cache's budget, not an exact size."""
    nbytes = getattr(value, "nbytes", None)
    if isinstance(nbytes, int):
        return nbytes
    if hasattr(value, "element_size") and hasattr(value, "nelement"):
        return int(value.element_size() * value.nelement())
    if depth >= 4:
        return 64
    if isinstance(value, dict):
        return sum(size_of(v, depth + 1) for v in value.values()) + 64
    if isinstance(value, (list, tuple)):
        return sum(size_of(v, depth + 1) for v in value[:10_000]) + 64
    fields = getattr(value, "__dataclass_fields__", None)
    if fields:
        return sum(size_of(getattr(value, f, None), depth + 1) for f in fields) + 64
    return 64
_SESSION_KEY = "_results_cache"


@dataclass
class _Lru:
    limit: int
    budget: int
    items: OrderedDict[Hashable, Any] = field(default_factory=OrderedDict)
    sizes: dict[Hashable, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    pending: dict[Hashable, threading.Lock] = field(default_factory=dict)
    computed: int = 0

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
            gate = self.pending.setdefault(key, threading.Lock())
        with gate:
            with self.lock:
                if key in self.items:
                    self.items.move_to_end(key)
                    return self.items[key]
            value = compute()
            size = size_of(value)
            with self.lock:
                self.computed += 1
                self.items[key] = value
                self.sizes[key] = size
                self.items.move_to_end(key)
                while len(self.items) > 1 and (len(self.items) > self.limit or sum(self.sizes.values()) > self.budget):
                    old, _ = self.items.popitem(last=False)
                    self.sizes.pop(old, None)
                self.pending.pop(key, None)
            return value

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.sizes.clear()

    def held(self) -> int:
        """Bytes held now (estimated)."""
        with self.lock:
            return sum(self.sizes.values())


@st.cache_resource
def _shared() -> _Lru:
    return _Lru(SHARED_ENTRIES, SHARED_BYTES)


def _session() -> _Lru:
    lru = st.session_state.get(_SESSION_KEY)
    if lru is None:
        lru = _Lru(SESSION_ENTRIES, SESSION_BYTES)
        st.session_state[_SESSION_KEY] = lru
    return lru


def is_shared(photo_key: str) -> bool:
    """Whether results for this photo may be shared across sessions (bundled samples only)."""
    return photo_key.startswith("sample:")


def cached(kind: str, photo_key: str, params: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """``compute()`` once per (``kind``, photo, ``params``); see the module docstring for who shares it.

    ``photo_key`` is ``TrayImage.key`` (``sample:<name>`` for samples) or any key that starts with
    ``sample:`` for inputs the app generates itself (a fixed scene); anything else stays in this session.
    """
    store = _shared() if is_shared(photo_key) else _session()
    return store.get_or_compute((kind, photo_key, params), compute)


_MISSING = object()


def peek(kind: str, photo_key: str, params: tuple[Hashable, ...]) -> Any | None:
    """The cached result, or ``None`` when it has not been computed (nothing is computed here)."""
    store = _shared() if is_shared(photo_key) else _session()
    key = (kind, photo_key, params)
    with store.lock:
        if key in store.items:
            store.items.move_to_end(key)
            return store.items[key]
    return None


def put(kind: str, photo_key: str, params: tuple[Hashable, ...], value: Any) -> None:
    """Store a result computed elsewhere (a background job) under the same key ``cached`` would use."""
    store = _shared() if is_shared(photo_key) else _session()
    store.get_or_compute((kind, photo_key, params), lambda: value)


def computations() -> tuple[int, int]:
    """How many results were computed so far: (shared cache, this session's cache). For tests and benches."""
    return _shared().computed, _session().computed


def clear() -> None:
    """Forget every cached result (tests)."""
    _shared().clear()
    _session().clear()
