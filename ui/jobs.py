"""Long work (training, optimisation, big attributions) in one bounded, visible queue per process.

A job wraps a generator from ``vision_core`` (a loop that yields its progress). It runs in a daemon
thread; the page shows its latest snapshot in a fragment that refreshes only while the job is alive.
Rules that keep a classroom's server healthy and fair:

- one queue per process, FIFO: at most ``slots()`` jobs run at once (the CPU cores, or
  ``DVL_JOB_SLOTS``), the rest wait in line; nothing starves (first come, first served) and the line
  is bounded (``MAX_QUEUE``: a start beyond it is refused with a sentence);
- a waiting job shows its place and an estimate ("2nd in line, about 20 s"), from the durations of
  the last jobs of the same kind; waiting can be cancelled;
- one job (running or waiting) per session; every job has a time limit (counted from when it
  starts running), a stop button, and stops by itself when its browser session ends.

Usage in a page::

    if st.button("Train"):
        jobs.start("train_lenet", lambda stop: train_lenet(config, should_stop=stop.is_set), time_limit=120)

    @st.fragment(run_every=1.0 if jobs.alive("train_lenet") else None)
    def live():
        snap = jobs.snapshot("train_lenet")
        st.caption(jobs.describe(snap))
"""

from __future__ import annotations

import atexit
import os
import statistics
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import streamlit as st

MAX_QUEUE = 32
"""Jobs waiting in line, all sessions together; a start beyond it is refused."""
MAX_PAUSE = 600.0
_SESSION_KEY = "_jobs"


