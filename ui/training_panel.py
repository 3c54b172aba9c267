"""A page's live-training section, written once: the Train / Stop buttons and the fragment that shows the run.

A page that trains a network as a ``ui.jobs`` job (Train a CNN, Autoencoders, Classification + localisation,
Image captioning) puts ``train_buttons`` under its settings and ``live`` after them::

    def run():                                   # called on Train: validate, then the job's factory
        config = Config(steps=int(steps)).validate()
        return lambda stop: train(config, stop.is_set)

    training_panel.train_buttons(JOB, "ae", run, TIME_LIMIT)
    training_panel.live(JOB, render, waiting="Press **Train** …", starting="Starting… (loading digits)")

``render(snapshot, latest_record)`` draws the page's own numbers and curves. The fragment refreshes every
second only while the job lives (``jobs.refresh_every``); when a run ends the whole app reruns once, so the
sections below it pick up the final weights. A section that uses them opens with ``weights_section``: its
heading, then what to do first while nothing is trained, or which weights it uses.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import streamlit as st

from ui import jobs
from ui.common import friendly_errors

__all__ = ["ended", "live", "train_buttons", "weights_section"]

Factory = Callable[[threading.Event], Iterator[Any]]


def train_buttons(job: str, prefix: str, run: Callable[[], Factory], time_limit: float, *,
                  disabled: bool = False) -> None:
    """▶️ Train (widget key ``{prefix}_start``) and ⏹️ Stop (``{prefix}_stop``) for job ``job`` of this session.

    Train calls ``run()`` (which validates the settings and returns the job's factory) and queues it with
    ``time_limit`` seconds, keeping only the latest record; a bad setting shows as an error, a refused
    start (another job alive, the line full) as a warning. Train is disabled while the job lives or when
    ``disabled``; Stop while it does not live."""
    b1, b2, _ = st.columns([1, 1, 4])
    if b1.button("▶️ Train", key=f"{prefix}_start", type="primary", disabled=jobs.alive(job) or disabled):
        with friendly_errors():
            factory = run()
            try:
                jobs.start(job, factory, time_limit=time_limit, keep_history=False)
            except jobs.JobRefused as exc:
                st.warning(str(exc))
    if b2.button("⏹️ Stop", key=f"{prefix}_stop", disabled=not jobs.alive(job)):
        jobs.stop(job)


def ended(status: str, time_limit: float) -> str:
    """How a run ended, for a person: finished, stopped, or stopped at the time limit (other statuses as they are)."""
    return {"done": "Finished.", "stopped": "Stopped: the weights of the last step are kept.",
            "timeout": f"Stopped at the {time_limit:.0f} s limit: the weights of the last step are kept."
            }.get(status, status)


def _show(job: str, render: Callable[[jobs.JobSnapshot, Any], None], waiting: str, starting: str) -> None:
    s = jobs.snapshot(job)
    if s is None:
        st.info(waiting)
        return
    if s.status == "failed":
        st.error(s.error)
    last = s.latest
    if last is None:
        st.caption(jobs.describe(s) if s.status == "queued" else starting)
        return
    render(s, last)
    seen = f"_{job}_done_seen"
    if not s.running and st.session_state.get(seen) != s.started:
        st.session_state[seen] = s.started
        st.rerun(scope="app")  # once per run: the sections below appear with the trained network


def live(job: str, render: Callable[[jobs.JobSnapshot, Any], None], *, waiting: str, starting: str) -> None:
    """Job ``job``'s run in a fragment that refreshes every second while the job waits or trains (no polling
    otherwise): ``waiting`` (an info box) before the first run, the place in line or ``starting`` (a caption)
    until the first record, then ``render(snapshot, latest record)``; a failure shows its error above. When
    the run has ended, the app reruns once."""
    st.fragment(run_every=jobs.refresh_every(job))(_show)(job, render, waiting, starting)


def weights_section(title: str, net: Any, record: Any, missing: str,
                    detail: Callable[[Any], str] = lambda record: "") -> bool:
    """Open a section that needs the trained network: a divider and the heading ``title``, then, while ``net`` is
    None, the note ``missing`` (an info box; False: nothing to show yet), else a caption naming the weights used,
    "Using the weights of step N" followed by ``detail(record)`` (True)."""
    st.divider()
    st.subheader(title)
    if net is None:
        st.info(missing)
        return False
    st.caption(f"Using the weights of step {record.step}{detail(record)}.")
    return True
