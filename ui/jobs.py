"""Long work (training, optimisation) that runs beside the app instead of blocking it.

A job wraps a generator from ``vision_core`` (a training loop that yields its
progress). It runs in a daemon thread; the page shows its latest snapshot in an
auto-refreshing ``st.fragment``. Rules that keep a classroom's server healthy:

- one running job per session (a second start is refused with a message);
- at most ``MAX_JOBS`` running jobs per process;
- every job has a time limit, a stop button, and stops by itself when its
  browser session ends.

Usage in a page::

    job = jobs.get("train_lenet")
    if st.button("Train") :
        jobs.start("train_lenet", lambda stop: train_lenet(epochs=3, should_stop=stop.is_set), time_limit=120)

    @st.fragment(run_every=1.0)
    def live():
        snap = jobs.snapshot("train_lenet")
        ...
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import streamlit as st

MAX_JOBS = 4
MAX_PAUSE = 600.0
_SESSION_KEY = "_jobs"
_active = threading.BoundedSemaphore(MAX_JOBS)


class JobRefused(RuntimeError):
    """A job could not start; the message says why, for a person."""


@dataclass(frozen=True)
class JobSnapshot:
    """What a job has done so far. ``status``: running, paused, done, stopped, timeout, failed."""

    name: str
    status: str
    latest: Any = None
    history: tuple[Any, ...] = ()
    steps: int = 0
    error: str = ""
    started: float = 0.0
    finished: float | None = None
    paused_for: float = 0.0

    @property
    def running(self) -> bool:
        """Still alive (running or paused): holds the session's one job slot."""
        return self.status in ("running", "paused")

    @property
    def elapsed(self) -> float:
        return (self.finished or time.monotonic()) - self.started


@dataclass
class _Job:
    name: str
    time_limit: float
    keep_history: bool
    session_id: str | None
    stop: threading.Event = field(default_factory=threading.Event)
    paused: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    snap: JobSnapshot | None = None
    thread: threading.Thread | None = None

    def _update(self, **changes: Any) -> None:
        with self.lock:
            assert self.snap is not None
            self.snap = replace(self.snap, **changes)

    def _running_time(self) -> float:
        assert self.snap is not None
        return time.monotonic() - self.snap.started - self.snap.paused_for

    def _wait_while_paused(self) -> bool:
        """Hold the loop while paused; False when it should stop instead (stop, session gone, paused too long)."""
        since = time.monotonic()
        self._update(status="paused")
        while self.paused.is_set():
            if self.stop.is_set() or not _session_alive(self.session_id) or time.monotonic() - since > MAX_PAUSE:
                return False
            time.sleep(0.1)
        assert self.snap is not None
        self._update(status="running", paused_for=self.snap.paused_for + time.monotonic() - since)
        return True

    def run(self, factory: Callable[[threading.Event], Iterator[Any]]) -> None:
        history: list[Any] = []
        status = "done"
        try:
            for step, item in enumerate(factory(self.stop), start=1):
                if self.keep_history:
                    history.append(item)
                self._update(latest=item, steps=step, history=tuple(history))
                if self.paused.is_set() and not self._wait_while_paused():
                    status = "stopped"
                    break
                if self.stop.is_set():
                    status = "stopped"
                    break
                if self._running_time() > self.time_limit:
                    status = "timeout"
                    break
                if not _session_alive(self.session_id):
                    status = "stopped"
                    break
        except ValueError as exc:
            status = "failed"
            self._update(error=str(exc))
        except Exception as exc:  # noqa: BLE001 - reported to the user as one sentence, never a traceback
            status = "failed"
            self._update(error=f"The run failed ({type(exc).__name__}: {exc}).")
        finally:
            if status == "done" and self.stop.is_set():
                status = "stopped"
            self._update(status=status, finished=time.monotonic())
            _active.release()


def _session_alive(session_id: str | None) -> bool:
    if session_id is None:
        return True
    try:
        from streamlit.runtime import Runtime

        return Runtime.instance().is_active_session(session_id)
    except Exception:  # noqa: BLE001 - no runtime (AppTest, bare mode): the time limit still bounds the job
        return True


def _session_jobs() -> dict[str, _Job]:
    return st.session_state.setdefault(_SESSION_KEY, {})


def _session_id() -> str | None:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def start(
    name: str,
    factory: Callable[[threading.Event], Iterator[Any]],
    *,
    time_limit: float = 120.0,
    keep_history: bool = True,
) -> None:
    """Start ``factory(stop_event)`` in the background as job ``name`` for this session.

    Raises ``JobRefused`` if this session already runs a job or the server is at ``MAX_JOBS``.
    """
    jobs = _session_jobs()
    running = [j for j in jobs.values() if j.snap is not None and j.snap.running]
    if running:
        raise JobRefused(f"'{running[0].name}' is still running in this session: stop it or let it finish first.")
    if not _active.acquire(blocking=False):
        raise JobRefused(f"The server is already running {MAX_JOBS} long jobs for other users; try again in a minute.")
    job = _Job(name, time_limit, keep_history, _session_id())
    job.snap = JobSnapshot(name, "running", started=time.monotonic())
    job.thread = threading.Thread(target=job.run, args=(factory,), name=f"dvl-job-{name}", daemon=True)
    jobs[name] = job
    job.thread.start()


def stop(name: str) -> None:
    """Ask job ``name`` to stop after its current step."""
    job = _session_jobs().get(name)
    if job is not None:
        job.stop.set()


def pause(name: str) -> None:
    """Hold job ``name`` after its current step (its time limit does not run while paused)."""
    job = _session_jobs().get(name)
    if job is not None:
        job.paused.set()


def resume(name: str) -> None:
    """Let a paused job ``name`` go on."""
    job = _session_jobs().get(name)
    if job is not None:
        job.paused.clear()


def snapshot(name: str) -> JobSnapshot | None:
    """The latest state of this session's job ``name`` (None if never started)."""
    job = _session_jobs().get(name)
    if job is None or job.snap is None:
        return None
    with job.lock:
        return job.snap


def forget(name: str) -> None:
    """Stop job ``name`` and drop its results from the session (a reset)."""
    stop(name)
    _session_jobs().pop(name, None)


def wait(name: str, timeout: float) -> JobSnapshot | None:
    """Block until job ``name`` finishes or ``timeout`` seconds pass (for tests and scripts)."""
    job = _session_jobs().get(name)
    if job is not None and job.thread is not None:
        job.thread.join(timeout)
    return snapshot(name)
