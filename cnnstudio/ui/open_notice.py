"""The one notice about the whole window a project says as it opens (Qt-free: the window shows it in its status bar
with ``show_for_window``): that the project was opened from the copy of its database just put back, without the
changes made since (:func:`~cnnstudio.project.put_back.put_back_words`), the pictures opening made unlabelled because
their class was gone (:func:`~cnnstudio.project.open_checks.lost_class_words`), an import the app never finished
(killed: :func:`~cnnstudio.project.import_marker.take_stopped_import`, said also to a project open for viewing only),
then the settings that cannot be kept; "" when there is nothing to say.

Why a project open for viewing only cannot be changed is not said once but stays, above the steps, as long as the
project is open (:func:`viewing_only_words`, shown by ``ui/view_only_notice.py``): a message gone after a few seconds
left every button off with no reason in sight (QA)."""

from __future__ import annotations

from ..project.import_marker import take_stopped_import
from ..project.open_checks import lost_class_words
from ..project.put_back import put_back_words
from .sentence import sentence


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def notice_on_open(project, settings_problem: str = "") -> str:
    """What to say once as ``project`` opens in the window (``settings_problem``: why the window's settings cannot be
    kept, "" when they can)."""
    stopped = take_stopped_import(project)  # said once, cleared (kept, and said again, when it cannot be changed)
    if project.read_only:  # for viewing: why stays above the steps (viewing_only_words); the settings are said
        said = [words for words in (stopped, settings_problem) if words]
    else:
        put_back = (put_back_words(project.put_back_from, project.runs_back) if project.put_back_from is not None
                    else "")
        said = [words for words in (put_back, lost_class_words(project.unlabelled_on_open), stopped,
                                    settings_problem) if words]
    return " ".join([sentence(words) for words in said[:-1]] + [_capital(words) for words in said[-1:]])


def viewing_only_words(project) -> str:
    """The line the window keeps above its steps while ``project`` is open for viewing only: that it is, why (the
    project's own refusal, the sentence a refused change says) and what to do; "" for a project that can be changed."""
    if project is None or not project.read_only:
        return ""
    why = str(project.write_refused("save changes"))  # the engine's form: no capital, no full stop
    return f"Open for viewing only — {why}{'' if why.endswith('.') else '.'}"
