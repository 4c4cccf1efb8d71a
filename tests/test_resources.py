"""The one resource helper (cnnstudio/resources): the same relative paths in the installed and the frozen
app (PyInstaller's ``sys._MEIPASS``), a clear message for a missing file, and every data file shipped."""

from __future__ import annotations

import fnmatch
import sys
import tomllib
from pathlib import Path

import pytest

from cnnstudio import resources
from cnnstudio.resources import icon_path, resource_path, resources_dir, sample_dataset_dir, user_data_dir

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_DIR = ROOT / "cnnstudio" / "resources"


def test_installed_app_finds_the_package_folder(monkeypatch):
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    assert resources_dir() == PACKAGE_DIR
    assert icon_path() == PACKAGE_DIR / "icon.png"
    assert icon_path().read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    classes = sorted(p.name for p in sample_dataset_dir().iterdir() if p.is_dir())
    assert classes == [str(d) for d in range(10)]
    assert all(any((sample_dataset_dir() / c).glob("*.png")) for c in classes)


def test_frozen_app_finds_files_under_meipass(monkeypatch, tmp_path):
    """In the bundle, the spec copies cnnstudio/resources to <_MEIPASS>/cnnstudio/resources."""
    bundled = tmp_path / "cnnstudio" / "resources"
    (bundled / "sample" / "7").mkdir(parents=True)
    (bundled / "icon.png").write_bytes(b"png")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert resources_dir() == bundled
    assert icon_path() == bundled / "icon.png"
    assert sample_dataset_dir() == bundled / "sample"
    assert resource_path("sample", "7") == bundled / "sample" / "7"


def test_a_missing_file_says_which_and_where(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    with pytest.raises(FileNotFoundError, match=r"bundled file sample/x\.png is missing .*cnnstudio"):
        resource_path("sample", "x.png")


def test_user_data_dir_can_be_redirected(monkeypatch, tmp_path):
    monkeypatch.setenv("CNNSTUDIO_DATA_DIR", str(tmp_path / "elsewhere"))
    assert user_data_dir() == tmp_path / "elsewhere"
    monkeypatch.delenv("CNNSTUDIO_DATA_DIR")
    assert user_data_dir().name == "cnnstudio"


def test_every_resource_file_is_shipped_in_the_wheel():
    """pyproject's package-data must match every data file, or an installed (non-editable) app lacks it."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["cnnstudio.resources"]
    missing = []
    for f in PACKAGE_DIR.rglob("*"):
        rel = f.relative_to(PACKAGE_DIR).as_posix()
        if f.is_dir() or f.suffix in (".py", ".pyc") or "__pycache__" in rel:
            continue
        if not any(fnmatch.fnmatchcase(rel, p) for p in patterns):
            missing.append(rel)
    assert not missing, f"not in package-data: {missing[:5]}"


def test_the_bundle_spec_ships_the_resources_folder():
    spec = (ROOT / "packaging" / "cnnstudio.spec").read_text(encoding="utf-8")
    assert "cnnstudio/resources" in spec and "_C_stable" in spec and "image_stable" in spec
    assert resources.__file__  # the helper is a regular module the spec's analysis finds