def slots() -> int:
    """How many jobs run at once: ``DVL_JOB_SLOTS``, else the number of CPU cores (at least 1)."""
    env = os.environ.get("DVL_JOB_SLOTS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, os.cpu_count() or 1)


class JobRefused(RuntimeError):
    """A job could not start; the message says why, for a person."""


@dataclass(frozen=True)
class JobSnapshot:
    """What a job has done so far. ``status``: queued, running, paused, done, stopped, cancelled, timeout, failed.

    While queued, ``place`` is its place in line (1 = next) and ``eta`` an estimate in seconds of the wait."""

    name: str
    status: str
    latest: Any = None
    steps: int = 0
    error: str = ""
    started: float = 0.0
    finished: float | None = None
    paused_for: float = 0.0
    queued_at: float = 0.0
    place: int = 0
    eta: float | None = None
    _history: Sequence[Any] = field(default=(), repr=False, compare=False)

    @property
    def history(self) -> tuple[Any, ...]:
        """Every item the job yielded so far (built on read, so the job never copies it per step)."""
        return tuple(self._history[: self.steps])

    @property
    def running(self) -> bool:
        """Still alive (waiting, running or paused): holds the session's one job slot."""
        return self.status in ("queued", "running", "paused")

    @property
    def elapsed(self) -> float:
        if not self.started:
            return 0.0
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
        if not QUEUE.wait_turn(self):
            self._update(status="cancelled", finished=time.monotonic())
            return
        history: list[Any] = []
        status = "done"
        self._update(status="running", started=time.monotonic(), place=0, eta=None, _history=history)
        try:
            for step, item in enumerate(factory(self.stop), start=1):
                if self.keep_history:
                    history.append(item)
                self._update(latest=item, steps=step)
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
            QUEUE.release(self)


class _Queue:
    """The process's one FIFO of jobs: a bounded line in front of ``slots()`` running places."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.line: deque[_Job] = deque()
        self.running: list[_Job] = []
        self.durations: dict[str, deque[float]] = {}

    def admit(self, job: _Job) -> None:
        with self.cond:
            if len(self.line) >= MAX_QUEUE:
                raise JobRefused(f"{len(self.line)} long jobs are already waiting on this server; try again in a few minutes.")
            self.line.append(job)
            self._publish()

    def typical(self, name: str, limit: float) -> float:
        """Median duration of the last runs of job ``name`` (its time limit before any has finished)."""
        seen = self.durations.get(name)
        return statistics.median(seen) if seen else limit

    def _publish(self) -> None:
        """Write each waiting job's place and estimated wait into its snapshot (caller holds ``cond``)."""
        now = time.monotonic()
        free_at = sorted(
            max(0.0, self.typical(j.name, j.time_limit) - (now - (j.snap.started if j.snap else now)))
            for j in self.running
        )
        capacity = slots()
        free_at += [0.0] * max(0, capacity - len(free_at))
        for place, job in enumerate(self.line, start=1):
            free_at.sort()
            wait = free_at[0]
            free_at[0] = wait + self.typical(job.name, job.time_limit)
            job._update(place=place, eta=wait)

    def wait_turn(self, job: _Job) -> bool:
        """Block until ``job`` is first in line and a place is free; False if it was cancelled while waiting."""
        with self.cond:
            while True:
                if job.stop.is_set() or not _session_alive(job.session_id):
                    if job in self.line:
                        self.line.remove(job)
                        self._publish()
                        self.cond.notify_all()
                    return False
                if self.line and self.line[0] is job and len(self.running) < slots():
                    self.line.popleft()
                    self.running.append(job)
                    self._publish()
                    self.cond.notify_all()
                    return True
                self.cond.wait(0.25)

    def release(self, job: _Job) -> None:
        with self.cond:
            if job in self.running:
                self.running.remove(job)
                if job.snap is not None and job.snap.status == "done":
                    self.durations.setdefault(job.name, deque(maxlen=10)).append(job.snap.elapsed - job.snap.paused_for)
            self._publish()
            self.cond.notify_all()

    def counts(self) -> tuple[int, int]:
        """(running, waiting) right now."""
        with self.cond:
            return len(self.running), len(self.line)


QUEUE = _Queue()
_THREADS: list[tuple[threading.Event, threading.Thread]] = []
_THREADS_LOCK = threading.Lock()


def _track(stop: threading.Event, thread: threading.Thread) -> None:
    with _THREADS_LOCK:
        _THREADS[:] = [(s, t) for s, t in _THREADS if t.is_alive()]
        _THREADS.append((stop, thread))


@atexit.register
def _stop_all(timeout: float = 30.0) -> None:
    """At interpreter exit, stop every job and wait for it: a torch computation in a thread that outlives the
    interpreter aborts the process."""
    with _THREADS_LOCK:
        alive = [(s, t) for s, t in _THREADS if t.is_alive()]
    for stop_event, _ in alive:
        stop_event.set()
    with QUEUE.cond:
        QUEUE.cond.notify_all()
    deadline = time.monotonic() + timeout
    for _, thread in alive:
        thread.join(max(0.0, deadline - time.monotonic()))


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
    """Queue ``factory(stop_event)`` as job ``name`` for this session; it runs when its turn comes.

    Raises ``JobRefused`` if this session already has a job alive or the line is full.
    """
    jobs = _session_jobs()
    alive_jobs = [j for j in jobs.values() if j.snap is not None and j.snap.running]
    if alive_jobs:
        raise JobRefused(f"'{alive_jobs[0].name}' is still running in this session: stop it or let it finish first.")
    job = _Job(name, time_limit, keep_history, _session_id())
    job.snap = JobSnapshot(name, "queued", queued_at=time.monotonic())
    QUEUE.admit(job)
    job.thread = threading.Thread(target=job.run, args=(factory,), name=f"dvl-job-{name}", daemon=True)
    jobs[name] = job
    _track(job.stop, job.thread)
    job.thread.start()


def stop(name: str) -> None:
    """Ask job ``name`` to stop after its current step, or leave the line if it is still waiting."""
    job = _session_jobs().get(name)
    if job is not None:
        job.stop.set()
        with QUEUE.cond:
            QUEUE.cond.notify_all()


cancel = stop


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


def alive(name: str) -> bool:
    """Whether this session's job ``name`` is waiting, running or paused (a page refreshes only then)."""
    snap = snapshot(name)
    return snap is not None and snap.running


def refresh_every(name: str, seconds: float = 1.0) -> float | None:
    """``run_every`` for a fragment that shows job ``name``: ``seconds`` while it is alive, else no polling."""
    return seconds if alive(name) else None


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def describe(snap: JobSnapshot | None) -> str:
    """A line for a person: "2nd in line, about 20 s", "running for 4 s", "done in 12 s" …"""
    if snap is None:
        return "Not started."
    if snap.status == "queued":
        wait = f", about {max(1, round(snap.eta))} s" if snap.eta is not None else ""
        return f"Waiting: {_ordinal(max(snap.place, 1))} in line{wait} (the server runs {slots()} long jobs at a time)."
    if snap.status in ("running", "paused"):
        return f"{snap.status.capitalize()} for {snap.elapsed:.0f} s, {snap.steps} steps."
    if snap.status == "cancelled":
        return "Left the line before it started."
    return f"{snap.status.capitalize()} after {snap.elapsed:.0f} s, {snap.steps} steps."


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


class JobStopped(Exception):
    """Raised inside a background computation when its job was asked to stop."""


@dataclass(frozen=True)
class Progress:
    """What a computation job yields while it runs: ``fraction`` done and a message."""

    fraction: float
    message: str


@dataclass(frozen=True)
class Finished:
    """The last item a computation job yields: its result."""

    value: Any


def _computation(work: Callable[[Callable[[float, str], None]], Any], stop: threading.Event) -> Iterator[Any]:
    """Run ``work(progress)`` in a helper thread and yield its progress, then its result (``Finished``)."""
    import queue as _q

    events: _q.Queue = _q.Queue()
    outcome: dict[str, Any] = {}

    def progress(fraction: float, message: str) -> None:
        if stop.is_set():
            raise JobStopped("stopped")
        events.put(Progress(float(fraction), message))

    def target() -> None:
        try:
            outcome["value"] = work(progress)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the job's own thread below
            outcome["error"] = exc
        finally:
            events.put(None)

    worker = threading.Thread(target=target, name="dvl-job-work", daemon=True)
    _track(stop, worker)
    worker.start()
    while (item := events.get()) is not None:
        yield item
    if "error" in outcome:
        if isinstance(outcome["error"], JobStopped):
            return
        raise outcome["error"]
    yield Finished(outcome["value"])


def cached_computation(kind: str, photo_key: str, params: tuple, work: Callable[[Callable[[float, str], None]], Any],
                       *, label: str, time_limit: float = 300.0) -> Any | None:
    """A long computation through the queue, computed once: the cached result when there is one; otherwise the
    job's place in line or its progress bar (with a cancel button) and ``None`` until it finishes.

    ``work(progress)`` must call ``progress(fraction, message)`` now and then (that is where a cancel lands).
    The result is stored with ``ui.results.put`` under (kind, photo, params), so every later rerun and, for
    samples, every other session reads it without computing."""
    from ui import results

    done = results.peek(kind, photo_key, params)
    if done is not None:
        return done
    name = f"{kind}:{hash((photo_key, params)) & 0xFFFFFFFF:x}"
    snap = snapshot(name)
    if snap is not None and snap.status == "done" and isinstance(snap.latest, Finished):
        results.put(kind, photo_key, params, snap.latest.value)
        _session_jobs().pop(name, None)
        return snap.latest.value
    if snap is not None and snap.status in ("stopped", "cancelled", "timeout"):
        st.info(f"{label}: {describe(snap)}", icon="⏹️")
        if st.button("Run it again", key=f"_again_{name}"):
            _session_jobs().pop(name, None)
            st.rerun()
        return None
    if snap is None or not snap.running:
        if snap is not None and snap.status == "failed":
            st.error(snap.error, icon="⚠️")
            _session_jobs().pop(name, None)
            return None
        try:
            start(name, lambda stop: _computation(work, stop), time_limit=time_limit, keep_history=False)
        except JobRefused as exc:
            st.warning(str(exc), icon="⏳")
            return None

    @st.fragment(run_every=1.0)
    def _watch() -> None:
        s = snapshot(name)
        if s is None or not s.running:
            st.rerun(scope="app")
            return
        if s.status == "queued":
            st.info(f"{label}: {describe(s)}", icon="⏳")
        else:
            latest = s.latest if isinstance(s.latest, Progress) else Progress(0.0, "starting…")
            st.progress(min(max(latest.fraction, 0.0), 1.0), text=f"{label}: {latest.message}")
        if st.button("Cancel", key=f"_cancel_{name}"):
            cancel(name)

    _watch()
    return None
