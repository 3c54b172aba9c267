"""The image tray: one chosen photo, shared by every page of a session.

The tray lives in the sidebar and is rendered by ``streamlit_app.py`` on every
run. A sample's name is bound to the URL (``?src=Sample&sample=coffee``) so a
shared link reopens the same photo; uploaded or camera photos stay in the
session only and are never written to disk or put into URLs.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass

import numpy as np
import streamlit as st

from vision_core.io.images import ImageError, load_image, resize_max_side
from vision_core.io.samples import DEFAULT_SAMPLE, SAMPLES, load_sample, sample_names

SOURCES = ("Sample", "Upload", "Camera")
_STATE = "_tray_current"
_UPLOAD_SEEN = "_tray_upload_seen"
_THUMB = "_tray_thumb"


@dataclass(frozen=True)
class TrayImage:
    """The photo in the tray: ``(H, W, 3)`` uint8 RGB, where it came from, and a short label."""

    image: np.ndarray
    source: str
    label: str
    key: str


def _sample_item(name: str) -> TrayImage:
    return TrayImage(load_sample(name), "sample", SAMPLES[name].title, f"sample:{name}")


THUMB_SIDE = 640
"""Long side of the tray's picture in pixels (the sidebar is about 300 px wide: twice that for sharp screens)."""


def _encode_thumbnail(image: np.ndarray) -> bytes:
    """The photo with its long side at most ``THUMB_SIDE``, as JPEG bytes (what ``st.image`` would send)."""
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(resize_max_side(image, THUMB_SIDE)).convert("RGB").save(buf, format="JPEG", quality=90)
    return buf.getvalue()


@functools.lru_cache(maxsize=32)
def _sample_thumbnail(key: str) -> bytes:
    """A bundled sample's tray picture, encoded once per process (samples are the same for everybody)."""
    return _encode_thumbnail(load_sample(key.removeprefix("sample:")))


def thumbnail(item: TrayImage) -> bytes:
    """The tray picture of ``item``, encoded once per tray key: samples once per process, an upload or camera
    photo once in its own session (never shared). A rerun hands ``st.image`` these bytes instead of the array,
    which it would re-encode every time."""
    if item.source == "sample" and item.key.startswith("sample:"):
        return _sample_thumbnail(item.key)
    held = st.session_state.get(_THUMB)
    if held is None or held[0] != item.key:
        held = (item.key, _encode_thumbnail(item.image))
        st.session_state[_THUMB] = held
    return held[1]


def _take_upload(data: bytes, file_id: str, label: str, source: str) -> None:
    if st.session_state.get(_UPLOAD_SEEN) == file_id:
        return
    st.session_state[_UPLOAD_SEEN] = file_id
    try:
        arr = load_image(data)
    except ImageError as exc:
        st.session_state["_tray_error"] = str(exc)
        return
    st.session_state.pop("_tray_error", None)
    arr.setflags(write=False)
    st.session_state[f"_tray_{source}"] = TrayImage(arr, source, label, f"{source}:{file_id}")


def render_tray() -> TrayImage:
    """Draw the tray in the sidebar and return the current photo."""
    with st.sidebar:
        st.markdown("### 🖼️ Image tray")
        source = st.segmented_control(
            "Photo source", SOURCES, default="Sample", key="src", bind="query-params", required=True
        ) or "Sample"
        item: TrayImage | None = None
        if source == "Sample":
            name = st.selectbox(
                "Sample photo",
                sample_names(),
                index=sample_names().index(DEFAULT_SAMPLE),
                key="sample",
                bind="query-params",
                help="Photos bundled with scikit-image and scikit-learn; the name goes into shared links.",
            )
            item = _sample_item(name or DEFAULT_SAMPLE)
        elif source == "Upload":
            up = st.file_uploader(
                "Upload a photo", type=["jpg", "jpeg", "png", "gif", "webp", "bmp", "tif", "tiff"], key="upload"
            )
            if up is not None:
                _take_upload(up.getvalue(), up.file_id, up.name, "upload")
            item = st.session_state.get("_tray_upload")
        else:
            shot = st.camera_input("Take a photo", key="camera")
            if shot is not None:
                _take_upload(shot.getvalue(), shot.file_id, "Camera photo", "camera")
            item = st.session_state.get("_tray_camera")
        error = st.session_state.get("_tray_error")
        if error and source != "Sample":
            st.error(error, icon="🚫")
        if item is None:
            previous = st.session_state.get(_STATE)
            item = previous if previous is not None else _sample_item(DEFAULT_SAMPLE)
            if source != "Sample":
                st.caption("No photo yet: showing the last one used.")
        st.session_state[_STATE] = item
        h, w = item.image.shape[:2]
        st.image(thumbnail(item), caption=f"{item.label} · {w}×{h}", width="stretch")
    return item


def current_image() -> TrayImage:
    """The tray's photo for this session (the default sample before the tray has run)."""
    item = st.session_state.get(_STATE)
    return item if item is not None else _sample_item(DEFAULT_SAMPLE)
