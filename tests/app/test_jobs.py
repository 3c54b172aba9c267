"""ui.jobs: background jobs are bounded, one per session, stoppable, and report failures as sentences."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script():
    import time

    import streamlit as st

    from ui import jobs

    def counting(stop, n=5, delay=0.01, fail_at=None):
        for i in range(n):
            if fail_at == i:
                raise ValueError("the learning rate must be positive")
            time.sleep(delay)
            yield i

    mode = st.session_state.get("mode", "ok")
    if mode == "ok":
        jobs.start("count", lambda stop: counting(stop))
        try:
            jobs.start("other", lambda stop: counting(stop))
        except jobs.JobRefused as exc:
            st.session_state["refused"] = str(exc)
        snap = jobs.wait("count", 5)
    elif mode == "timeout":
        jobs.start("slow", lambda stop: counting(stop, n=1000, delay=0.01), time_limit=0.2)
        snap = jobs.wait("slow", 10)
    elif mode == "stop":
        jobs.start("slow", lambda stop: counting(stop, n=1000, delay=0.01))
        jobs.stop("slow")
        snap = jobs.wait("slow", 10)
    elif mode == "pause":
        jobs.start("p", lambda stop: counting(stop, n=50, delay=0.01))
        jobs.pause("p")
        time.sleep(0.3)
        first = jobs.snapshot("p")
        time.sleep(0.3)
        second = jobs.snapshot("p")
        st.session_state["paused"] = (first.status, first.steps, second.steps)
        jobs.resume("p")
        snap = jobs.wait("p", 10)
    else:
        jobs.start("bad", lambda stop: counting(stop, fail_at=2))
        snap = jobs.wait("bad", 5)
    st.session_state["snap"] = snap


def _run(mode: str):
    at = AppTest.from_function(_script, default_timeout=30)
    at.session_state["mode"] = mode
    at.run()
    assert not at.exception
    return at


def test_job_runs_to_the_end_and_a_second_is_refused():
    at = _run("ok")
    snap = at.session_state["snap"]
    assert snap.status == "done" and snap.steps == 5 and snap.history == (0, 1, 2, 3, 4)
    assert "still running" in at.session_state["refused"]


def test_time_limit_and_stop():
    snap = _run("timeout").session_state["snap"]
    assert snap.status == "timeout" and 5 <= snap.steps < 1000
    snap = _run("stop").session_state["snap"]
    assert snap.status == "stopped" and snap.steps < 1000


def test_failure_is_a_sentence():
    snap = _run("fail").session_state["snap"]
    assert snap.status == "failed" and snap.error == "the learning rate must be positive" and snap.steps == 2


def test_pause_holds_and_resume_finishes():
    at = _run("pause")
    status, steps1, steps2 = at.session_state["paused"]
    assert status == "paused" and steps1 == steps2 < 50
    snap = at.session_state["snap"]
    assert snap.status == "done" and snap.steps == 50 and snap.paused_for >= 0.5


def _queued_script():
    import time

    import streamlit as st

    from ui import jobs

    def counting(stop, n, delay):
        for i in range(n):
            if stop.is_set():
                return
            time.sleep(delay)
            yield i

    action = st.session_state["action"]
    name = st.session_state["name"]
    if action == "start":
        n = st.session_state.get("n", 20)
        try:
            jobs.start(name, lambda stop: counting(stop, n, 0.05))
        except jobs.JobRefused as exc:
            st.session_state["refused"] = str(exc)
            return
        time.sleep(0.2)
        st.session_state["first"] = jobs.snapshot(name)
        st.session_state["line"] = jobs.describe(jobs.snapshot(name))
    elif action == "cancel":
        jobs.cancel(name)
        st.session_state["first"] = jobs.wait(name, 5)
    else:
        st.session_state["first"] = jobs.wait(name, 20)


def _session(name: str, n: int = 20) -> AppTest:
    at = AppTest.from_function(_queued_script, default_timeout=30)
    at.session_state["action"] = "start"
    at.session_state["name"] = name
    at.session_state["n"] = n
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _then(at: AppTest, action: str):
    at.session_state["action"] = action
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at.session_state["first"]


def test_a_full_queue_makes_the_next_job_wait_show_its_place_then_run(monkeypatch):
    monkeypatch.setenv("DVL_JOB_SLOTS", "1")
    first = _session("busy", n=80)  # 80 steps × 50 ms: about 4 s on the one place
    assert first.session_state["first"].status == "running"
    second = _session("waiting", n=3)
    snap = second.session_state["first"]
    assert snap.status == "queued" and snap.place == 1 and snap.eta is not None and 0 < snap.eta <= 120
    assert second.session_state["line"].startswith("Waiting: 1st in line, about ")
    third = _session("third", n=3)
    assert third.session_state["first"].place == 2, "first come, first served"
    done = _then(second, "wait")
    assert done.status == "done" and done.steps == 3 and done.started >= snap.queued_at
    assert _then(first, "wait").status == "done"
    assert _then(third, "wait").status == "done"


def test_a_waiting_job_can_leave_the_line_and_the_line_is_bounded(monkeypatch):
    from ui import jobs

    monkeypatch.setenv("DVL_JOB_SLOTS", "1")
    first = _session("busy", n=80)
    second = _session("waiting", n=3)
    assert second.session_state["first"].status == "queued"
    assert _then(second, "cancel").status == "cancelled"
    monkeypatch.setattr(jobs, "MAX_QUEUE", 0)
    at = AppTest.from_function(_queued_script, default_timeout=30)
    at.session_state["action"] = "start"
    at.session_state["name"] = "refused"
    at.run()
    assert "already waiting on this server" in at.session_state["refused"]
    assert _then(first, "wait").status == "done"
