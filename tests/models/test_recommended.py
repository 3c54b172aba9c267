"""The recommended hub downloads and the per-task ranking: ``python -m vision_core.models fetch-recommended``
offline (one line, exit 0, nothing in the hub), with a stubbed opener serving ``weights=None`` state dicts
(each recommended model fetched, then the strongest available), failures that are not "offline", and the
Makefile/Dockerfile wiring (``make run`` and the image fetch them, ``make test`` never does)."""

from __future__ import annotations

import io
import re
import shutil
import socket
import subprocess
import time
import urllib.error

import pytest

from tests.conftest import ROOT, StubResponse, state_dict_bytes
from tests.models.hub_stubs import untrained
from vision_core.errors import BadInput
from vision_core.models import Task, get_model, get_spec
from vision_core.models.__main__ import main
from vision_core.models.recommended import (
    RECOMMENDED,
    STRONGEST,
    fetch_recommended,
    published_metrics,
    strongest_available,
)

OFFLINE_LINE = "offline: the embedded models are used; {} recommended downloads skipped"

def _offline(url):
    raise urllib.error.URLError(socket.gaierror(-2, "Name or service not known"))


def _files(hub) -> list:
    return [p for p in hub.rglob("*") if p.is_file()]


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _serving(names, requested: list[str], timings: dict[str, float]):
    """An opener that serves each model's weights=None state dict at its weights URL (built on request)."""
    by_url = {get_spec(n).weights.url: n for n in names}

    def opener(url):
        requested.append(by_url[url])
        t0 = time.perf_counter()
        data = state_dict_bytes(untrained(by_url[url]))
        timings[by_url[url]] = time.perf_counter() - t0
        return StubResponse(data)

    return opener


def test_rankings_follow_the_published_numbers():
    """Within each task the hub models are ordered by torchvision's published accuracy; embedded ones follow."""
    primary = {Task.DETECTION: "COCO-val2017 box_map", Task.SEGMENTATION: "COCO-val2017-VOC-labels miou",
               Task.INSTANCE_SEGMENTATION: "COCO-val2017 mask_map", Task.POSE: "COCO-val2017 kp_map",
               Task.CLASSIFICATION: "ImageNet-1K acc@1"}
    assert set(STRONGEST) == set(primary)
    for task, names in STRONGEST.items():
        assert all(get_spec(n).task is task for n in names), task
        hub = [n for n in names if get_spec(n).weights is not None]
        scores = [published_metrics(n)[primary[task]] for n in hub]
        assert scores == sorted(scores, reverse=True), (task, scores)
    assert [published_metrics(n)["COCO-val2017 box_map"] for n in STRONGEST[Task.DETECTION][:4]] == [46.7, 41.5, 39.2, 21.3]
    assert published_metrics("keypointrcnn")["COCO-val2017 kp_map"] == 65.0
    assert published_metrics("resnet50")["ImageNet-1K acc@1"] == pytest.approx(80.858)
    assert published_metrics("yolov3_tiny") == {} and STRONGEST[Task.DETECTION][-1] == "yolov3_tiny"
    assert STRONGEST[Task.POSE][-1] == "blazepose" and STRONGEST[Task.SEGMENTATION][-1] == "selfie"
    assert set(RECOMMENDED) <= {n for names in STRONGEST.values() for n in names}


def test_offline_the_strongest_models_are_the_embedded_ones(hub):
    assert strongest_available(Task.DETECTION) == "yolov3_tiny"
    assert strongest_available("segmentation") == "selfie"
    assert strongest_available(Task.POSE) == "blazepose"
    assert strongest_available(Task.CLASSIFICATION) == "efficientnet_lite0"
    assert strongest_available(Task.INSTANCE_SEGMENTATION) == "maskrcnn", "nothing embedded: the ranking's last"
    with pytest.raises(BadInput, match="Ranked tasks: detection, segmentation"):
        strongest_available(Task.STYLE)


def test_cli_offline_prints_one_line_exits_0_and_leaves_nothing(hub):
    out = io.StringIO()
    assert main(["fetch-recommended"], opener=_offline, out=out) == 0
    assert out.getvalue().splitlines() == [OFFLINE_LINE.format(4)]
    assert _files(hub) == []
    # One already here (a finished download): only the missing ones count as skipped, and no terminal junk.
    path = get_spec("deeplabv3").weights.cache_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"placeholder")
    out = Tty()
    assert main(["fetch-recommended"], opener=_offline, out=out) == 0
    assert out.getvalue() == OFFLINE_LINE.format(3) + "\n"
    assert _files(hub) == [path]


