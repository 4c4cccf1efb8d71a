"""Data files shipped with the app (sample dataset, icon, Linux desktop entry), found the same way from a
source checkout, an editable install, an installed wheel and the frozen bundle.

The files live in the repository's top-level ``resources/`` folder. The wheel maps that folder into the
package as ``cnnstudio/_resources`` (pyproject.toml: ``package-dir`` + ``package-data``), and the
PyInstaller spec copies it to the same relative place (``<_MEIPASS>/cnnstudio/_resources``). Everything
that needs a bundled file asks :func:`resource_path`; ``tests/test_resources.py`` checks all three ways in.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


APP_ID = "io.github.cnnstudio.CNNStudio"  # reverse-DNS id of the desktop entry and AppStream file
PACKAGED = "_resources"  # the folder's name inside the installed or frozen package


def resources_dir() -> Path:
    """The folder holding the data files: frozen bundle, installed wheel, or the source tree's ``resources/``."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "cnnstudio" / PACKAGED
    package = Path(__file__).resolve().parent
    installed = package / PACKAGED
    if installed.is_dir():
        return installed
    return package.parent / "resources"  # a source checkout or an editable install


def resource_path(*parts: str) -> Path:
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"bundled file {'/'.join(parts)} is missing from this installation ({path})")
    return path


def sample_dataset_dir() -> Path:
    return resource_path("sample")


def icon_path() -> Path:
    return resource_path("icon.png")


def desktop_entry_path() -> Path:
    """The Linux desktop entry (``.desktop``) and, beside it, the AppStream metadata (``.metainfo.xml``)."""
    return resource_path("linux", f"{APP_ID}.desktop")


def user_data_dir() -> Path:
    """Where the app keeps its own files (the sample project): XDG on Linux, the usual places elsewhere."""
    override = os.environ.get("CNNSTUDIO_DATA_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "cnnstudio"
