"""The challenge panel: a link ``?challenge=<id>`` opens a page with its task, a live score and "Submit".

``banner()`` (called by ``ui.common.page_header``) draws the task at the top of the page when the link
names a challenge of this page, and keeps a slot for the score; the page calls
``score(page, attempt)`` once it knows the student's settings or result, and the slot shows the score,
what was measured, the hint and the Submit button. Without a class (or without a database) the
score is still shown; it just cannot be saved.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from vision_core.challenges import Challenge, Score, challenge
from vision_core.errors import BadInput

_SLOT = "_challenge_slot"


def _in_fragment() -> bool:
    """Whether this run is a fragment's rerun (it cannot write into the banner drawn by the full run)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return bool(ctx is not None and getattr(ctx, "fragment_ids_this_run", None))


def active_id() -> str | None:
    """The id of the challenge the link names, if it is a real one (no message)."""
    cid = st.query_params.get("challenge")
    try:
        return challenge(cid).id if cid else None
    except BadInput:
        return None


def active() -> Challenge | None:
    """The challenge named by the link, if any (a forged or unknown id gets a sentence, not a traceback)."""
    cid = st.query_params.get("challenge")
    if not cid:
        return None
    try:
        return challenge(cid)
    except BadInput as exc:
        st.warning(str(exc), icon="🎯")
        return None


def banner(page: str) -> None:
    """The task box at the top of ``page`` (its URL path), with an empty slot that ``score`` fills later in this run."""
    st.session_state[_SLOT] = None
    c = active()
    if c is None:
        return
    if c.page != page:
        st.info(f"🎯 The challenge **{c.title}** is on another page: [open it]({c.link()}).")
        return
    box = st.container(border=True)
    box.markdown(f"🎯 **Challenge · {c.title}**")
    box.markdown(c.task)
    box.caption(f"📖 {c.lecture}")
    st.session_state[_SLOT] = (c, box.empty())


def score(page: str, attempt: dict[str, Any] | None, *, inline: bool = False, only: str | None = None) -> Score | None:
    """Score ``attempt`` for the active challenge of ``page`` and draw it in the banner's slot (no-op otherwise).

    ``inline`` draws it where it is called instead: a fragment (which cannot write outside itself) needs that.
    ``only``: score only when the active challenge is this one (a page with several challenges in several views)."""
    if inline or _in_fragment():
        cid = active_id()
        c = challenge(cid) if cid else None
        if c is None or c.page != page:
            return None
        place = st.container(border=True)
    else:
        slot = st.session_state.get(_SLOT)
        if slot is None or slot[0].page != page:
            return None
        c, place = slot
    if only is not None and c.id != only:
        return None
    with place.container():
        if attempt is None:
            st.caption("Use the page's controls: your score appears here as you work.")
            return None
        try:
            result = c.score(attempt)
        except BadInput as exc:
            st.caption(str(exc))
            return None
        st.progress(result.value, text=f"Score {result.percent} % — {result.measured}")
        (st.success if result.passed else st.info)(result.hint, icon="✅" if result.passed else "💡")
        _submit_button(c, result)
    return result


def _submit_button(c: Challenge, result: Score) -> None:
    from ui import classroom

    classroom.submit_button(c, result)
