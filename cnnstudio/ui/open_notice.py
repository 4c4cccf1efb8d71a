"""The one notice about the whole window a project says as it opens (Qt-free: the window shows it in its status bar
with ``show_for_window``): why a project open for viewing only cannot be changed; else the pictures opening made
unlabelled because their class was gone (:func:`~cnnstudio.project.open_checks.lost_class_words`), then the settings
that cannot be kept; "" when there is nothing to say."""

from __future__ import annotations

from ..project.open_checks import lost_class_words
from .sentence import sentence


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def notice_on_open(project, settings_problem: str = "") -> str:
    """What to say once as ``project`` opens in the window (``settings_problem``: why the window's settings cannot be
    kept, "" when they can)."""
    if project.read_only:  # for viewing: every change would say why it cannot be saved
        return _capital(str(project.write_refused("save changes")))
    lost = lost_class_words(project.unlabelled_on_open)
    if lost and settings_problem:
        return f"{sentence(lost)} {_capital(settings_problem)}"
    return _capital(lost or settings_problem)
