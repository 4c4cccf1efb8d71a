"""Application settings (QSettings): window geometry, recent projects, the last folder of each kind of file
dialog (:func:`last_folder` / :func:`remember_folder`), view options.

``CNNSTUDIO_SETTINGS=/path/file.ini`` puts them in a file of your choice: the tests use it so they
never read or write the real user's settings.
"""

from __future__ import annotations

import errno
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


def add_recent_project(path: str | Path) -> str:
    """Remember ``path`` first among the recent projects; "" or why the settings could not be saved."""
    path = str(Path(path).resolve())
    items = [p for p in recent_projects() if p != path]
    s = app_settings()
    s.setValue("recent_projects", [path, *items][:MAX_RECENT])
    return sync(s)


def sync(s: QSettings) -> str:
    """Write the settings out: "" or one sentence (project/disk.py's words) saying why they could not be saved.
    Settings are a convenience: the app goes on without them."""
    s.sync()
    if s.status() != QSettings.Status.AccessError:
        return ""
    from ..project.disk import disk_error, read_only_error, writable

    folder = Path(s.fileName()).parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    err = (disk_error(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), folder, "remember settings")
           if writable(folder) else read_only_error(folder, "remember settings"))
    return f"{err} — recent projects and the window's size are not remembered until then"


def remove_recent_project(path: str) -> None:
    s = app_settings()
    s.setValue("recent_projects", [p for p in recent_projects() if p != path])
    s.sync()


def last_folder(kind: str) -> str:
    """The folder a file dialog of ``kind`` ("project", "import", "export", ... any short word) starts in: the one
    :func:`remember_folder` kept last for it, else the home folder (also when that folder is gone)."""
    value = app_settings().value(f"folders/{kind}", "")
    if value and Path(str(value)).is_dir():
        return str(value)
    return str(Path.home())


def remember_folder(kind: str, path: str | Path) -> None:
    """Keep ``path`` (a folder; a file's folder when given a file) as where dialogs of ``kind`` start next time."""
    path = Path(path)
    if path.is_file():
        path = path.parent
    s = app_settings()
    s.setValue(f"folders/{kind}", str(path))
    sync(s)


def choose_file(parent, title: str, kind: str, file_filter: str) -> str:
    """An Open dialog that starts where dialogs of ``kind`` last were and remembers the folder of the file
    chosen; the path, or "" when the user cancelled."""
    from PySide6.QtWidgets import QFileDialog

    path = QFileDialog.getOpenFileName(parent, title, last_folder(kind), file_filter)[0]
    if path:
        remember_folder(kind, path)
    return path
