"""The Classroom page's views: joining a class, a student's own work, creating a class, and the teacher's table.

Display names come from students: they are shown only in table cells and ``st.text``, never in markdown.
The teacher key is typed into a password box that is not bound to the link and kept in this session only.
"""

from __future__ import annotations

import streamlit as st

from ui.classroom import me, remember, token
from ui.common import friendly_errors
from vision_core.challenges import challenge, challenge_ids
from vision_core.classroom import ClassroomStore

_TEACHER = "_teacher"


def challenge_list() -> None:
    """Every challenge with a link that opens it."""
    rows = []
    for cid in challenge_ids():
        c = challenge(cid)
        rows.append({"challenge": c.title, "page": c.page.replace("_", " "), "task": c.task, "open": c.link()})
    st.dataframe(rows, hide_index=True, width="stretch",
                 column_config={"open": st.column_config.LinkColumn("open", display_text="open ↗")})


def student_view(s: ClassroomStore) -> None:
    """Join with a code and a display name, or — once joined — the student's own submissions."""
    student = me()
    if student is None:
        st.markdown("Your teacher gives you a **class code**. Type it with the name your classmates know you by "
                    "(no e-mail, no password).")
        with st.form("cls_join"):
            code = st.text_input("Class code", value=st.query_params.get("join", ""), max_chars=20)
            name = st.text_input("Your display name", max_chars=40)
            if st.form_submit_button("Join the class", type="primary"):
                with friendly_errors("Could not join: "):
                    remember(s.join(code, name))
                    st.rerun()
        return
    st.success("You are in the class. Your personal key is in this page's link: bookmark it to come back.", icon="🎓")
    st.text(f"{student.display_name} · {student.class_name}" + (" (closed)" if student.class_closed else ""))
    with friendly_errors():
        mine = s.my_attempts(token())
        if not mine:
            st.caption("No submissions yet: open a challenge below, work on it, press Submit.")
        else:
            st.dataframe([{"challenge": challenge(a.challenge_id).title if a.challenge_id in challenge_ids() else a.challenge_id,
                           "score": round(100 * a.score), "when": a.at.strftime("%Y-%m-%d %H:%M"),
                           "attempt": f"/{challenge(a.challenge_id).page}{a.link}" if a.challenge_id in challenge_ids() else ""}
                          for a in mine], hide_index=True, width="stretch",
                         column_config={"score": st.column_config.ProgressColumn("score", min_value=0, max_value=100, format="%d %%"),
                                        "attempt": st.column_config.LinkColumn("attempt", display_text="reopen ↗")})


def teacher_view(s: ClassroomStore) -> None:
    """Create a class (its join link and the private key, shown once), then open a class's table with its key."""
    with st.expander("Create a class", expanded=_TEACHER not in st.session_state):
        with st.form("cls_create"):
            name = st.text_input("Class name", max_chars=40, placeholder="Vision 101, Tuesday group")
            if st.form_submit_button("Create", type="primary"):
                with friendly_errors("Could not create the class: "):
                    new = s.create_class(name)
                    st.session_state[_TEACHER] = (new.class_id, new.teacher_key)
                    st.session_state["_teacher_new"] = new
        new = st.session_state.get("_teacher_new")
        if new is not None:
            base = str(st.context.url).split("?")[0].rsplit("/", 1)[0]
            st.markdown(f"**Class number {new.class_id}.** Students join with the code **{new.join_code}** or this link:")
            st.code(f"{base}/classroom?join={new.join_code}", language=None)
            st.warning("Your teacher key is below. It is shown only now and stored only as a hash: keep it to open the "
                       "table later. Never put it in a link.", icon="🔑")
            st.code(new.teacher_key, language=None)
    c1, c2 = st.columns([1, 3])
    known = st.session_state.get(_TEACHER, (None, ""))
    class_id = c1.number_input("Class number", 1, 10**9, int(known[0] or 1), key="cls_tclass", bind="query-params")
    key = c2.text_input("Teacher key", value=known[1], type="password", key="_cls_tkey")
    if not key:
        st.caption("Type the teacher key to see the table.")
        return
    with friendly_errors():
        table = s.table(int(class_id), key, challenge_ids())
        st.session_state[_TEACHER] = (int(class_id), key)
        _table(s, table, int(class_id), key)


def _table(s: ClassroomStore, table, class_id: int, key: str) -> None:  # noqa: ANN001 - classroom.ClassTable
    st.subheader("Best scores")
    st.text(f"{table.name} · code {table.join_code} · {len(table.rows)} students" + (" · closed" if table.closed else ""))
    titles = {cid: challenge(cid).title if cid in challenge_ids() else cid for cid in table.challenges}
    rows = []
    for row in table.rows:
        line: dict[str, object] = {"student": row.display_name}
        for cid in table.challenges:
            best = row.best.get(cid)
            line[titles[cid]] = "—" if best is None else f"{round(100 * best.score)} %"
        rows.append(line)
    if rows:
        st.table(rows)  # a plain table: names are cell text (never markup), and a page reader can read every cell
    else:
        st.caption("Nobody has joined yet: share the class code.")
    st.subheader("Attempts")
    attempts = s.attempts(class_id, key)
    st.dataframe([{"student": a.display_name, "challenge": titles.get(a.challenge_id, a.challenge_id),
                   "score": round(100 * a.score), "when": a.at.strftime("%Y-%m-%d %H:%M"),
                   "attempt": f"/{challenge(a.challenge_id).page}{a.link}" if a.challenge_id in challenge_ids() else ""}
                  for a in attempts], hide_index=True, width="stretch",
                 column_config={"attempt": st.column_config.LinkColumn("attempt", display_text="open ↗")})
    d1, d2, c1, c2 = st.columns(4)
    d1.download_button("Best scores (CSV)", s.csv(class_id, key, challenge_ids()), f"class-{class_id}-best.csv", "text/csv")
    d2.download_button("All attempts (CSV)", s.attempts_csv(class_id, key), f"class-{class_id}-attempts.csv", "text/csv")
    if table.closed:
        if c1.button("Reopen the class"):
            s.reopen(class_id, key)
            st.rerun()
    elif c1.button("Close the class", help="No new students and no new submissions; the table stays."):
        s.close(class_id, key)
        st.rerun()
    confirm = c2.checkbox("I want to delete every submission", key="_cls_confirm")
    if c2.button("Reset the class", disabled=not confirm):
        n = s.reset(class_id, key)
        st.success(f"{n} submissions deleted; the class and its students stay.")
