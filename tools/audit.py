"""Known-vulnerability audit of the installed requirements: ``python -m tools.audit``.

First ``pip-audit`` (PyPI's advisory service, per installed version). Where that service cannot be reached,
for example behind a package mirror that serves ``/pypi/<name>/json`` but not ``/pypi/<name>/<version>/json``,
the fallback reads each project's PyPI JSON: its ``vulnerabilities`` are the advisories open against the
latest release. A package installed at its latest release is then fully audited; for an older one, the
advisories still open upstream are reported (they almost always reach back to it) and the package is listed
as "not audited at its version". A finding whose advisory id (or an alias) appears in README.md or
docs/DEPLOY.md counts as explained. Exit status: 0 clean or explained, 1 unexplained findings, 2 no data.
"""

from __future__ import annotations

import argparse
import importlib.metadata as metadata
import json
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPI_JSON = "https://pypi.org/pypi/{name}/json"
OWN_PROJECT = "deep-vision-lab"
EXPLANATIONS = (ROOT / "README.md", ROOT / "docs" / "DEPLOY.md")


@dataclass(frozen=True)
class Finding:
    """One advisory against one installed package."""

    name: str
    version: str
    id: str
    aliases: tuple[str, ...] = ()
    fixed_in: tuple[str, ...] = ()

    @property
    def ids(self) -> tuple[str, ...]:
        return (self.id, *self.aliases)


@dataclass
class AuditReport:
    """What was audited and found. ``source``: ``"pip-audit"`` or ``"pypi-latest"``."""

    source: str
    audited: list[tuple[str, str]] = field(default_factory=list)
    not_audited: list[tuple[str, str, str]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def unexplained(self, text: str | None = None) -> list[Finding]:
        """Findings none of whose ids appear in ``text`` (README.md + docs/DEPLOY.md by default)."""
        if text is None:
            text = "\n".join(p.read_text() for p in EXPLANATIONS if p.exists())
        return [f for f in self.findings if not any(i in text for i in f.ids)]


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def installed() -> dict[str, str]:
    """Canonical name → version of every distribution in this interpreter's environment, but this project."""
    out = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name and _canonical(name) != OWN_PROJECT:
            out[_canonical(name)] = dist.version
    return dict(sorted(out.items()))


def _findings(name: str, version: str, vulns: list[dict]) -> list[Finding]:
    return [Finding(name, version, v["id"], tuple(v.get("aliases") or ()), tuple(v.get("fixed_in") or ()))
            for v in vulns]


def run_pip_audit(timeout: float = 240.0) -> AuditReport | None:
    """``pip-audit`` over this environment, or None when it is missing or could audit nothing."""
    exe = shutil.which("pip-audit", path=str(Path(sys.executable).parent)) or shutil.which("pip-audit")
    if exe is None:
        return None
    try:
        out = subprocess.run([exe, "--progress-spinner", "off", "--format", "json", "--skip-editable"],
                             cwd=ROOT, capture_output=True, text=True, timeout=timeout)
        report = json.loads(out.stdout)
    except (subprocess.TimeoutExpired, json.JSONDecodeError):
        return None
    audited = [d for d in report.get("dependencies", []) if "skip_reason" not in d]
    if not audited:
        return None
    result = AuditReport("pip-audit")
    for d in report["dependencies"]:
        if "skip_reason" in d:
            result.not_audited.append((d["name"], d.get("version", "?"), d["skip_reason"]))
        else:
            result.audited.append((d["name"], d["version"]))
            result.findings.extend(_findings(d["name"], d["version"], d.get("vulns", [])))
    return result


def _project_json(name: str, timeout: float) -> dict | None:
    try:
        with urllib.request.urlopen(PYPI_JSON.format(name=name), timeout=timeout) as response:
            return json.load(response)
    except (urllib.error.URLError, TimeoutError, OSError, json.JSONDecodeError):
        return None


def pypi_latest_audit(packages: dict[str, str] | None = None, timeout: float = 20.0) -> AuditReport | None:
    """The fallback described in the module docstring, or None when PyPI's JSON cannot be reached at all."""
    packages = installed() if packages is None else packages
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda n: _project_json(n, timeout), packages))
    if not any(answers):
        return None
    result = AuditReport("pypi-latest")
    for (name, version), data in zip(packages.items(), answers):
        if data is None:
            result.not_audited.append((name, version, "PyPI's JSON did not answer"))
            continue
        latest = data["info"]["version"]
        if latest == version:
            result.audited.append((name, version))
        else:
            result.not_audited.append((name, version, f"latest is {latest}; advisories per version unreachable"))
        result.findings.extend(_findings(name, version, data.get("vulnerabilities") or []))
    return result


def audit() -> AuditReport | None:
    """pip-audit, else the PyPI-latest fallback, else None (no advisory data reachable)."""
    return run_pip_audit() or pypi_latest_audit()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    report = audit()
    if report is None:
        print("No advisory data reachable (neither pip-audit's service nor PyPI's JSON).", file=sys.stderr)
        return 2
    bad = report.unexplained()
    if args.json:
        print(json.dumps({"source": report.source, "audited": report.audited, "not_audited": report.not_audited,
                          "findings": [f.__dict__ for f in report.findings],
                          "unexplained": [f.id for f in bad]}, indent=2))
    else:
        print(f"source: {report.source}; audited {len(report.audited)} packages at their installed version, "
              f"{len(report.not_audited)} not: {len(report.findings)} findings, {len(bad)} unexplained")
        for name, version, why in report.not_audited:
            print(f"  not audited: {name} {version} ({why})")
        for f in report.findings:
            mark = "UNEXPLAINED" if f in bad else "explained"
            print(f"  {mark}: {f.name} {f.version} {f.id} {' '.join(f.aliases)} fixed in {', '.join(f.fixed_in) or '-'}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
