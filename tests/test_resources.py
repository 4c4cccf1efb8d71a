"""The one resource helper (cnnstudio/resources.py) finds the top-level resources/ folder three ways: from the
source tree (checkout or editable install), in an installed wheel (``cnnstudio/_resources``) and in the
frozen app (PyInstaller's ``sys._MEIPASS``); a clear message for a missing file; every data file shipped."""

from __future__ import annotations

import configparser
import fnmatch
import os
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from cnnstudio import resources
from cnnstudio.resources import (
    APP_ID,
    desktop_entry_path,
    icon_path,
    resource_path,
    resources_dir,
    sample_dataset_dir,
    user_data_dir,
)

ROOT = Path(__file__).resolve().parents[1]
RESOURCES = ROOT / "resources"


def test_the_source_tree_and_editable_install_find_the_top_level_folder(monkeypatch):
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    assert resources_dir() == RESOURCES
    assert icon_path() == RESOURCES / "icon.png"
    assert icon_path().read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    classes = sorted(p.name for p in sample_dataset_dir().iterdir() if p.is_dir())
    assert classes == [str(d) for d in range(10)]
    assert all(any((sample_dataset_dir() / c).glob("*.png")) for c in classes)


def test_frozen_app_finds_files_under_meipass(monkeypatch, tmp_path):
    """In the bundle, the spec copies resources/ to <_MEIPASS>/cnnstudio/_resources."""
    bundled = tmp_path / "cnnstudio" / "_resources"
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


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_resource_file_is_shipped_in_the_wheel():
    """pyproject's package-data must match every data file, or an installed (non-editable) app lacks it."""
    setuptools = _pyproject()["tool"]["setuptools"]
    assert setuptools["package-dir"] == {"cnnstudio._resources": "resources"}
    patterns = setuptools["package-data"]["cnnstudio._resources"]
    missing = []
    for f in RESOURCES.rglob("*"):
        rel = f.relative_to(RESOURCES).as_posix()
        if f.is_dir() or f.suffix in (".py", ".pyc") or "__pycache__" in rel:
            continue
        if not any(fnmatch.fnmatchcase(rel, p) for p in patterns):
            missing.append(rel)
    assert not missing, f"not in package-data: {missing[:5]}"


def test_the_bundle_spec_ships_the_resources_folder():
    spec = (ROOT / "packaging" / "cnnstudio.spec").read_text(encoding="utf-8")
    assert 'datas = [(str(ROOT / "resources"), "cnnstudio/_resources")]' in spec
    assert "_C_stable" in spec and "image_stable" in spec
    assert resources.__file__  # the helper is a regular module the spec's analysis finds


def test_every_package_is_listed_for_the_wheel():
    """Packages are listed by hand (automatic discovery cannot map resources/): none may be forgotten."""
    listed = set(_pyproject()["tool"]["setuptools"]["packages"])
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "cnnstudio").rglob("*.py")
               if "__pycache__" not in p.parts}
    assert on_disk | {"cnnstudio._resources"} == listed
    assert all((ROOT / name.replace(".", "/") / "__init__.py").exists() for name in on_disk), \
        "a package folder without __init__.py"


@pytest.mark.slow
def test_an_installed_wheel_finds_its_resources(tmp_path):
    """Build the real wheel, unpack it, and ask the helper from the unpacked copy (no source tree on the path)."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(tmp_path / "dist"), str(ROOT)], check=True, capture_output=True, timeout=240)
    wheel = next((tmp_path / "dist").glob("cnnstudio-*.whl"))
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        z.extractall(site)
    for f in RESOURCES.rglob("*"):
        if f.is_file():
            assert f"cnnstudio/_resources/{f.relative_to(RESOURCES).as_posix()}" in names
    code = ("import cnnstudio.resources as r; print(r.__file__); print(r.resources_dir()); "
            "print(r.icon_path()); print(len(list(r.sample_dataset_dir().glob('*/*.png'))))")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = str(site)
    out = subprocess.run([sys.executable, "-S", "-c", code], cwd=tmp_path, env=env, capture_output=True,
                         text=True, check=True, timeout=60).stdout.split("\n")
    assert Path(out[0]) == site / "cnnstudio" / "resources.py"
    assert Path(out[1]) == site / "cnnstudio" / "_resources"
    assert Path(out[2]) == site / "cnnstudio" / "_resources" / "icon.png"
    assert int(out[3]) == len(list(RESOURCES.glob("sample/*/*.png"))) > 1000


def test_the_linux_desktop_entry_and_appstream_metadata_agree():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(desktop_entry_path(), encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application" and desktop["Exec"].split()[0] == "cnnstudio"
    assert desktop["Icon"] == APP_ID and desktop["Categories"].endswith(";")
    meta = ET.parse(desktop_entry_path().with_name(f"{APP_ID}.metainfo.xml")).getroot()
    assert meta.tag == "component" and meta.get("type") == "desktop-application"
    assert meta.findtext("id") == APP_ID
    assert meta.find("launchable").text == desktop_entry_path().name
    assert meta.findtext("provides/binary") == "cnnstudio"
    assert meta.findtext("project_license") == _pyproject()["project"]["license"]["text"]
