"""Real-browser fixtures: the real server (`streamlit run`) on a free port, and Debian's Chromium via Playwright."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from deploy.launch import free_port, wait_healthy  # noqa: F401 - the one port picker and health wait (re-exported)

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("DVL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def start_server(port: int, env: dict[str, str] | None = None, *, prefix: Sequence[str] = (),
                 log: Path | None = None) -> subprocess.Popen:
    """``streamlit run streamlit_app.py`` on 127.0.0.1:``port`` (after ``prefix``, e.g. a ``taskset``), with ``env``
    over this process's environment; its output goes to ``log`` (default ``test-artifacts/server-PORT.log``)."""
    cmd = [
        *prefix, sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
        "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
    ]
    out = open(log or ARTIFACTS / f"server-{port}.log", "w")
    return subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})


@contextmanager
def serving(proc: subprocess.Popen, port: int, timeout: float) -> Iterator[str]:
    """The url of ``proc``, a server starting on 127.0.0.1:``port``, once it is healthy (within ``timeout`` s);
    on exit the process is stopped (SIGTERM, SIGKILL after 15 s)."""
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, timeout=timeout)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextmanager
def running_server(timeout: float = 120.0) -> Iterator[tuple[str, subprocess.Popen]]:
    """The real server (``streamlit run``) on a free loopback port: ``(url, process)``, stopped on exit."""
    ARTIFACTS.mkdir(exist_ok=True)
    port = free_port()
    scratch = Path(tempfile.mkdtemp(prefix="dvl-server-"))
    # an empty torch.hub (no downloaded weights, whatever this machine holds) and a throwaway classroom database
    proc = start_server(port, {"TORCH_HOME": str(scratch / "torch"), "DVL_DATA": str(scratch / "data"),
                               "DVL_DATABASE_URL": f"sqlite:///{scratch / 'classroom.db'}"})
    try:
        with serving(proc, port, timeout) as url:
            yield url, proc
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    with running_server() as (url, _):
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    p = context.new_page()
    p.set_default_timeout(60_000)
    yield p
    context.close()


def wait_for_app(page, timeout: float = 90_000) -> None:
    """Wait until the script run has finished: the app reports ``notRunning`` twice, 400 ms apart."""
    js = "() => { const a = document.querySelector('[data-testid=\"stApp\"]');" \
         " return a && a.getAttribute('data-test-script-state') === 'notRunning'; }"
    page.wait_for_function(js, timeout=timeout)
    page.wait_for_timeout(400)
    page.wait_for_function(js, timeout=timeout)


def assert_no_exception(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0, page.locator("[data-testid='stException']").first.inner_text()


def open_page(page, url: str, timeout: float = 90_000) -> None:
    """Open ``url`` (the server, a page's path and its query), wait until the script run has finished and check
    that no exception is on screen."""
    page.goto(url)
    wait_for_app(page, timeout=timeout)
    assert_no_exception(page)


def train_on_page(page, start_key: str, done: str, timeout: float = 300_000) -> None:
    """Press the Train button (widget key ``start_key``), wait for the text ``done`` (the run's end message),
    then for the app's rerun with the trained network; no exception on screen."""
    page.locator(f".st-key-{start_key} button").click()
    page.get_by_text(done).wait_for(timeout=timeout)
    wait_for_app(page, timeout=180_000)
    assert_no_exception(page)


def train_steps_on_page(page, url: str, first: str, start_key: str, steps: int) -> None:
    """Open ``url`` (a page set to train ``steps`` steps), see its note ``first`` (nothing trained yet), press
    Train (widget key ``start_key``) and wait for "Done after ``steps`` steps"; the Step metric then reads
    ``steps / steps``."""
    open_page(page, url)
    page.get_by_text(first).wait_for()
    train_on_page(page, start_key, f"Done after {steps} steps")
    assert metric(page, "Step") == f"{steps} / {steps}"


def draw_stroke(page, x: float, y: float, length: float, steps: int = 20) -> None:
    """Draw a vertical stroke with the mouse on the page's first drawing canvas: from (``x``, ``y``) down by
    ``length``, all as fractions of the canvas's width and height."""
    canvas = page.locator("canvas.upper-canvas").first
    canvas.wait_for(timeout=60_000)
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x0, y0 = box["x"] + box["width"] * x, box["y"] + box["height"] * y
    page.mouse.move(x0, y0)
    page.mouse.down()
    for k in range(1, steps + 1):
        page.mouse.move(x0, y0 + box["height"] * length * k / steps)
    page.mouse.up()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def metric_value(page, label: str):
    """The value element of the first metric whose label contains ``label``."""
    box = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    return box.locator("[data-testid='stMetricValue']")


def metric(page, label: str) -> str:
    """The text of the first metric whose label contains ``label``."""
    return metric_value(page, label).inner_text().strip()
