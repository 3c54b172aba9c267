"""The package boundaries of docs/ARCHITECTURE.md, checked on every file.

- vision_core never imports streamlit or ui; importing all of it loads no streamlit.
- Inside vision_core, layers only import downwards: the base (errors, checks, types) ← assets ← io ← ops
  ← models ← topic packages; topic packages never import each other; classroom (storage) imports the
  base only; challenges (the checks of classroom challenges) may import topics.
- Only the registry builds models: no topic package calls ``get_model``; in the UI only ``ui.models`` does.
- Pages hold no maths, model or drawing code: no torch/cv2/numpy/scipy/sklearn imports.
- Every vision_core module has a first docstring and at most MAX_LINES lines.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "vision_core"
CORE_FILES = sorted(CORE.rglob("*.py"))
PAGES = sorted((ROOT / "pages").glob("*.py"))
UI = sorted((ROOT / "ui").glob("*.py"))
MAX_LINES = 500

BASE = {"errors", "checks", "types", "__init__"}
LAYERS: dict[str, set[str]] = {
    "assets": BASE,
    "io": BASE | {"assets"},
    "ops": BASE | {"io"},
    "models": BASE | {"assets", "io", "ops"},
    "classroom": BASE,
}
INFRASTRUCTURE = set(LAYERS) | BASE
TOPIC_ALLOWED = BASE | {"assets", "io", "ops", "models"}


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _imports(path: Path) -> set[str]:
    """Absolute module names imported by ``path`` (relative imports resolved against its package)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def _unit(path: Path) -> str:
    """The first-level unit of vision_core a file belongs to: ``errors``, ``models``, ``detection`` …"""
    return path.relative_to(CORE).with_suffix("").parts[0]


def _units_imported(path: Path) -> set[str]:
    out = set()
    for name in _imports(path):
        parts = name.split(".")
        if parts[0] == "vision_core" and len(parts) > 1:
            out.add(parts[1])
    return out


@pytest.mark.parametrize("path", CORE_FILES, ids=_rel)
def test_vision_core_never_imports_streamlit(path):
    bad = {n for n in _imports(path) if n.split(".")[0] in {"streamlit", "ui", "pages"}}
    assert not bad, f"{path.name} imports {bad}"


@pytest.mark.parametrize("path", CORE_FILES, ids=_rel)
def test_layers_import_downwards_and_topics_stay_apart(path):
    unit = _unit(path)
    used = _units_imported(path) - {unit}
    if unit in BASE:
        allowed = BASE
    elif unit in LAYERS:
        allowed = LAYERS[unit]
    elif unit == "challenges":
        return
    else:  # a topic package
        allowed = TOPIC_ALLOWED
    bad = used - allowed
    assert not bad, f"{_rel(path)} ({unit}) imports vision_core.{sorted(bad)}: see docs/ARCHITECTURE.md for the layers"


def test_every_topic_is_classified():
    """A new package under vision_core is a topic unless it is listed as infrastructure: the rule above covers it."""
    units = {_unit(p) for p in CORE_FILES}
    assert {"models", "ops", "io", "assets"} <= units
    topics = units - INFRASTRUCTURE - {"challenges"}
    assert {"detection", "segmentation", "pose", "classic", "architectures", "see", "classify"} <= topics


@pytest.mark.parametrize("path", CORE_FILES, ids=_rel)
def test_only_the_registry_builds_models(path):
    if _unit(path) in {"models", "challenges"}:
        return
    tree = ast.parse(path.read_text())
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)
             and getattr(n.func, "id", getattr(n.func, "attr", None)) == "get_model"]
    assert not calls, f"{_rel(path)} calls get_model: take the model as an argument (net=) instead"


@pytest.mark.parametrize("path", PAGES + UI, ids=_rel)
def test_only_ui_models_loads_models(path):
    if path.name == "models.py":
        return
    tree = ast.parse(path.read_text())
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)
             and getattr(n.func, "id", getattr(n.func, "attr", None)) == "get_model"]
    assert not calls, f"{_rel(path)} calls get_model: use ui.models.require_model (the one cache)"


@pytest.mark.parametrize("path", CORE_FILES, ids=_rel)
def test_modules_are_small_and_say_what_they_hold(path):
    text = path.read_text()
    lines = text.count("\n") + 1
    assert lines <= MAX_LINES, f"{_rel(path)} has {lines} lines; split it (at most {MAX_LINES})"
    if path.name != "__main__.py" and text.strip():
        assert ast.get_docstring(ast.parse(text)), f"{_rel(path)} has no first docstring"


def test_vision_core_import_does_not_load_streamlit():
    code = (
        "import sys, pkgutil, importlib, vision_core\n"
        "for m in pkgutil.walk_packages(vision_core.__path__, 'vision_core.'):\n"
        "    if not m.name.endswith('__main__'):\n"
        "        importlib.import_module(m.name)\n"
        "print('streamlit' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"


MATHS = {"torch", "torchvision", "cv2", "onnxruntime", "scipy", "skimage", "sklearn", "numpy", "PIL"}


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_pages_are_thin(path):
    bad = {n for n in _imports(path) if n.split(".")[0] in MATHS}
    assert not bad, f"{path.name} imports {sorted(bad)}: move that code into vision_core (or a ui/ view module)"


def test_every_catalog_page_exists():
    from ui.catalog import PAGES as CATALOG

    assert {p.script for p in CATALOG} == {p.name for p in PAGES}


def test_the_architecture_map_names_every_package():
    doc = (ROOT / "docs" / "ARCHITECTURE.md").read_text()
    for unit in sorted({_unit(p) for p in CORE_FILES} - {"__init__"}):
        assert f"`{unit}" in doc or f"{unit}/" in doc, f"docs/ARCHITECTURE.md does not mention vision_core/{unit}"
