"""Server cost per page (issue 17, point 2): the warm rerun and one typical interaction of every page in
``ui.catalog``, in server time, beside the page's model-only time; idle RSS of the real server after the home
page and per extra session; a kernel edit → new output image round trip in Chromium.

- **Server time** is the script thread's own run (``LocalScriptRunner._run_script_thread``: the entry point, the
  tray, the page), not AppTest's parsing of the reply; AppTest's wall time is in the note. AppTest has no fragment
  reruns, so a change inside a fragment (the convolution page's kernel) reruns the whole page here: an upper bound.
- **Warm rerun**: the page run once, then ``at.run()`` with no widget changed, median of ``DVL_SERVER_WARM`` (7).
- **Interaction**: one display-only change per page (``INTERACTIONS``: a threshold, opacity, view, top-k …), a
  different value each time where the widget has a range, median of ``DVL_SERVER_CHANGES`` (5). A page that
  ``INTERACTIONS`` does not know (a new page) gets a generic change of its first keyed choice widget.
- **Model-only** (the baseline column): the bare vision_core call the page caches (``MODEL_ONLY``), same photo.
- A torchvision detector with stubbed weights: SSDlite built with ``weights=None`` saved into a temporary torch
  hub, as a finished download would leave it; its score slider moved on the composite scene.
- ``DVL_SERVER_ONLY=pose,detection`` measures only those pages (URL paths); ``DVL_SERVER_PROFILE=1`` prints the top of a cProfile of the script thread for every row over target.
- **Real server** rows replay a few interactions with ``tools.light_client`` on ``streamlit run`` (its config: AppTest
  skips the ``gc.collect`` a real server may run after each script run), send → final ``script_finished``.
- ``DVL_SERVER_BROWSER=0`` skips the real-server rows (RSS, Chromium, light client), ``DVL_SERVER_PAGES=0`` the AppTest rows;
  ``DVL_SERVER_SESSIONS`` (4) extra home-page sessions, ``DVL_SERVER_EDITS`` (15) kernel edits.
"""

from __future__ import annotations

import asyncio
import cProfile
import io
import json
import os
import pstats
import statistics
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from bench.core import Row, measure, value_row

ROOT = Path(__file__).resolve().parent.parent
WARM = int(os.environ.get("DVL_SERVER_WARM", "7"))
CHANGES = int(os.environ.get("DVL_SERVER_CHANGES", "5"))
PROFILE = os.environ.get("DVL_SERVER_PROFILE") == "1"
WARM_TARGET, WORST_TARGET, CHANGE_TARGET, EDIT_TARGET = 0.100, 0.200, 0.100, 0.300


# ------------------------------------------------------------------------------------------- server time

