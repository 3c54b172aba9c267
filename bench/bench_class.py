"""Class bench: what a class costs the server, not the browsers (issue 17, point 3). In ``make bench``, not in CI.

The server (``streamlit run streamlit_app.py``, ``OMP_NUM_THREADS=1``) is pinned to one core with ``taskset``; the
students are light clients (``tools/light_client.py``: Streamlit's own websocket protocol) pinned to the other
core(s), so the figure is the server's. Traffic goes to 127.0.0.1 only; every run is bounded in count and time.

(a) **server CPU per action**: the server process's user+system CPU (psutil) across one action, for a mix: kernel
    edit and stride change (convolution), classify (a new sample photo), detect (a new sample photo) and move the
    score threshold (detection), switch architecture, open Grad-CAM (inside the network). Each repetition uses a
    new photo / setting, so model actions are cache misses (the worst case: a student's own photo).
(b) **latency under load**: N students with seeded think times (5–10 s) doing the same mix (a few actions per page,
    then another page), each N on a fresh server; p50/p95 of rerun → ``script_finished`` against a lone student,
    and the largest N whose p95 stays ≤ 2× the lone student's: **students per server core**.
(c) **check of the light client against Chromium**: k real Chromium students changing the convolution stride
    (latency from the rerun frame the page sends to the ``script_finished`` its main thread receives, on the
    browser's clock) against k light clients doing the same on the same server. The light client reports the same
    widget states as the browser (23 on the convolution page), so a gap is the browser's own work.

Environment (defaults in brackets; a quick run: ``DVL_CLASS_N=1,8,16 DVL_CLASS_SECONDS=40 DVL_CLASS_REPEAT=3
DVL_CLASS_CHECK_N=2 DVL_CLASS_CHECK_ACTIONS=4 python -m bench class``, a few minutes):
``DVL_CLASS_N`` [1,4,8,12,16,24,32] students per run (1 is the lone student, added if missing) ·
``DVL_CLASS_SECONDS`` [60] each run's length after the ramp · ``DVL_CLASS_THINK`` [5,10] think time range (s) ·
``DVL_CLASS_LONE_THINK`` [1,2] the lone student's (alone, the server is idle at every step either way) ·
``DVL_CLASS_REPEAT`` [5] repetitions per action in (a) · ``DVL_CLASS_CHECK_N`` [1,3] (empty: skip (c)) ·
``DVL_CLASS_CHECK_ACTIONS`` [6] stride changes per student in (c) · ``DVL_CLASS_TIMEOUT`` [30] s per step ·
``DVL_CLASS_SEED`` [17] · ``DVL_CLASS_PARTS`` [abc] which parts to run.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from bench.core import Row, value_row

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench-results"


def _ints(name: str, default: str) -> list[int]:
    raw = os.environ.get(name, default).strip()
    return [int(x) for x in raw.split(",") if x.strip()]


N_LIST = sorted(set(_ints("DVL_CLASS_N", "1,4,8,12,16,24,32")) | {1})
SECONDS = float(os.environ.get("DVL_CLASS_SECONDS", "60"))
THINK = tuple(float(x) for x in os.environ.get("DVL_CLASS_THINK", "5,10").split(","))
# The lone student thinks 1-2 s: still alone on an idle server at every step, and enough steps for a p95.
LONE_THINK = tuple(float(x) for x in os.environ.get("DVL_CLASS_LONE_THINK", "1,2").split(","))
REPEAT = int(os.environ.get("DVL_CLASS_REPEAT", "5"))
CHECK_N = _ints("DVL_CLASS_CHECK_N", "1,3")
CHECK_ACTIONS = int(os.environ.get("DVL_CLASS_CHECK_ACTIONS", "6"))
TIMEOUT = float(os.environ.get("DVL_CLASS_TIMEOUT", "30"))
SEED = int(os.environ.get("DVL_CLASS_SEED", "17"))
PARTS = os.environ.get("DVL_CLASS_PARTS", "abc")
MAX_N = 64                                  # a bound on the sweep, whatever the environment asks
LIMIT = 2.0                                 # p95 under load ≤ LIMIT × the lone student's p95


# ------------------------------------------------------------------------------------------------------ server
def _cores() -> tuple[list[int], list[int]]:
    """(server cores, client cores): the first allowed core for the server, the others for the students."""
    allowed = sorted(os.sched_getaffinity(0))
    if len(allowed) < 2:
        return allowed, allowed
    return allowed[:1], allowed[1:]


@contextmanager
def pinned_server(core: list[int], log_name: str) -> Iterator[tuple[str, psutil.Process]]:
    """The real server pinned to ``core`` (taskset), one torch/OpenMP thread; ``(url, process)``."""
    from tests.browser.conftest import free_port, serving, start_server

    OUT.mkdir(exist_ok=True)
    port = free_port()
    proc = start_server(port, {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"},
                        prefix=["taskset", "-c", ",".join(map(str, core))], log=OUT / f"{log_name}.log")
    with serving(proc, port, timeout=120) as url:
        yield url, psutil.Process(proc.pid)


@contextmanager
def pinned_self(cores: list[int]) -> Iterator[None]:
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, set(cores))
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


def _cpu(proc: psutil.Process) -> float:
    t = proc.cpu_times()
    return t.user + t.system


class RunQueue:
    """How long the server's threads were ready to run but waited for a core (``/proc/<pid>/task/*/schedstat``,
    sampled; a thread that ends loses at most its last interval). Seconds of wait per step near the step latency
    mean other processes (or the server's own threads) held the core: on a shared machine, the machine's share.
    (``wait_share`` overstates that for a mostly idle process: every wake-up waits a little.)"""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.last: dict[str, tuple[int, int]] = {}
        self.cpu_ns = self.wait_ns = 0
        self.sample(count=False)

    def sample(self, count: bool = True) -> None:
        try:
            tids = os.listdir(f"/proc/{self.pid}/task")
        except OSError:
            return
        for tid in tids:
            try:
                with open(f"/proc/{self.pid}/task/{tid}/schedstat") as f:
                    cpu, wait = (int(x) for x in f.read().split()[:2])
            except (OSError, ValueError):
                continue
            before = self.last.get(tid)
            if count:
                c0, w0 = before if before else (0, 0)
                self.cpu_ns += cpu - c0
                self.wait_ns += wait - w0
            self.last[tid] = (cpu, wait)

    async def run(self, stop: asyncio.Event, every: float = 0.5) -> None:
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), every)
            except asyncio.TimeoutError:
                pass
            self.sample()

    @property
    def wait_share(self) -> float:
        total = self.cpu_ns + self.wait_ns
        return self.wait_ns / total if total else 0.0


# ----------------------------------------------------------------------------------------------------- actions
@dataclass
class Action:
    """One thing a student does: on ``page`` (a link), ``prepare`` (untimed) then ``act`` (timed), for step i."""

    name: str
    page: str
    act: Callable[..., Awaitable]
    prepare: Callable[..., Awaitable] | None = None
    weight: float = 1.0


def _options(c, key: str) -> list[str]:
    return list(c.widget(key).proto.options)


def _next_option(c, key: str, i: int, offset: int = 0) -> str:
    """The i-th option after the current one (never the current one): a new photo, network …"""
    opts = _options(c, key)
    current = c.value(key)
    pick = opts[(offset + i + 1) % len(opts)]
    return opts[(offset + i + 2) % len(opts)] if pick == current else pick


async def _kernel_edit(c, i, offset=0):
    editor = next(k for k in c.keys() if k and k.startswith("conv_editor"))
    return await c.edit_cells(editor, {(1, "2"): str((offset + i) % 9 + 1)})     # the centre weight: 1 … 9


async def _stride(c, i, offset=0):
    return await c.set("conv_stride", [2, 3, 1][(offset + i) % 3])


async def _sample(c, i, offset=0):
    return await c.set("sample", _next_option(c, "sample", i, offset))


async def _threshold(c, i, offset=0):
    return await c.set("det_score", round(0.30 + 0.05 * ((offset + i) % 8), 2))


ARCH_CYCLE = ["alexnet", "vgg16", "resnet18", "resnet50", "googlenet", "densenet121", "mobilenet_v2", "lenet5"]


async def _arch(c, i, offset=0):
    opts = _options(c, "arch_net")
    cycle = [n for n in ARCH_CYCLE if n in opts] or opts
    return await c.set("arch_net", cycle[(offset + i) % len(cycle)])


async def _gradcam_prepare(c, i, offset=0):
    await c.set("ins_view", "Filters")
    await c.set("sample", _next_option(c, "sample", i, offset))


async def _gradcam(c, i, offset=0):
    return await c.set("ins_view", "Grad-CAM")


ACTIONS = [
    Action("kernel edit (convolution)", "/convolution", _kernel_edit, weight=3),
    Action("stride change (convolution)", "/convolution", _stride, weight=3),
    Action("classify a new photo", "/classify", _sample, weight=2),
    Action("detect on a new photo", "/detection", _sample, weight=1),
    Action("move the score threshold (detection)", "/detection", _threshold, weight=2),
    Action("switch architecture", "/architectures", _arch, weight=1),
    Action("open Grad-CAM (new photo)", "/inside_network", _gradcam, _gradcam_prepare, weight=1),
]


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def _check(run, what: str) -> None:
    if run.exceptions:
        raise RuntimeError(f"{what}: the page shows an error: {run.exceptions[0][:200]}")


# ------------------------------------------------------------------------------------------- (a) CPU per action
async def _cpu_per_action(url: str, proc: psutil.Process) -> dict:
    from tools.light_client import LightClient

    out: dict = {}
    t_idle = time.perf_counter()
    c_idle = _cpu(proc)
    await asyncio.sleep(3)
    idle_rate = (_cpu(proc) - c_idle) / (time.perf_counter() - t_idle)
    out["_idle_cpu_per_s"] = idle_rate
    for action in ACTIONS:
        rec = {"cpu": [], "wall": [], "error": None}
        out[action.name] = rec
        try:
            async with LightClient(url, timeout=max(TIMEOUT, 120)) as c:
                _check(await c.open(action.page), action.page)
                if action.prepare:                                  # warm-up: loads the model once per process
                    await action.prepare(c, 0)
                _check(await action.act(c, 0), action.name)
                c.timeout = TIMEOUT
                for i in range(1, REPEAT + 1):
                    if action.prepare:
                        await action.prepare(c, i)
                    await asyncio.sleep(0.3)
                    cpu0, t0 = _cpu(proc), time.perf_counter()
                    run = await action.act(c, i)
                    wall = time.perf_counter() - t0
                    await asyncio.sleep(0.1)                          # work the server finishes after the reply
                    cpu = _cpu(proc) - cpu0 - idle_rate * (time.perf_counter() - t0)
                    _check(run, action.name)
                    rec["cpu"].append(max(cpu, 0.0))
                    rec["wall"].append(wall)
        except Exception as exc:  # a page being rebuilt must not stop the other rows
            rec["error"] = f"{type(exc).__name__}: {exc}"[:300]
    return out


def _rows_a(res: dict) -> list[Row]:
    rows = []
    for action in ACTIONS:
        rec = res[action.name]
        if rec["cpu"]:
            wall = statistics.median(rec["wall"])
            rows.append(Row("class", f"server CPU: {action.name}", statistics.median(rec["cpu"]), min(rec["cpu"]),
                            max(rec["cpu"]), note=f"{len(rec['cpu'])} runs, wall median {wall * 1000:.0f} ms"
                            + (f"; {rec['error']}" if rec["error"] else "")))
        else:
            rows.append(Row("class", f"server CPU: {action.name}", float("nan"), float("nan"), float("nan"),
                            note=f"not measured: {rec['error']}"))
    return rows


# ---------------------------------------------------------------------------------------- (b) latency under load
@dataclass
class Step:
    student: int
    action: str
    t: float                     # seconds since the run started
    elapsed: float
    ok: bool = True
    error: str = ""
    kind: str = "ok"             # "ok", "page" (the page showed an error / lacked the widget), "timeout"


@dataclass
class LoadResult:
    n: int
    steps: list[Step] = field(default_factory=list)
    server_busy: float = 0.0     # fraction of the server core used during the run
    rq_wait_share: float = 0.0   # of the time the server was runnable, the share it waited for its core
    rq_wait_s: float = 0.0
    rss_before: float = 0.0
    rss_after: float = 0.0
    wall: float = 0.0

    def latencies(self) -> list[float]:
        """Every step that reached the server's answer; a timeout counts as TIMEOUT, a broken page not at all."""
        return [s.elapsed if s.ok else TIMEOUT for s in self.steps if s.kind != "page"]


async def _student(url: str, k: int, deadline: float, t_start: float, res: LoadResult,
                   think: tuple[float, float] = THINK) -> None:
    from tools.light_client import ClientError, LightClient

    rng = random.Random(SEED * 1000 + k)
    broken: dict[str, int] = {}
    offset = rng.randrange(1000)
    c = LightClient(url, timeout=TIMEOUT)
    page = None
    await asyncio.sleep(rng.uniform(0, think[1]))                    # students do not all start at once
    i = 0
    try:
        while time.perf_counter() < deadline:
            choices = [a for a in ACTIONS if broken.get(a.name, 0) < 3]
            if not choices:
                return
            action = rng.choices(choices, [a.weight for a in choices])[0]
            for _ in range(rng.randint(2, 4)):                        # a few actions on a page, then another
                if time.perf_counter() >= deadline:
                    return
                t0 = time.perf_counter()
                try:
                    if page != action.page:
                        run = await (c.open(action.page) if page is None else
                                     c.navigate(action.page.strip("/"), ""))
                        page = action.page
                        res.steps.append(Step(k, "page switch", t0 - t_start, run.elapsed, not run.exceptions,
                                              run.exceptions[0][:80] if run.exceptions else "",
                                              "page" if run.exceptions else "ok"))
                        await asyncio.sleep(rng.uniform(*think))
                    if action.prepare:
                        await action.prepare(c, i, offset)
                    t0 = time.perf_counter()
                    run = await action.act(c, i, offset)
                    res.steps.append(Step(k, action.name, t0 - t_start, run.elapsed, not run.exceptions,
                                          run.exceptions[0][:80] if run.exceptions else "",
                                          "page" if run.exceptions else "ok"))
                    if run.exceptions:
                        broken[action.name] = broken.get(action.name, 0) + 1
                except (ClientError, KeyError, StopIteration, ValueError) as exc:
                    res.steps.append(Step(k, action.name, t0 - t_start, time.perf_counter() - t0, False,
                                          f"{type(exc).__name__}: {exc}"[:120],
                                          "timeout" if isinstance(exc, ClientError) else "page"))
                    broken[action.name] = broken.get(action.name, 0) + 1
                    if isinstance(exc, ClientError):                  # start over in a new tab
                        await c.close()
                        c, page = LightClient(url, timeout=TIMEOUT), None
                    break
                i += 1
                await asyncio.sleep(rng.uniform(*think))
    finally:
        await c.close()


async def _warm(url: str) -> None:
    """Every action once, so models are loaded before the class arrives (a class server is warm)."""
    from tools.light_client import LightClient

    for action in ACTIONS:
        try:
            async with LightClient(url, timeout=120) as c:
                await c.open(action.page)
                if action.prepare:
                    await action.prepare(c, 0)
                await action.act(c, 0)
        except Exception:
            pass                                                     # reported by the runs themselves


async def _load_run(url: str, proc: psutil.Process, n: int) -> LoadResult:
    res = LoadResult(n)
    think = LONE_THINK if n == 1 else THINK
    await _warm(url)
    res.rss_before = proc.memory_info().rss / 2**20
    t_start = time.perf_counter()
    deadline = t_start + think[1] + SECONDS                          # ramp, then the measured window
    cpu0 = _cpu(proc)
    rq, stop = RunQueue(proc.pid), asyncio.Event()
    sampler = asyncio.create_task(rq.run(stop))
    try:
        await asyncio.wait_for(asyncio.gather(*(_student(url, k, deadline, t_start, res, think) for k in range(n))),
                               timeout=think[1] + SECONDS + 4 * TIMEOUT + 60)
    finally:
        stop.set()
        await sampler
    res.rq_wait_share, res.rq_wait_s = rq.wait_share, rq.wait_ns / 1e9
    res.wall = time.perf_counter() - t_start
    res.server_busy = (_cpu(proc) - cpu0) / res.wall
    res.rss_after = proc.memory_info().rss / 2**20
    return res


def _summary(res: LoadResult) -> dict:
    lat = res.latencies()
    per_action: dict[str, list[float]] = {}
    for s in res.steps:
        per_action.setdefault(s.action, []).append(s.elapsed if s.ok else TIMEOUT)
    return {
        "n": res.n, "steps": len(lat), "errors": sum(s.kind == "timeout" for s in res.steps),
        "page_errors": sum(s.kind == "page" for s in res.steps),
        "p50": _pct(lat, 0.5), "p95": _pct(lat, 0.95), "max": max(lat) if lat else float("nan"),
        "server_busy": res.server_busy, "runqueue_wait_share": res.rq_wait_share,
        "runqueue_wait_s": res.rq_wait_s, "rss_before_mib": res.rss_before, "rss_after_mib": res.rss_after,
        "wall": res.wall,
        "per_action": {a: {"n": len(v), "p50": _pct(v, 0.5), "p95": _pct(v, 0.95)} for a, v in per_action.items()},
        "error_samples": sorted({s.error for s in res.steps if not s.ok})[:5],
        "raw": [[s.student, s.action, round(s.t, 3), round(s.elapsed, 4), s.kind] for s in res.steps],
    }


# ------------------------------------------------------------------------------------------ (c) Chromium check
class _Gate:
    """All k students have loaded the page: the server CPU count starts here (page loads are not counted)."""

    def __init__(self, k: int, proc: psutil.Process | None) -> None:
        self.k, self.arrived, self.proc = k, 0, proc
        self.open = asyncio.Event()
        self.cpu0 = self.t0 = 0.0

    async def arrive(self) -> None:
        self.arrived += 1
        if self.arrived == self.k:
            self.cpu0, self.t0 = (_cpu(self.proc) if self.proc else 0.0), time.perf_counter()
            self.open.set()
        await self.open.wait()

    def cpu_since(self, idle_rate: float) -> float:
        return _cpu(self.proc) - self.cpu0 - idle_rate * (time.perf_counter() - self.t0) if self.proc else 0.0


async def _light_stride_students(url: str, k: int, gate: _Gate | None = None) -> list[float]:
    from tools.light_client import LightClient

    gate = gate or _Gate(k, None)

    async def one(j: int) -> list[float]:
        rng = random.Random(SEED * 7919 + j)
        out = []
        async with LightClient(url, timeout=TIMEOUT) as c:
            _check(await c.open("/convolution"), "/convolution")
            await gate.arrive()
            for i in range(CHECK_ACTIONS):
                await asyncio.sleep(rng.uniform(*THINK))
                run = await c.set("conv_stride", [2, 3, 1][i % 3])
                out.append(run.elapsed)
        return out

    return [x for xs in await asyncio.gather(*(one(j) for j in range(k))) for x in xs]


# Installed before the page's scripts: every frame of Streamlit's websocket, with the browser's own clock (the time
# the page's main thread gets it), so the bench process's scheduling never enters the figure.
FRAME_LOG_JS = """(() => {
  const Orig = window.WebSocket; window.__dvlFrames = [];
  const bytes = d => d instanceof ArrayBuffer ? Array.from(new Uint8Array(d)) :
      ArrayBuffer.isView(d) ? Array.from(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)) : null;
  class Logged extends Orig {
    constructor(...a) {
      super(...a);
      if (String(a[0]).includes('/_stcore/stream')) this.addEventListener('message', ev => {
        const n = ev.data.byteLength ?? ev.data.size ?? 0;
        window.__dvlFrames.push(['r', performance.now(), n < 512 ? bytes(ev.data) : null]);
      });
    }
    send(d) {
      if (String(this.url).includes('/_stcore/stream')) window.__dvlFrames.push(['s', performance.now(), bytes(d)]);
      return super.send(d);
    }
  }
  window.WebSocket = Logged;
})();"""


def frame_latency(frames: list) -> float | None:
    """Seconds from the first ``rerun_script`` the page sent to the final ``script_finished`` it received."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    from tools.light_client import _FINAL

    t0 = None
    for kind, t, raw in frames:
        if raw is None:
            continue
        if kind == "s" and t0 is None:
            m = BackMsg()
            m.ParseFromString(bytes(raw))
            if m.WhichOneof("type") == "rerun_script":
                t0 = t
        elif kind == "r" and t0 is not None:
            m = ForwardMsg()
            m.ParseFromString(bytes(raw))
            if m.WhichOneof("type") == "script_finished" and m.script_finished in _FINAL:
                return (t - t0) / 1000
    return None


async def _chromium_stride_students(url: str, k: int, gate: _Gate | None = None) -> list[float]:
    """k Chromium tabs changing the stride; latency = rerun frame sent → final script_finished received, read
    from the page's websocket with the browser's clock (``FRAME_LOG_JS``)."""
    from playwright.async_api import async_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    gate = gate or _Gate(k, None)

    async def one(browser, j: int) -> list[float]:
        rng = random.Random(SEED * 7919 + j)
        ctx = await browser.new_context(viewport={"width": 1280, "height": 900})
        await ctx.add_init_script(FRAME_LOG_JS)
        page = await ctx.new_page()
        page.set_default_timeout(TIMEOUT * 1000 * 4)
        out = []
        try:
            await page.goto(url + "/convolution")
            await page.get_by_text("OUTPUT:").first.wait_for()
            box = page.locator("input[aria-label='Stride']").first
            await box.wait_for()
            await asyncio.sleep(1.0)                                   # let the first render settle
            await gate.arrive()
            for i in range(CHECK_ACTIONS):
                await asyncio.sleep(rng.uniform(*THINK))
                await page.evaluate("window.__dvlFrames.splice(0)")
                await box.fill(str([2, 3, 1][i % 3]))
                await box.press("Enter")
                deadline = time.perf_counter() + TIMEOUT
                while (lat := frame_latency(await page.evaluate("window.__dvlFrames.slice()"))) is None:
                    if time.perf_counter() > deadline:
                        raise TimeoutError(f"Chromium student {j}: no script_finished within {TIMEOUT:.0f} s")
                    await asyncio.sleep(0.1)
                out.append(lat)
        finally:
            await ctx.close()
        return out

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            got = await asyncio.gather(*(one(browser, j) for j in range(k)))
        finally:
            await browser.close()
    return [x for xs in got for x in xs]


# --------------------------------------------------------------------------------------------------------- rows
def rows() -> list[Row]:
    server_core, client_cores = _cores()
    pinned = server_core != client_cores
    conditions = (f"server pinned to core {server_core[0]} (taskset, OMP_NUM_THREADS=1), students (light clients) on "
                  f"core(s) {','.join(map(str, client_cores))}" if pinned else
                  "ONE core only: server and students share it (no pinning possible)")
    conditions += (f"; think {THINK[0]:g}–{THINK[1]:g} s; load avg {os.getloadavg()[0]:.1f} at start on "
                   f"{os.cpu_count()} cores")
    report: dict = {"conditions": conditions, "time": time.strftime("%Y%m%d-%H%M%S"), "seed": SEED,
                    "think": THINK, "seconds": SECONDS, "timeout": TIMEOUT}
    out: list[Row] = []

    if "a" in PARTS:
        with pinned_server(server_core, "class-server-a") as (url, proc), pinned_self(client_cores):
            res_a = asyncio.run(_cpu_per_action(url, proc))
        report["cpu_per_action"] = res_a
        out.extend(_rows_a(res_a))
        out.append(value_row("class", "server CPU while idle", res_a["_idle_cpu_per_s"] * 100, "%",
                             note="of one core, subtracted from the rows above"))

    if "b" in PARTS:
        sweep: list[dict] = []
        lone = None
        for n in [x for x in N_LIST if x <= MAX_N]:
            with pinned_server(server_core, f"class-server-n{n}") as (url, proc), pinned_self(client_cores):
                s = _summary(asyncio.run(_load_run(url, proc, n)))
            sweep.append(s)
            s["valid"] = s["page_errors"] == 0
            s["passed"] = bool(lone or n == 1) and s["valid"] and s["errors"] == 0 and \
                (n == 1 or s["p95"] <= LIMIT * lone["p95"])
            print(f"   {n:3d} students: p50 {s['p50']:.2f} s, p95 {s['p95']:.2f} s, {s['steps']} steps, "
                  f"{s['errors']} timeouts, {s['page_errors']} page errors, server core "
                  f"{s['server_busy'] * 100:.0f}% busy, run-queue wait {s['runqueue_wait_s']:.1f} s "
                  f"({s['runqueue_wait_s'] / max(s['steps'], 1) * 1000:.0f} ms per step)", flush=True)
            if n == 1:
                lone = s if s["valid"] else None
                if lone is None:
                    print("   the lone student met broken pages: no baseline, sweep stopped", flush=True)
                    break
            elif s["valid"] and (s["p95"] > 3 * LIMIT * lone["p95"] or s["errors"] > 0.25 * max(s["steps"], 1)):
                break                                                  # far past the limit: stop the sweep
        report["sweep"] = sweep
        # Students per core: the largest N that passed below the first valid N that failed (runs during which
        # pages were broken say nothing about capacity and are skipped).
        per_core = 0
        for s in sweep:
            if not s["valid"]:
                continue
            if not s["passed"]:
                break
            per_core = s["n"]
        tested = max((s["n"] for s in sweep if s["valid"]), default=0)
        report["students_per_core"] = per_core
        for s in sweep:
            note = (f"{s['steps']} steps, {s['errors']} timeouts, server core {s['server_busy'] * 100:.0f}% busy, "
                    f"run-queue wait {s['runqueue_wait_s'] / max(s['steps'], 1) * 1000:.0f} ms per step, "
                    f"RSS {s['rss_before_mib']:.0f}→{s['rss_after_mib']:.0f} MiB"
                    + ("" if s["valid"] else f"; PAGES BROKEN during this run ({s['page_errors']} page errors: "
                       f"{'; '.join(s['error_samples'])[:160]}): not a capacity figure")
                    + (f"; lone student thinks {LONE_THINK[0]:g}–{LONE_THINK[1]:g} s" if s["n"] == 1 else ""))
            out.append(Row("class", f"{s['n']} students: step p95", s["p95"], s["p50"], s["max"],
                           baseline=lone["p95"] if lone and s["n"] != 1 else None,
                           target=f"≤ {LIMIT:g}× lone" if s["n"] != 1 else "lone student", note=note))
        out.append(value_row(
            "class", "students per server core", per_core, "students", target="≥ 15",
            note=(f"largest N with p95 ≤ {LIMIT:g}× the lone student's ({lone['p95']:.2f} s) and no timeouts"
                  + (f"; the largest N tried ({tested}) passed: at least that" if per_core == tested else "")
                  + f"; {conditions}") if lone else conditions))

    if "c" in PARTS and CHECK_N:
        check = []
        with pinned_server(server_core, "class-server-c") as (url, proc), pinned_self(client_cores):
            asyncio.run(_light_stride_students(url, 1))                # warm the page
            c0, t0 = _cpu(proc), time.perf_counter()
            time.sleep(2)
            idle = (_cpu(proc) - c0) / (time.perf_counter() - t0)

            def measured(fn, k):
                async def go():
                    gate = _Gate(k, proc)
                    lat = await fn(url, k, gate)
                    return lat, gate.cpu_since(idle) / max(len(lat), 1)
                return asyncio.run(go())

            for k in CHECK_N:
                light, light_cpu = measured(_light_stride_students, k)
                chrome, chrome_cpu = measured(_chromium_stride_students, k)
                check.append({"k": k, "light": light, "chromium": chrome, "server_cpu_per_change_light": light_cpu,
                              "server_cpu_per_change_chromium": chrome_cpu})
                out.append(Row("class", f"check, {k} student(s): stride change, Chromium p50", statistics.median(chrome),
                               min(chrome), max(chrome), baseline=statistics.median(light),
                               target="≈ 1× light client",
                               note=f"light p50 {statistics.median(light) * 1000:.0f} ms / p95 "
                                    f"{_pct(light, 0.95) * 1000:.0f} ms; Chromium p95 {_pct(chrome, 0.95) * 1000:.0f}"
                                    f" ms; server CPU per change {light_cpu * 1000:.0f} ms (light) vs "
                                    f"{chrome_cpu * 1000:.0f} ms (Chromium); {len(chrome)} changes each"))
        report["chromium_check"] = check

    OUT.mkdir(exist_ok=True)
    text = json.dumps(report, indent=2, default=str)
    (OUT / f"class-{report['time']}.json").write_text(text)
    (OUT / "class-latest.json").write_text(text)
    return out


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    for r in rows():
        print(r)
