"""Models shared by every session: the app's one model cache, one copy per process through ``st.cache_resource``.

``require_model(name)`` returns the ready model, or renders what is missing (an embedded asset to
fetch, or hub weights to download, with size and a progress bar) and returns ``None`` so the page can
fall back or explain. A model that shares another's weights (``ModelSpec.shares``) is built from the
cached copy of that model, so the weights sit in memory once. Models that are not thread-safe come
back from the registry behind its lock; pages never lock by hand.

``strongest_index(task, names, fallback)`` is a model menu's default selection: the strongest model of that
task on this machine (``vision_core.models.recommended.strongest_available``), so a host that ran
``make models`` opens Faster R-CNN where an offline one opens YOLOv3-tiny; a link naming a model still wins.
``say_strongest(name, task)`` says so in a caption when that model is a download.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from vision_core.assets import fetch
from vision_core.errors import AssetError, AssetMissing, WeightsMissing
from vision_core.models import Task, best_device, download_weights, get_model, get_spec, missing_requirements
from vision_core.models.recommended import strongest_available


@st.cache_resource(show_spinner="Loading the model once for everyone…")
def _cached_model(name: str, device: str) -> Any:
    spec = get_spec(name)
    if spec.shares is not None:
        return get_model(name, device, base=_cached_model(spec.shares, device))
    return get_model(name, device)


def is_available(name: str) -> bool:
    """Whether everything model ``name`` needs is on this machine."""
    return not missing_requirements(get_spec(name))


def strongest_index(task: Task | str, names: Sequence[str], fallback: str) -> int:
    """The index in ``names`` of the strongest model of ``task`` present on this machine, the menu's default;
    ``fallback``'s index (the embedded default) when that model is not in the menu."""
    options = list(names)
    best = strongest_available(task)
    return options.index(best if best in options else fallback)


def say_strongest(name: str, task: Task | str) -> None:
    """A caption "Using <title> (the strongest model on this machine; others in the menu)" when the page runs
    ``name``, it is the strongest model present and it is a download. Offline the strongest is embedded and
    nothing is shown: the page looks as it always did."""
    if name == strongest_available(task) and get_spec(name).weights is not None:
        st.caption(f"Using {get_spec(name).title} (the strongest model on this machine; others in the menu).")


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
    if spec.weights is not None and spec.weights.is_cached() and not spec.assets:
        st.caption("Nothing left to download: install the package listed above, then restart the app.")
        return
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


@st.cache_resource(show_spinner=False)
def cascade_classifier(name: str) -> Any:
    """OpenCV's bundled Haar cascade ``name`` (a key of ``vision_core.classic.CASCADES``) as a
    ``cv2.CascadeClassifier``, one per process. It ships with OpenCV, so it is not in the registry; it comes
    behind its own lock (``Serialized``) because ``detectMultiScale`` writes into the classifier's buffers
    (opencv/opencv#4287): two sessions never run the same one at once."""
    import threading

    from vision_core.classic import open_cascade
    from vision_core.models import Serialized

    return Serialized(open_cascade(name), threading.RLock())


@st.cache_resource(show_spinner=False)
def cascade_model(name: str) -> Any:
    """The same cascade's XML read once per process into a ``vision_core.classic.CascadeModel`` (read-only
    arrays, shared as is) for the stage-by-stage evaluation."""
    from vision_core.classic import load_cascade

    return load_cascade(name)
