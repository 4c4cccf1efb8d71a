"""Application settings (QSettings): window geometry, recent projects, view options.

``CNNSTUDIO_SETTINGS=/path/file.ini`` puts them in a file of your choice: the tests use it so they
never read or write the real user's settings.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

MAX_RECENT = 8


def app_settings() -> QSettings:
    path = os.environ.get("CNNSTUDIO_SETTINGS")
    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings("CNNStudio", "CNN Studio")


def recent_projects() -> list[str]:
    value = app_settings().value("recent_projects", [])
    if isinstance(value, str):
        value = [value]
    return [str(v) for v in (value or []) if v]


def add_recent_project(path: str | Path) -> None:
    path = str(Path(path).resolve())
    items = [p for p in recent_projects() if p != path]
    s = app_settings()
    s.setValue("recent_projects", [path, *items][:MAX_RECENT])
    s.sync()


def remove_recent_project(path: str) -> None:
    s = app_settings()
    s.setValue("recent_projects", [p for p in recent_projects() if p != path])
    s.sync()