class _ScriptClock:
    """Times (and optionally profiles) every AppTest script run in this process: the script thread's own work."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.profile: cProfile.Profile | None = None

    def install(self) -> None:
        from streamlit.testing.v1.local_script_runner import LocalScriptRunner

        if getattr(LocalScriptRunner._run_script_thread, "_bench_clock", False):
            return
        original = LocalScriptRunner._run_script_thread
        clock = self

        def timed(runner: Any) -> None:
            prof = clock.profile
            t0 = time.perf_counter()
            if prof is not None:
                prof.enable()
            try:
                original(runner)
            finally:
                if prof is not None:
                    prof.disable()
                clock.times.append(time.perf_counter() - t0)

        timed._bench_clock = True  # type: ignore[attr-defined]
        LocalScriptRunner._run_script_thread = timed  # type: ignore[method-assign]


CLOCK = _ScriptClock()


def _run(step: Callable[[], Any]) -> tuple[float, float]:
    """(server seconds, AppTest wall seconds) of one ``step`` (a call that ends in one ``run()``)."""
    n = len(CLOCK.times)
    t0 = time.perf_counter()
    step()
    wall = time.perf_counter() - t0
    return (CLOCK.times[-1] if len(CLOCK.times) > n else wall), wall


def _profile(step: Callable[[], Any], repeat: int = 3, top: int = 25) -> str:
    CLOCK.profile = cProfile.Profile()
    try:
        for _ in range(repeat):
            step()
    finally:
        prof, CLOCK.profile = CLOCK.profile, None
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


# ------------------------------------------------------------------------------------------- interactions

@dataclass(frozen=True)
class Interaction:
    """One display-only change: AppTest accessor ``kind`` (``slider``, ``selectbox`` …) of widget ``key``; the
    page is warmed on ``values[0]``, then every timed change moves to the next value (cycling)."""

    what: str
    kind: str
    key: str
    values: tuple[Any, ...]
    query: tuple[tuple[str, str], ...] = ()


INTERACTIONS: dict[str, Interaction] = {
    "home": Interaction("optional downloads shown / hidden", "toggle", "home_hub", (False, True)),
    "digital_images": Interaction("quantisation bits", "slider", "di_bits", (3, 4, 5, 2, 6, 1)),
    "convolution": Interaction("a kernel cell edit (centre)", "kernel", "conv_editor", ("8", "4", "5", "6", "3", "7")),
    "output_size": Interaction("stride", "number_input", "os_s", (1, 2)),
    "upsampling": Interaction("unpooling factor", "select_slider", "up_factor", (4, 2)),
    "architectures": Interaction("table rows: blocks / layers", "segmented_control", "arch_rows", ("blocks", "layers")),
    "classify": Interaction("top-k", "slider", "cls_topk", (5, 3, 7, 4, 8, 2)),
    "inside_network": Interaction("view: filters / feature maps", "segmented_control", "ins_view",
                                  ("Filters", "Feature maps")),
    "transfer_learning": Interaction("projection PCA / t-SNE", "segmented_control", "tl_proj", ("PCA", "t-SNE")),
    "train_cnn": Interaction("rotate the lecture's X", "slider", "tc_xrot", (0, 15, 30, -15, 45, -30)),
    "localisation": Interaction("a training setting (no trained net yet)", "select_slider", "loc_steps", (400, 600)),
    "detection": Interaction("score threshold, YOLOv3-tiny", "slider", "det_score",
                             (0.25, 0.3, 0.35, 0.4, 0.2, 0.15)),
    "segmentation": Interaction("overlay opacity", "slider", "seg_alpha", (0.55, 0.3, 0.7, 0.4, 0.8, 0.2)),
    "autoencoders": Interaction("a training setting (no trained net yet)", "select_slider", "ae_steps", (400, 800)),
    "pose": Interaction("keypoint score threshold", "slider", "pose_min", (0.5, 0.3, 0.6, 0.4, 0.7, 0.2)),
    "captioning": Interaction("a training setting (no trained net yet)", "selectbox", "cap_n", (1500, 1000)),
    "gan_faces": Interaction("upscaling nearest / lanczos", "radio", "gan_resample", ("nearest", "lanczos")),
    "gan_train": Interaction("what to learn: digits / 2-D toy", "segmented_control", "gan_mode",
                             ("MNIST digits", "2-D toy")),
    "style_transfer": Interaction("style image", "selectbox", "nst_style", ("hubble_deep_field", "brick", "gravel")),
    "classic_cv": Interaction("Viola–Jones minNeighbors", "slider", "cv_neighbors", (5, 3, 4, 6, 2, 7)),
    "classroom": Interaction("the teacher's class number", "number_input", "cls_tclass", (1, 2)),
}
"""The typical display-only change of each page, by URL path."""

_GENERIC_KINDS = ("segmented_control", "radio", "selectbox", "toggle", "checkbox")


def _generic(at: Any) -> Interaction | None:
    """A page no entry describes: its first keyed choice widget, between its first two values."""
    for kind in _GENERIC_KINDS:
        for w in getattr(at, kind):
            key = getattr(w, "key", None)
            if not key or key.startswith("_") or key in ("src", "sample", "me"):
                continue
            options = list(getattr(w, "options", None) or (False, True))
            if len(options) >= 2:
                return Interaction(f"generic: {kind} {key}", kind, key, tuple(options[:2]))
    return None


def _kernel_edit(at: Any, value: str) -> Any:
    """The convolution page's kernel editor with its centre cell set to ``value``, as the frontend sends it."""
    from streamlit.proto.WidgetStates_pb2 import WidgetStates

    editor = next(d for d in at.dataframe if "conv_editor" in d.proto.id)
    states = WidgetStates()
    states.CopyFrom(at._tree.get_widget_states())
    state = states.widgets.add()
    state.id = editor.proto.id
    columns = [str(c) for c in editor.value.columns]
    state.string_value = json.dumps({"edited_rows": {"1": {columns[1]: value}}, "added_rows": [], "deleted_rows": []})
    return at._tree._runner._run(states)


def _change(at: Any, change: Interaction, value: Any) -> Any:
    if change.kind == "kernel":
        return _kernel_edit(at, value)
    return getattr(at, change.kind)(key=change.key).set_value(value).run()


