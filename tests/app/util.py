"""Helpers for AppTest: run the real entry point, then switch to a page."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from streamlit.testing.v1 import AppTest

ENTRY = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
TIMEOUT = 180


def run_page(script: str, query: dict[str, str] | None = None, timeout: float = TIMEOUT) -> AppTest:
    """Run ``streamlit_app.py`` and switch to ``pages/<script>``; ``query`` presets URL parameters."""
    at = AppTest.from_file(ENTRY, default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if script != "home.py":
        at.switch_page(f"pages/{script}")
        for key, value in (query or {}).items():  # as a link straight to the page: its parameters stay
            at.query_params[key] = value
        at.run()
    return at


def errors(at: AppTest) -> list[str]:
    """Exception values rendered on the page (should be empty)."""
    return [e.value for e in at.exception]


def metric(at: AppTest, label: str) -> str:
    """The value of the first metric whose label starts with ``label``."""
    return next(m.value for m in at.metric if m.label.startswith(label))


def metrics(at: AppTest) -> dict[str, str]:
    """Every metric on the page: label → value."""
    return {m.label: m.value for m in at.metric}


def image_captions(at: AppTest) -> str:
    """Every ``st.image`` caption on the page, joined (AppTest keeps them inside the image protos)."""
    found: list[str] = []

    def walk(node) -> None:  # noqa: ANN001 - an AppTest element or block
        proto = getattr(node, "proto", None)
        if type(node).__name__ == "Image" and proto is not None:
            found.extend(i.caption for i in proto.imgs)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    return " ".join(found)


def settle(at: AppTest, timeout: float = 120.0) -> AppTest:
    """Wait until the job queue is empty (background jobs this run started have finished), then rerun twice: the
    first rerun takes the finished job's result into the cache, the second shows it."""
    import time

    from ui import jobs

    deadline = time.monotonic() + timeout
    while jobs.QUEUE.counts() != (0, 0) and time.monotonic() < deadline:
        time.sleep(0.2)
    at.run()
    at.run()
    return at


def captions(at: AppTest) -> list[str]:
    """Every ``st.image`` caption on the page, one per picture."""
    return [c for image in at.get("image") for c in image.captions]


def computed(at: AppTest) -> int:
    """Results computed so far in this session's result cache (``ui.results``)."""
    return at.session_state["_results_cache"].computed


def train(at: AppTest, start_key: str, job_name: str, timeout: float = 300.0, watch: bool = False):  # noqa: ANN201
    """Press the page's Train button (widget ``start_key``), wait until this session's job ``job_name`` is done,
    rerun and return the job (``job.snap.latest`` is its last record). With ``watch``, first wait for its first
    step and check that the live panel shows the progress (a "Step" metric) while it trains."""
    import time

    at.button(key=start_key).click().run()
    assert not at.exception, errors(at)
    job = at.session_state["_jobs"][job_name]
    if watch:
        deadline = time.monotonic() + 60
        while job.snap.steps < 1 and time.monotonic() < deadline:
            time.sleep(0.2)
        at.run()
        assert not at.exception, errors(at)
        assert "Step" in metrics(at), "progress is shown while it trains"
    job.thread.join(timeout)
    assert job.snap.status == "done", job.snap
    at.run()
    assert not at.exception, errors(at)
    return job


def _spy(monkeypatch, owner: object, attribute: str, seen: Callable[[tuple], None]) -> None:  # noqa: ANN001
    """Replace ``owner.attribute`` for the rest of the test by a wrapper that calls ``seen(positional args)``,
    then the real one."""
    real = getattr(owner, attribute)

    def spied(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        seen(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, attribute, spied)


def count_calls(monkeypatch, **targets: tuple[object, str]) -> dict[str, int]:  # noqa: ANN001 - pytest's fixture
    """Count, for the rest of the test, the calls of each ``name=(owner, attribute)`` (a class's method such as
    ``forward`` or ``__call__``, a module's function); returns the live counts, ``name`` → calls."""
    counts = dict.fromkeys(targets, 0)
    for name, (owner, attribute) in targets.items():
        _spy(monkeypatch, owner, attribute, lambda args, _name=name: counts.update({_name: counts[_name] + 1}))
    return counts


def record_calls(monkeypatch, owner: object, names: Iterable[str], calls: list[str] | None = None, *,  # noqa: ANN001
                 label: Callable[[str, tuple], str] = lambda name, args: name) -> list[str]:
    """Record, for the rest of the test, every call of the functions ``names`` of ``owner`` (a module) in
    ``calls`` (a new list unless given), in order: each call appends ``label(name, its positional args)``, by
    default the function's name; returns ``calls``."""
    calls = [] if calls is None else calls
    for name in names:
        _spy(monkeypatch, owner, name, lambda args, _name=name: calls.append(label(_name, args)))
    return calls