def test_cli_fetches_each_recommended_model_then_pages_default_to_them(hub, relaxed_hash):
    requested: list[str] = []
    timings: dict[str, float] = {}
    out = io.StringIO()
    t0 = time.perf_counter()
    assert main(["fetch-recommended"], opener=_serving(RECOMMENDED, requested, timings), out=out) == 0
    total = time.perf_counter() - t0
    lines = out.getvalue().splitlines()
    assert requested == list(RECOMMENDED)
    assert [line.split(":")[0] for line in lines[:4]] == list(RECOMMENDED)
    assert all(": downloaded " in line for line in lines[:4]) and lines[4].startswith("recommended models: 4 present")
    assert len(lines) == 5, "one line per model and a summary"
    assert {p.name for p in _files(hub)} == {get_spec(n).weights.filename for n in RECOMMENDED}
    assert strongest_available(Task.DETECTION) == "fasterrcnn_v2"
    assert strongest_available(Task.SEGMENTATION) == "deeplabv3"
    assert strongest_available(Task.INSTANCE_SEGMENTATION) == "maskrcnn"
    assert strongest_available(Task.POSE) == "keypointrcnn"
    assert strongest_available(Task.CLASSIFICATION) == "efficientnet_lite0", "ResNet-50 is not a recommended download"
    net = get_model("deeplabv3", "cpu")  # torchvision reads the stubbed file from torch.hub's cache (strict)
    assert net.aux_classifier is not None
    print(f"\nstubbed fetch of {len(RECOMMENDED)} models: {total:.1f} s, of which building the state dicts "
          + ", ".join(f"{n} {s:.1f} s" for n, s in timings.items()))
    # Everything is here now: no request at all, one line.
    out = io.StringIO()
    assert main(["fetch-recommended"], opener=_offline, out=out) == 0
    assert out.getvalue().splitlines() == [f"recommended models: all 4 present ({', '.join(RECOMMENDED)})"]
    status = io.StringIO()
    assert main(["status"], out=status) == 0
    rows = status.getvalue().splitlines()
    assert rows[0].split()[:3] == ["fasterrcnn_v2", "present", "167"] and "box_map 46.7" in rows[0]
    assert rows[-1] == ("pages default to: detection fasterrcnn_v2 · segmentation deeplabv3 · instance_segmentation "
                        "maskrcnn · pose keypointrcnn · classification efficientnet_lite0")


def test_an_http_error_or_a_corrupt_file_fails_that_model_only(hub):
    """The hub answered: that model fails (exit 1, a line saying why), the others go on; no partial files."""
    requested: list[str] = []
    serve = _serving(("ssdlite",), requested, {})

    def opener(url):
        if url == get_spec("lraspp").weights.url:
            raise urllib.error.HTTPError(url, 403, "Forbidden", {}, None)
        return serve(url)

    report = fetch_recommended(("lraspp", "ssdlite"), opener=opener)
    assert not report.offline and [r.state for r in report.rows] == ["failed", "failed"]
    assert "403" in report.rows[0].detail and "corrupt" in report.rows[1].detail, "the real sha256 check is on"
    assert _files(hub) == []

    def forbidden(url):
        raise urllib.error.HTTPError(url, 403, "Forbidden", {}, None)

    out = io.StringIO()
    assert main(["fetch-recommended"], opener=forbidden, out=out) == 1
    lines = out.getvalue().splitlines()
    assert len(lines) == 4 and all(": FAILED · " in line and "403" in line for line in lines)
    with pytest.raises(BadInput, match="embedded: yolov3_tiny"):
        fetch_recommended(("yolov3_tiny",))


def test_the_hub_going_away_midway_skips_the_rest(hub, relaxed_hash):
    served = {"n": 0}
    serve = _serving(("lraspp",), [], {})

    def opener(url):
        served["n"] += 1
        return serve(url) if served["n"] == 1 else _offline(url)

    seen: list[tuple[str, float]] = []
    report = fetch_recommended(("lraspp", "ssdlite", "deeplabv3"), opener=opener,
                               progress=lambda name: lambda f, m: seen.append((name, f)))
    assert [r.state for r in report.rows] == ["downloaded", "skipped", "skipped"] and report.offline
    assert served["n"] == 2, "after the first network failure nothing else is tried"
    assert seen and seen[-1] == ("lraspp", pytest.approx(1.0))
    assert strongest_available(Task.SEGMENTATION) == "lraspp"


def test_tty_progress_is_one_line_per_model(hub, relaxed_hash, monkeypatch):
    import vision_core.models.recommended as recommended

    monkeypatch.setattr("vision_core.models.__main__.fetch_recommended",
                        lambda **kw: recommended.fetch_recommended(("lraspp",), **kw))
    out = Tty()
    assert main(["fetch-recommended"], opener=_serving(("lraspp",), [], {}), out=out) == 0
    text = out.getvalue()
    assert text.count("\n") == 2 and "\rlraspp: [100%]" in text
    assert re.search(r"\rlraspp: downloaded 12 MB in [\d.]+ s · LR-ASPP", text)


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_fetches_make_test_never_does():
    def dry(target: str) -> str:
        return subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60).stdout

    run = dry("run")
    assert run.index("vision_core.assets fetch") < run.index("vision_core.models fetch-recommended || true") \
        < run.index("streamlit run")
    assert "fetch-recommended" not in dry("test")
    docker = (ROOT / "Dockerfile").read_text()
    assert "python -m vision_core.models fetch-recommended || true" in docker
    assert docker.index("vision_core.assets fetch") < docker.index("fetch-recommended")