# ------------------------------------------------------------------------------------------- model-only

def _model_only() -> dict[str, tuple[str, Callable[[], Callable[[], object]]]]:
    """URL path → (what, a factory that loads the model and returns the bare call on the default photo)."""
    from vision_core.io.samples import DEFAULT_SAMPLE, load_sample
    from vision_core.models import get_model

    photo = load_sample(DEFAULT_SAMPLE)

    def classify() -> Callable[[], object]:
        from vision_core.classify import class_probabilities

        net = get_model("efficientnet_lite0")
        return lambda: class_probabilities(photo, "efficientnet_lite0", net=net)

    def inside() -> Callable[[], object]:
        from vision_core.see import feature_layers, feature_maps

        net = get_model("efficientnet_lite0")
        layer = feature_layers("efficientnet_lite0")[0].key
        return lambda: feature_maps(photo, "efficientnet_lite0", layer, net=net)

    def transfer() -> Callable[[], object]:
        from vision_core.transfer import cnn_features, experiment_dataset

        net = get_model("vgg16_features")
        images = experiment_dataset("faces").images
        return lambda: cnn_features(images, net, "block4_pool", 48)

    def detection() -> Callable[[], object]:
        from vision_core.detection import candidates

        net = get_model("yolov3_tiny")
        return lambda: candidates(photo, "yolov3_tiny", net=net)

    def segmentation() -> Callable[[], object]:
        from vision_core.segmentation import segment

        net = get_model("selfie")
        return lambda: segment(photo, "selfie", net=net)

    def pose() -> Callable[[], object]:
        from vision_core.pose import detect_faces, estimate_pose

        net, mtcnn = get_model("blazepose"), get_model("mtcnn")
        return lambda: (estimate_pose(photo, "blazepose", net=net, min_score=0.5, max_people=1),
                        detect_faces(photo, mtcnn))

    def gan() -> Callable[[], object]:
        from vision_core.generative.faces import sample_faces

        net = get_model("dcgan_faces")
        return lambda: sample_faces(16, 42, 1.0, generator=net)

    def style() -> Callable[[], object]:
        from vision_core.style import fast_stylize

        sess = get_model("style_multistyle26")
        mix = [1.0] + [0.0] * 25
        return lambda: fast_stylize(photo, mix, session=sess)

    def classic() -> Callable[[], object]:
        from vision_core.classic import detect_timed, open_cascade

        cascade = open_cascade("frontalface_default")
        return lambda: detect_timed(photo, cascade, scale_factor=1.1, min_neighbors=5, min_size=(30, 30), max_side=1024)

    return {
        "classify": ("class_probabilities, EfficientNet-Lite0", classify),
        "inside_network": ("feature_maps, EfficientNet-Lite0 first layer", inside),
        "transfer_learning": ("cnn_features, VGG-16 block4_pool on the faces set", transfer),
        "detection": ("candidates, YOLOv3-tiny", detection),
        "segmentation": ("segment, selfie", segmentation),
        "pose": ("estimate_pose (BlazePose) + detect_faces (MTCNN)", pose),
        "gan_faces": ("sample_faces(16), DCGAN", gan),
        "style_transfer": ("fast_stylize, 26-style network (Fast tab)", style),
        "classic_cv": ("detect_timed, Haar frontal face", classic),
    }


# ------------------------------------------------------------------------------------------- the page rows

@contextmanager
def _scratch_hub() -> Any:
    """torch.hub and the classroom database in a throwaway folder (whatever this machine holds)."""
    import torch

    before_hub = torch.hub.get_dir()
    saved = {k: os.environ.get(k) for k in ("DVL_DATABASE_URL",)}
    with tempfile.TemporaryDirectory(prefix="dvl-bench-server-") as tmp:
        torch.hub.set_dir(str(Path(tmp) / "hub"))
        os.environ.setdefault("DVL_DATABASE_URL", f"sqlite:///{Path(tmp) / 'classroom.db'}")
        try:
            yield Path(tmp)
        finally:
            torch.hub.set_dir(before_hub)
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


def _median_row(group: str, name: str, pairs: list[tuple[float, float]], baseline: float | None, target: str,
                note: str = "") -> Row:
    server = [s for s, _ in pairs]
    wall = statistics.median(w for _, w in pairs)
    note = f"AppTest wall {wall * 1000:.0f} ms" + (f"; {note}" if note else "")
    return Row(group, name, statistics.median(server), min(server), max(server), baseline, target, "s", note)


