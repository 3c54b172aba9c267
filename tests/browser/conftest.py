"""Real-browser fixtures: the real server (`streamlit run`) on a free port, and Debian's Chromium via Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server at {url} did not become healthy within {timeout:.0f} s")


def start_server(port: int, env: dict[str, str] | None = None) -> subprocess.Popen:
    cmd = [
        sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
        "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
    ]
    log = open(ARTIFACTS / f"server-{port}.log", "w")
    return subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})


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
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, timeout=timeout)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
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
