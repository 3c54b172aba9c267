"""The package boundaries: vision_core never imports streamlit; pages hold no model or maths code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = sorted((ROOT / "vision_core").rglob("*.py"))
PAGES = sorted((ROOT / "pages").glob("*.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(ROOT)))
def test_vision_core_never_imports_streamlit(path):
    bad = {n for n in _imports(path) if n == "streamlit" or n.startswith("streamlit.") or n.startswith("ui")}
    assert not bad, f"{path.name} imports {bad}"


def test_vision_core_import_does_not_load_streamlit():
    import subprocess
    import sys

    code = "import sys, pkgutil, importlib, vision_core\n" \
           "for m in pkgutil.iter_modules(vision_core.__path__):\n" \
           "    importlib.import_module('vision_core.' + m.name)\n" \
           "print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_pages_are_thin(path):
    bad = {n for n in _imports(path) if n.split(".")[0] in {"torch", "torchvision", "cv2", "onnxruntime", "scipy", "skimage", "sklearn"}}
    assert not bad, f"{path.name} imports {bad}: move that code into vision_core"


def test_every_catalog_page_exists():
    from ui.catalog import PAGES as CATALOG

    assert {p.script for p in CATALOG} == {p.name for p in PAGES}