def _page_rows(script: str, url_path: str, models: dict, problems: list[str]) -> tuple[Row, Row | None]:
    from tests.app.util import run_page

    change = INTERACTIONS.get(url_path)
    at = run_page(script, query=dict(change.query) if change else None)
    if at.exception:
        problems.append(f"{script}: {at.exception[0].value[:200]}")
    at.run()
    warm = [_run(at.run) for _ in range(WARM)]
    base = None
    what = ""
    if url_path in models:
        what, factory = models[url_path]
        try:
            base = measure(factory(), repeat=5, warmup=1)[0]
        except Exception as exc:  # a missing asset: the row says so
            what = f"{what}: {type(exc).__name__}"
    warm_row = _median_row("server", f"{url_path}: warm rerun", warm, base, f"≤ {WARM_TARGET * 1000:.0f} ms",
                           f"model-only: {what}" if base is not None else "")
    if PROFILE and warm_row.median > WARM_TARGET:
        print(f"\n— profile of {url_path}: warm rerun —\n" + _profile(at.run))
    change = change or _generic(at)
    if change is None:
        return warm_row, None
    values = change.values
    try:
        _change(at, change, values[0])  # the widget at its first value; every timed run moves it to the next
        cycle = values[1:] if len(values) > 2 else values[1:] + values[:1]
        pairs = [_run(lambda v=cycle[k % len(cycle)]: _change(at, change, v)) for k in range(CHANGES)]
        if at.exception:
            problems.append(f"{script} after {change.what}: {at.exception[0].value[:200]}")
    except Exception as exc:  # a widget the page no longer has: say so, keep the warm row
        problems.append(f"{script}: {change.what}: {type(exc).__name__}: {exc}")
        return warm_row, None
    row = _median_row("server", f"{url_path}: {change.what}", pairs, base, f"≤ {CHANGE_TARGET * 1000:.0f} ms")
    if PROFILE and row.median > CHANGE_TARGET:
        print(f"\n— profile of {url_path}: {change.what} —\n"
              + _profile(lambda: _change(at, change, values[1]) and _change(at, change, values[0]), repeat=2))
    return warm_row, row


def _stub_ssdlite() -> None:
    """SSDlite with ``weights=None`` where a finished download would put it (the scratch hub)."""
    import torch
    import torchvision

    from vision_core.models import get_spec

    path = get_spec("ssdlite").weights.cache_path
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    torch.save(torchvision.models.detection.ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None)
               .state_dict(), path)


def _torchvision_detector_row(problems: list[str]) -> Row:
    from tests.app.util import run_page
    from vision_core.detection import candidates, composite_scene
    from vision_core.models import get_model, get_spec

    _stub_ssdlite()
    query = {"det_photo": "Composite scene", "det_model": get_spec("ssdlite").title, "det_score": "0.05"}
    at = run_page("detection.py", query=query)
    if at.exception or not any(m.label == "Before NMS" for m in at.metric):
        problems.append("detection with stubbed SSDlite: " + (at.exception[0].value[:200] if at.exception else "no boxes"))
    scene = composite_scene()
    net = get_model("ssdlite")
    base = measure(lambda: candidates(scene, "ssdlite", net=net), repeat=5, warmup=1)[0]
    pairs = [_run(lambda v=v: at.slider(key="det_score").set_value(v).run()) for v in (0.1, 0.15, 0.2, 0.05, 0.25)]
    return _median_row("server", "detection: score threshold, SSDlite (stubbed weights)", pairs, base,
                       f"≤ {CHANGE_TARGET * 1000:.0f} ms", "torchvision detector, weights=None in a scratch hub; "
                       "model-only: candidates on the composite")


