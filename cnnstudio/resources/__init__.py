"""Data files shipped with the app (sample dataset, icon), found the same way installed or frozen.

Everything that needs a bundled file asks :func:`resource_path`; the PyInstaller spec copies this
folder as ``cnnstudio/resources`` so the same relative paths hold in the frozen app.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "cnnstudio" / "resources"
    return Path(__file__).resolve().parent


def resource_path(*parts: str) -> Path:
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"bundled file {'/'.join(parts)} is missing from this installation ({path})")
    return path


def sample_dataset_dir() -> Path:
    return resource_path("sample")


def icon_path() -> Path:
    return resource_path("icon.png")


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
