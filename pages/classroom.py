"""Classroom: join a class with a code, see your own submissions, create a class and read its table of best scores."""

from __future__ import annotations

import streamlit as st

from ui.classroom import store, unavailable_reason
from ui.classroom_views import challenge_list, student_view, teacher_view
from ui.common import page_header

page_header(
    "🎓 Classroom",
    "Every page of the course — challenges the app checks on your own settings and results",
    "A teacher creates a class and shares its code; students join with a display name, open a challenge, "
    "work on the page and press **Submit**. The app scores every attempt itself; the teacher's table shows each "
    "student's best score and opens the attempt that earned it.",
)

s = store()
if s is None:
    st.info(f"Classroom storage is off on this server: {unavailable_reason()} Challenges still score your work; "
            "scores just cannot be saved. (Set `DVL_DATABASE_URL`, see the README.)", icon="🗄️")
student_tab, teacher_tab, list_tab = st.tabs(["Student", "Teacher", "All challenges"])
with student_tab:
    if s is not None:
        student_view(s)
with teacher_tab:
    if s is not None:
        teacher_view(s)
with list_tab:
    challenge_list()