def page_rows() -> list[Row]:
    """Every page's warm rerun and interaction, the summary rows, and the stubbed torchvision detector."""
    from ui.catalog import PAGES

    CLOCK.install()
    problems: list[str] = []
    rows: list[Row] = []
    warm: list[Row] = []
    only = [x for x in os.environ.get("DVL_SERVER_ONLY", "").split(",") if x]
    pages = list({p.script: p for p in PAGES if not only or p.url_path in only}.values())
    with _scratch_hub():
        models = _model_only()
        for p in pages:
            print(f"  · {p.url_path}", flush=True)
            try:
                w, change = _page_rows(p.script, p.url_path, models, problems)
            except Exception as exc:
                problems.append(f"{p.script}: {type(exc).__name__}: {exc}")
                continue
            warm.append(w)
            rows.extend([w] + ([change] if change else []))
        if not only or "detection" in only:
            try:
                rows.append(_torchvision_detector_row(problems))
            except Exception as exc:
                problems.append(f"stubbed SSDlite: {type(exc).__name__}: {exc}")
    load = os.getloadavg()
    if warm:
        meds = [r.median for r in warm]
        worst = max(warm, key=lambda r: r.median)
        changes = [r.median for r in rows if "warm rerun" not in r.name]
        rows.append(value_row("server", f"warm rerun: median over {len(warm)} pages", 1000 * statistics.median(meds), "ms",
                              f"≤ {WARM_TARGET * 1000:.0f} ms", f"load average {load[0]:.1f} on {os.cpu_count()} cores"))
        rows.append(value_row("server", f"warm rerun: worst page ({worst.name.split(':')[0]})", 1000 * worst.median, "ms",
                              f"≤ {WORST_TARGET * 1000:.0f} ms"))
        if changes:
            rows.append(value_row("server", "interaction: worst page", 1000 * max(changes), "ms",
                                  f"≤ {CHANGE_TARGET * 1000:.0f} ms",
                                  f"over target: {sum(c > CHANGE_TARGET for c in changes)} of {len(changes)}"))
    for line in problems:
        print(f"  ! {line}", flush=True)
    return rows


# ------------------------------------------------------------------------------------------- the real server

def _rss(proc: psutil.Process) -> float:
    """RSS of the server process and its children, MiB."""
    total = proc.memory_info().rss
    for child in proc.children(recursive=True):
        try:
            total += child.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total / 2**20


def _settled_rss(proc: psutil.Process, seconds: float = 3.0) -> float:
    time.sleep(seconds)
    return _rss(proc)


def _open_home(browser: Any, url: str) -> Any:
    from tests.browser.conftest import wait_for_app

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(url + "/")
    wait_for_app(page)
    page.locator("h1").first.wait_for()
    return context


OUTPUT_JS = ("() => { const e = [...document.querySelectorAll('[data-testid=stMarkdownContainer] p')]"
             ".find(x => x.innerText.startsWith('Output values')); return e ? e.innerText : ''; }")
CHANGED_JS = ("([old, imgs]) => { const e = [...document.querySelectorAll('[data-testid=stMarkdownContainer] p')]"
              ".find(x => x.innerText.startsWith('Output values'));"
              " const now = [...document.querySelectorAll('[data-testid=stMain] img')].map(i => i.src).join(' ');"
              " return e && e.innerText !== old && now !== imgs && [...document.querySelectorAll("
              "'[data-testid=stMain] img')].every(i => i.complete); }")
IMAGES_JS = "() => [...document.querySelectorAll('[data-testid=stMain] img')].map(i => i.src).join(' ')"


def _kernel_round_trips(browser: Any, url: str, n: int) -> list[float]:
    """Type a new centre value into the kernel grid; the time from Enter to the new output image, decoded."""
    from tests.browser.conftest import wait_for_app

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(url + "/convolution")
    wait_for_app(page)
    editor = page.locator("[data-testid='stDataFrame']").first
    editor.wait_for()
    page.wait_for_function("() => !document.querySelector('[data-testid=stSkeleton]')", timeout=90_000)
    editor.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    times: list[float] = []
    for k in range(n + 1):
        before, images = page.evaluate(OUTPUT_JS), page.evaluate(IMAGES_JS)
        box = editor.bounding_box()
        page.mouse.dblclick(box["x"] + box["width"] / 3 * 1.5, box["y"] + 35 * 2 + 17)
        overlay = page.locator("textarea.gdg-input, input.gdg-input").first
        try:
            overlay.wait_for(timeout=15_000)
        except Exception:
            page.keyboard.press("Escape")
            page.wait_for_timeout(500)
            continue
        overlay.fill(str(3 + k % 5))
        t0 = time.perf_counter()
        overlay.press("Enter")
        try:
            page.wait_for_function(CHANGED_JS, arg=[before, images], timeout=30_000, polling="raf")
        except Exception:
            continue
        if k:  # the first edit warms the page's caches
            times.append(time.perf_counter() - t0)
        wait_for_app(page)
        page.wait_for_timeout(300)
    context.close()
    return times


