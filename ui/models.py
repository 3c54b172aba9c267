"""Models shared by every session: one copy per process through ``st.cache_resource``.

``require_model(name)`` returns the ready model, or renders what is missing
(an embedded asset to fetch, or hub weights to download, with size and a
progress bar) and returns ``None`` so the page can fall back or explain.
"""

from __future__ import annotations

import threading
from typing import Any

import streamlit as st

from vision_core.assets import AssetError, AssetMissing, fetch
from vision_core.models import (
    WeightsMissing,
    best_device,
    download_weights,
    get_model,
    get_spec,
    missing_requirements,
)


@st.cache_resource(show_spinner="Loading the model once for everyone…")
def _cached_model(name: str, device: str) -> Any:
    return get_model(name, device)


@st.cache_resource
def _model_lock(name: str) -> threading.Lock:
    return threading.Lock()


def model_lock(name: str) -> threading.Lock:
    """A per-model lock; hold it around calls to models registered with ``thread_safe=False``."""
    return _model_lock(name)


def is_available(name: str) -> bool:
    """Whether everything model ``name`` needs is on this machine."""
    return not missing_requirements(get_spec(name))


def require_model(name: str, *, offer_download: bool = True) -> Any | None:
    """The shared model ``name``, or ``None`` after telling the user what is missing."""
    spec = get_spec(name)
    missing = missing_requirements(spec)
    if missing:
        if offer_download:
            render_missing(name)
        return None
    try:
        return _cached_model(name, str(best_device()))
    except (AssetMissing, WeightsMissing) as exc:
        st.warning(str(exc))
        return None


def render_missing(name: str) -> None:
    """Explain what model ``name`` lacks and offer a button that fetches it with a progress bar."""
    spec = get_spec(name)
    missing = missing_requirements(spec)
    if not missing:
        return
    st.info(
        f"**{spec.title}** is not on this machine yet. Missing:\n\n" + "\n".join(f"- {line}" for line in missing),
        icon="📦",
    )
    if spec.weights is not None:
        size = spec.weights.size_mb
        label = f"Download {spec.title} weights" + (f" ({size:.0f} MB)" if size else "")
    else:
        label = f"Fetch embedded files for {spec.title}"
    if st.button(label, key=f"_get_{name}"):
        bar = st.progress(0.0, text="Starting…")

        def progress(frac: float, msg: str) -> None:
            bar.progress(min(max(frac, 0.0), 1.0), text=msg)

        try:
            if spec.weights is not None:
                download_weights(name, progress=progress)
            else:
                fetch(spec.assets, progress=progress)
        except (WeightsMissing, AssetError) as exc:
            bar.empty()
            st.error(f"{exc}", icon="🌐")
            return
        bar.empty()
        st.rerun()
