"""Safety checks: known vulnerabilities in installed requirements (pip-audit), safe weight loading,
no raw HTML with user content, XSRF and an upload cap in the server config, the Docker entry command."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NETWORK_ERRORS = ("ConnectionError", "Max retries", "Name or service not known", "Temporary failure",
                  "timed out", "Network is unreachable", "HTTPSConnectionPool", "ProxyError")


def _python_files(*folders: str) -> list[Path]:
    return [p for f in folders for p in sorted((ROOT / f).rglob("*.py"))]


def test_every_torch_load_uses_weights_only():
    calls = []
    for path in _python_files("vision_core", "ui", "pages"):
        text = path.read_text()
        for match in re.finditer(r"torch\.load\(", text):
            depth, end = 0, match.end() - 1
            for end in range(match.end() - 1, len(text)):
                depth += {"(": 1, ")": -1}.get(text[end], 0)
                if depth == 0:
                    break
            calls.append((path.name, text[match.start(): end + 1]))
    assert calls, "expected at least one torch.load in vision_core"
    unsafe = [(name, call) for name, call in calls if "weights_only=True" not in call]
    assert not unsafe, unsafe


def test_no_pickle_loading_of_downloads():
    for path in _python_files("vision_core", "ui", "pages"):
        text = path.read_text()
        assert "pickle.load" not in text and "np.load(" not in text.replace("allow_pickle=False", ""), path.name


def test_no_unsafe_html_with_user_content():
    """``unsafe_allow_html`` only with constant markup: no f-string, format or variable from the session."""
    offenders = []
    for path in _python_files("pages", "ui") + [ROOT / "streamlit_app.py"]:
        for lineno, line in enumerate(path.read_text().splitlines(), start=1):
            if "unsafe_allow_html=True" in line and re.search(r"f\"|f'|\.format\(|label|name|upload|tray", line):
                offenders.append(f"{path.name}:{lineno}: {line.strip()}")
    assert not offenders, offenders


def test_server_config_has_xsrf_and_upload_cap():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    server = config["server"]
    assert server["enableXsrfProtection"] is True
    assert 1 <= server["maxUploadSize"] <= 50, "an upload cap in MB, small enough for a classroom"
    assert config["client"]["showErrorDetails"] in ("none", False)


def test_dockerfile_mirrors_make_run():
    docker = (ROOT / "Dockerfile").read_text()
    make = (ROOT / "Makefile").read_text()
    assert "$(BIN)/streamlit run streamlit_app.py" in make
    assert "streamlit run streamlit_app.py" in docker
    assert "pip install" in docker and "-r requirements.txt" in docker
    assert "python -m vision_core.assets fetch" in docker
    assert re.search(r"^USER (?!root)\w+", docker, re.M), "runs as a non-root user"
    assert "EXPOSE 8501" in docker and "/_stcore/health" in docker
    ignore = (ROOT / ".dockerignore").read_text().split()
    assert ".venv" in ignore and ".git" in ignore


def test_entry_command_of_the_image_exists():
    """The module the image's CMD runs is the entry point the browser tests serve."""
    assert (ROOT / "streamlit_app.py").exists()
    out = subprocess.run([sys.executable, "-m", "vision_core.assets", "status"], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr


@pytest.mark.slow
def test_pip_audit_installed_requirements():
    exe = shutil.which("pip-audit", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("pip-audit is not installed (it is in requirements-test.txt: make test installs it)")
    try:
        out = subprocess.run([exe, "--progress-spinner", "off", "--format", "json", "--skip-editable"],
                             cwd=ROOT, capture_output=True, text=True, timeout=240)
    except subprocess.TimeoutExpired:
        pytest.skip("pip-audit did not answer within 240 s (PyPI's advisory service unreachable?)")
    if out.returncode not in (0, 1) or (not out.stdout.strip() and any(e in out.stderr for e in NETWORK_ERRORS)):
        pytest.skip(f"PyPI's advisory service is unreachable: {out.stderr.strip()[-300:]}")
    report = json.loads(out.stdout)
    audited = [d for d in report["dependencies"] if "skip_reason" not in d]
    if not audited:
        pytest.skip("PyPI's advisory data is unreachable here: pip-audit could audit none of the "
                    f"{len(report['dependencies'])} installed packages ('Dependency not found on PyPI')")
    explained = (ROOT / "docs" / "DEPLOY.md").read_text()
    findings = [(d["name"], d["version"], v["id"]) for d in report["dependencies"] for v in d.get("vulns", [])]
    unexplained = [f for f in findings if f[2] not in explained]
    assert not unexplained, f"fix these or explain them in docs/DEPLOY.md: {unexplained}"
