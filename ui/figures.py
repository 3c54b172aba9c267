"""Build a figure once, draw it on every rerun: a memo for plotly figure builders.

Building a plotly figure is the slow part of a warm rerun (validating every cell, shape and animation
frame costs 10–170 ms a figure), while handing a ready figure to ``st.plotly_chart`` costs about a
millisecond. ``@remembered`` keys a builder's result by its arguments (numpy arrays by shape, dtype
and bytes), so a rerun with the same inputs reuses the figure built before.

- Figures of the app's own inputs (lecture grids, typed kernels, animation settings, sample photos)
  share one process-wide LRU: a class opening the same page builds each figure once.
- A figure of an uploaded or camera photo (pass ``photo_key=TrayImage.key`` unless it starts with
  ``sample:``) stays in its session's own LRU and goes with the session.

Figures are returned as is and their ``to_dict()`` is computed once: treat them as read-only
(``st.plotly_chart`` only reads them; ``builder.build`` gives a fresh, mutable figure).
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import numpy as np
import streamlit as st

F = TypeVar("F", bound=Callable[..., Any])

SHARED_FIGURES = 256
"""Figures kept for the app's own inputs, all sessions together."""
SESSION_FIGURES = 32
"""Figures kept per session for uploaded or camera photos."""
_SESSION_KEY = "_figure_memo"


class _Lru:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.items: OrderedDict[Hashable, Any] = OrderedDict()
        self.lock = threading.Lock()
        self.built = 0

    def get_or_build(self, key: Hashable, build: Callable[[], Any]) -> Any:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = _frozen(build())  # outside the lock: two sessions may build the same figure once each, never wait
        with self.lock:
            self.built += 1
            self.items[key] = value
            while len(self.items) > self.limit:
                self.items.popitem(last=False)
        return value


_SHARED = _Lru(SHARED_FIGURES)


def _frozen(figure: Any) -> Any:
    """Serialise a plotly figure's dict once: ``st.plotly_chart`` calls ``figure.to_dict()`` (a deep copy and a
    walk over every value, about as long as the JSON encoding) on every run; a remembered figure hands back the
    dict made here instead. Anything that is not a plotly figure is returned unchanged."""
    from plotly.basedatatypes import BaseFigure

    if isinstance(figure, BaseFigure):
        spec = figure.to_dict()
        object.__setattr__(figure, "to_dict", lambda: spec)
    return figure


def _session() -> _Lru:
    lru = st.session_state.get(_SESSION_KEY)
    if lru is None:
        lru = _Lru(SESSION_FIGURES)
        st.session_state[_SESSION_KEY] = lru
    return lru


def _freeze(value: Any) -> Hashable:
    """A hashable stand-in for an argument: arrays by (shape, dtype, bytes), containers element by element."""
    if isinstance(value, np.ndarray):
        return ("ndarray", value.shape, value.dtype.str, np.ascontiguousarray(value).tobytes())
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, *(_freeze(v) for v in value))
    if isinstance(value, dict):
        return ("dict", *((k, _freeze(v)) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))))
    if isinstance(value, np.generic):
        return value.item()
    hash(value)
    return value


def remembered(builder: F) -> F:
    """Decorate a figure builder: same arguments → the same figure object, built once.

    The wrapped builder takes one more keyword, ``photo_key``: the tray key of the photo the figure shows,
    if any (see the module docstring for who shares what)."""

    @functools.wraps(builder)
    def wrapper(*args: Any, photo_key: str | None = None, **kwargs: Any) -> Any:
        key = (builder.__module__, builder.__qualname__, _freeze(args), _freeze(kwargs))
        store = _SHARED if photo_key is None or photo_key.startswith("sample:") else _session()
        return store.get_or_build(key, lambda: builder(*args, **kwargs))

    wrapper.build = builder  # type: ignore[attr-defined]  # the plain builder, for tests
    return wrapper  # type: ignore[return-value]


def builds() -> tuple[int, int]:
    """How many figures were built so far: (shared, this session's). For tests and benches."""
    return _SHARED.built, _session().built


def clear() -> None:
    """Forget every remembered figure (tests)."""
    with _SHARED.lock:
        _SHARED.items.clear()
    _session().items.clear()
