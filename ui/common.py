"""Page furniture: headers, lecture references, friendly error boxes."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitAPIException

import ui
from vision_core.errors import AssetMissing, WeightsMissing


def page_header(title: str, lecture: str, intro: str) -> None:
    """Title, the lecture this page follows, and one paragraph of what to try."""
    if ui.started_in_v1_mode:
        ui.started_in_v1_mode = False
        try:
            st.query_params.from_dict(st.query_params.to_dict())
        except StreamlitAPIException:
            pass
        st.rerun()
    st.title(title)
    st.caption(f"📖 Lecture: {lecture}")
    st.markdown(intro)
    from ui import challenge_panel

    caller = Path(sys._getframe(1).f_code.co_filename)  # the calling page (inspect.stack() read every frame's source)
    challenge_panel.banner(caller.stem if caller.parent.name == "pages" else "")


def coming_soon(what: str) -> None:
    """A plain notice for a page that is not built yet (a stub, not a finished page)."""
    st.info(f"**Coming:** {what}", icon="🚧")


@contextmanager
def friendly_errors(prefix: str = "") -> Iterator[None]:
    """Show any user-facing error (``VisionCoreError``, which is a ``ValueError``: bad input, a missing
    asset or weights, an unknown model) as an error box instead of a traceback."""
    try:
        yield
    except ValueError as exc:
        icon = "📦" if isinstance(exc, (AssetMissing, WeightsMissing)) else "⚠️"
        st.error(f"{prefix}{exc}", icon=icon)