LIGHT_ACTIONS: tuple[tuple[str, str, str, tuple[Any, ...]], ...] = (
    ("convolution", "kernel cell edit (a fragment run)", "kernel", ("4", "5", "6", "3", "7", "2")),
    ("convolution", "stride", "conv_stride", (2, 1)),
    ("detection", "score threshold, YOLOv3-tiny", "det_score", (0.3, 0.35, 0.4, 0.45, 0.5, 0.2)),
    ("classify", "top-k", "cls_topk", (3, 7, 4, 8, 2, 6)),
    ("segmentation", "overlay opacity", "seg_alpha", (0.3, 0.7, 0.4, 0.8, 0.2, 0.6)),
)
"""Interactions replayed on the real server by ``tools.light_client`` (the websocket protocol, no browser)."""


async def _light_rows(url: str, repeat: int) -> list[Row]:
    """Send → final ``script_finished`` on the real server (its config, garbage collection included), per action,
    after one warm-up change; and the warm rerun of the same pages."""
    from tools.light_client import LightClient

    out: list[Row] = []
    async with LightClient(url, timeout=120) as c:
        for path in dict.fromkeys(a[0] for a in LIGHT_ACTIONS):
            await c.open(f"/{path}")
            await c.rerun()
            warm = [(await c.rerun()).elapsed for _ in range(repeat)]
            out.append(Row("real server", f"{path}: warm rerun", statistics.median(warm), min(warm), max(warm), None,
                           f"≤ {WARM_TARGET * 1000:.0f} ms", "s", "light client: send → script_finished"))
            for page, what, key, values in LIGHT_ACTIONS:
                if page != path:
                    continue
                if key == "kernel":
                    editor = next(w for w in c.widgets.values() if "conv_editor" in (w.key or w.id)).key

                    async def act(v: Any) -> Any:
                        return await c.edit_cells(editor, {(1, "2"): v})
                else:
                    async def act(v: Any, key: str = key) -> Any:
                        return await c.set(key, v)
                await act(values[0])
                times = [(await act(values[1 + k % (len(values) - 1)])).elapsed for k in range(repeat)]
                out.append(Row("real server", f"{path}: {what}", statistics.median(times), min(times), max(times), None,
                               f"≤ {CHANGE_TARGET * 1000:.0f} ms", "s", "light client: send → script_finished"))
    return out


def server_rows() -> list[Row]:
    """Idle RSS of ``streamlit run`` before and after one Chromium home-page visit and per extra session; the
    Chromium kernel-edit round trip; a few interactions on the real server through the light client."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, running_server

    extra = int(os.environ.get("DVL_SERVER_SESSIONS", "4"))
    edits = int(os.environ.get("DVL_SERVER_EDITS", "15"))
    out: list[Row] = []
    with running_server() as (url, server):
        proc = psutil.Process(server.pid)
        with sync_playwright() as pw:
            started = _settled_rss(proc, 2.0)
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            first = _open_home(browser, url)
            home = _settled_rss(proc)
            contexts = [first] + [_open_home(browser, url) for _ in range(extra)]
            more = _settled_rss(proc)
            for c in contexts:
                c.close()
            out.append(value_row("memory", "server RSS after start (no session)", started, "MiB"))
            out.append(value_row("memory", "server RSS idle after one home-page visit (Chromium)", home, "MiB",
                                 "≤ 700 MiB", "meets" if home <= 700 else f"misses by {home - 700:.0f} MiB"))
            out.append(value_row("memory", f"RSS per extra home-page session ({extra} more)",
                                 (more - home) / max(extra, 1), "MiB", note=f"{more:.0f} MiB with {extra + 1} sessions"))
            trips = _kernel_round_trips(browser, url, edits) if edits > 0 else []
            browser.close()
        load = os.getloadavg()[0]
        if trips:
            out.append(Row("browser", f"kernel edit → new output image, Chromium ({len(trips)} edits)",
                           statistics.median(trips), min(trips), max(trips), None, "≤ 300 ms", "s",
                           "Enter in the grid → output text and image changed and decoded (150 ms of it is the "
                           f"data editor's own debounce in Streamlit's frontend); load average {load:.1f}"))
        out.extend(asyncio.run(_light_rows(url, int(os.environ.get("DVL_SERVER_LIGHT", "9")))))
    return out


def rows() -> list[Row]:
    out = page_rows() if os.environ.get("DVL_SERVER_PAGES", "1") != "0" else []
    if os.environ.get("DVL_SERVER_BROWSER", "1") != "0":
        out.extend(server_rows())
    return out
