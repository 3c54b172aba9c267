"""Safety checks: known vulnerabilities in the installed requirements (``tools/audit.py``: pip-audit, else
PyPI's project JSON), safe weight loading, no raw HTML with user content, XSRF and an upload cap in the server config, the Docker entry command."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tools import audit

ROOT = Path(__file__).resolve().parents[1]


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
def test_installed_requirements_have_no_unexplained_advisories():
    report = audit.audit()
    if report is None:
        pytest.skip("no advisory data reachable: neither pip-audit's service nor PyPI's project JSON answered")
    print(f"\n{report.source}: {len(report.audited)} packages audited at their version, "
          f"{len(report.not_audited)} not ({', '.join(n for n, *_ in report.not_audited)}); "
          f"{len(report.findings)} findings")
    assert len(report.audited) >= 20, report.not_audited
    assert not report.unexplained(), f"fix these or explain them in README.md: {report.unexplained()}"


def test_pypi_latest_fallback_reads_advisories(monkeypatch):
    answers = {
        "pillow": {"info": {"version": "11.0.0"}, "vulnerabilities": []},
        "oldpkg": {"info": {"version": "2.0"}, "vulnerabilities": [
            {"id": "GHSA-xxxx-yyyy-zzzz", "aliases": ["CVE-2099-0001"], "fixed_in": []}]},
        "gone": None,
    }
    monkeypatch.setattr(audit, "_project_json", lambda name, timeout: answers[name])
    report = audit.pypi_latest_audit({"pillow": "11.0.0", "oldpkg": "1.0", "gone": "0.1"})
    assert report.source == "pypi-latest"
    assert report.audited == [("pillow", "11.0.0")]
    assert [(n, v) for n, v, _ in report.not_audited] == [("oldpkg", "1.0"), ("gone", "0.1")]
    assert "latest is 2.0" in report.not_audited[0][2]
    assert [f.ids for f in report.findings] == [("GHSA-xxxx-yyyy-zzzz", "CVE-2099-0001")]
    assert report.unexplained("nothing known") == report.findings
    assert report.unexplained("CVE-2099-0001: only reachable through X, not used here") == []
    monkeypatch.setattr(audit, "_project_json", lambda name, timeout: None)
    assert audit.pypi_latest_audit({"pillow": "11.0.0"}) is None
