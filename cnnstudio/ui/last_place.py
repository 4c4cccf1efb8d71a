"""Where the user left a project: the step shown when it closed (the window quit, the project closed or another
opened), kept per project folder in the app's settings (QSettings, ui/settings.py), so that opening it again comes
back to that step. A project never opened in this window before (or whose kept step is not a step any more) opens on
the first step, as before."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .settings import app_settings, sync
from .workspace import STEP_KEYS

GROUP = "last_step"  # settings key: last_step/<the folder's digest>


def _key(root: str | Path) -> str:
    """The folder's key: a digest of its full path (a path's slashes and colons are not a settings key's)."""
    return f"{GROUP}/{hashlib.sha1(str(Path(root).resolve()).encode()).hexdigest()[:16]}"


def remember_step(root: str | Path, step: str) -> None:
    s = app_settings()
    s.setValue(_key(root), step)
    sync(s)  # settings are a convenience: one that cannot be written is not said here (the project's open says so)


def last_step(root: str | Path) -> str | None:
    """The step kept for the project at ``root``; None when none is (a first open)."""
    step = app_settings().value(_key(root))
    return step if step in STEP_KEYS else None


def open_where_left(workspace, root: str | Path) -> None:
    """Show the step the project was left on, if one was kept."""
    step = last_step(root)
    if step is not None and step != workspace.current_step():
        workspace.show_step_key(step)
