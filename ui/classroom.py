"""Classroom mode in the UI: the database connection, who the student is, and the challenge panel's Submit.

The store is opened once per process (``store_from_env``: SQLite by default, ``DVL_DATABASE_URL`` for
PostgreSQL); without one the app works as before and scores are shown but not saved. A student is
identified by the personal key they get when they join: it lives in the sidebar's "🎓 Classroom" box,
bound to the link (``?me=…``), so a reload or a bookmark brings them back with their submissions.
The teacher key never goes into a link: it is typed on the Classroom page and kept in the session.
Display names are always shown as text (``st.text``, table cells), never as markdown.
"""

from __future__ import annotations

import hashlib
import uuid
from urllib.parse import urlencode

import streamlit as st

from vision_core.challenges import Challenge, Score
from vision_core.classroom import ClassroomStore, NotAllowed, StoreStatus, Student, store_from_env

ME = "me"
"""The query parameter (and widget key) that holds a student's personal key."""
_PENDING = "_me_pending"
_PRIVATE_PARAMS = {ME}


@st.cache_resource(show_spinner=False)
def _status() -> StoreStatus:
    return store_from_env()


def store() -> ClassroomStore | None:
    """The process's classroom store, or ``None`` when no database is configured or reachable."""
    return _status().store


def unavailable_reason() -> str:
    """Why classroom storage is off here (empty when it is on)."""
    status = _status()
    return "" if status.store is not None else (status.reason or "No database is configured.")


def remember(token: str) -> None:
    """Make ``token`` this session's student key from the next run on (the sidebar widget is already drawn): it
    goes into the link, which the sidebar's key box is bound to."""
    st.session_state[_PENDING] = token


def render_identity() -> None:
    """The sidebar's classroom box: the student's key (bound to the link) and who it belongs to."""
    if _PENDING in st.session_state:
        st.session_state[ME] = st.session_state.pop(_PENDING)
    with st.sidebar.expander("🎓 Classroom", expanded=bool(token())):
        st.text_input("Your student key", key=ME, bind="query-params",
                      help="You get it when you join a class. It stays in this page's link: bookmark the link to come "
                           "back with your submissions.")
        student = me()
        if student is not None:
            st.caption("Signed in as")
            st.text(f"{student.display_name} · {student.class_name}")
        elif token():
            st.warning("This student key belongs to no class here.", icon="🎓")
        st.page_link("pages/classroom.py", label="Join a class · teacher's table", icon="🎓")


def token() -> str:
    """This session's student key: the sidebar box's value, else the link's ``?me=``."""
    return str(st.session_state.get(ME) or st.session_state.get(_PENDING) or st.query_params.get(ME) or "")


def me() -> Student | None:
    """The student whose key is in the link, if it is a valid key (looked up once per run)."""
    token_ = token()
    s = store()
    if not token_ or s is None:
        return None
    cache = st.session_state.get("_me_cache")
    if cache and cache[0] == token_:
        return cache[1]
    try:
        student = s.student(token_)
    except NotAllowed:
        student = None
    st.session_state["_me_cache"] = (token_, student)
    return student


def attempt_link() -> str:
    """The query string that reopens this page as it is now (the student's own key left out)."""
    params = {k: v for k, v in st.query_params.to_dict().items() if k not in _PRIVATE_PARAMS}
    return "?" + urlencode(params)


def _session_id() -> str | None:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None:
        return None
    return hashlib.sha256(str(ctx.session_id).encode()).hexdigest()[:32]  # a stable, well-formed id per browser tab


def submit_button(c: Challenge, result: Score) -> None:
    """Submit the current score of challenge ``c`` for the signed-in student (a new nonce per press, so a replayed
    press saves nothing twice)."""
    s = store()
    if s is None:
        st.caption(f"Scores are not saved on this server ({unavailable_reason()}).")
        return
    student = me()
    if student is None:
        st.caption("Join a class (🎓 in the sidebar) to save your score for your teacher.")
        return
    nonce_key = f"_nonce_{c.id}"
    nonce = st.session_state.setdefault(nonce_key, uuid.uuid4().hex)
    if st.button(f"Submit {result.percent} %", key=f"_submit_{c.id}", type="primary" if result.passed else "secondary"):
        from ui.common import friendly_errors

        with friendly_errors("Not saved: "):
            receipt = s.submit(token(), c.id, float(result.value), attempt_link(), nonce,
                               session_id=_session_id())
            st.session_state[nonce_key] = uuid.uuid4().hex
            (st.info if receipt.replayed else st.success)(receipt.message, icon="🎓")
