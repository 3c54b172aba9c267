"""The home page imports only what it shows: no torchvision (its package import loads every submodule and its compiled
extension, ~165 MiB of a server's RSS) until someone opens the optional downloads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.app.util import errors, run_page

ROOT = Path(__file__).resolve().parents[2]

_HOME = """
import sys
from tests.app.util import run_page
at = run_page("home.py")
assert not at.exception, [e.value for e in at.exception]
print("torchvision" in sys.modules, sorted(m for m in sys.modules if m.startswith("torchvision"))[:3])
at.toggle(key="home_hub").set_value(True).run()
assert not at.exception, [e.value for e in at.exception]
print("torchvision" in sys.modules)
"""


def test_home_page_imports_no_torchvision_until_the_downloads_are_opened():
    out = subprocess.run([sys.executable, "-c", _HOME], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.strip().splitlines()
    assert lines[-2].startswith("False"), f"the home page imported torchvision: {lines[-2]}"
    assert lines[-1] == "True", "opening the optional downloads reads torchvision's weights metadata"


def test_listing_every_model_imports_no_torchvision():
    code = ("import sys; from vision_core.models import list_models; from vision_core.classify import IMAGENET_CLASSES; "
            "specs = list_models(); print(len(specs), 'torchvision' in sys.modules, len(IMAGENET_CLASSES))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    count, imported, classes = out.split()
    assert int(count) > 20 and imported == "False" and classes == "1000"


def test_home_lists_embedded_models_and_the_downloads_behind_a_toggle():
    at = run_page("home.py")
    labels = [m.label for m in at.metric]
    assert "Embedded models ready" in labels
    shown = len(at.dataframe)
    at.toggle(key="home_hub").set_value(True).run()
    assert not errors(at)
    assert len(at.dataframe) == shown + 1
    tables = [d.value for d in at.dataframe if "source" in d.value.columns]
    assert set(tables[0]["source"]) == {"embedded"} and "YOLOv3-tiny" in " ".join(tables[0]["model"])
    assert set(tables[1]["source"]) == {"download on demand"} and "Faster R-CNN" in " ".join(tables[1]["model"])
