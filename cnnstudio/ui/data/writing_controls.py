"""The Data step's controls that write in the project (import, the camera, Split, labelling keys, the trash, the data
check's fixes, the class panel's Add, Rename, Colour, Merge and Delete, and the window's File > Import and Edit > Add
Class and Split Dataset): on a project open for viewing only (a read-only disk or folder, or another window has it)
each is off, its tooltip the project's own words for why (:func:`~cnnstudio.ui.read_only_words.read_only_refusal`: the
same sentence a refused change says), so nothing is clicked that then fails. A key has no tooltip: the gallery (and
the class list's F2) says the same sentence in the status bar instead."""

from __future__ import annotations

from ..read_only_words import read_only_refusal
from ..sentence import sentence

ADD_PICTURES = "add pictures"  # what each control would do (read_only_refusal's ``doing``)
ADD_CLASS = "add classes"
CHANGE_CLASSES = "change classes"  # the class panel's Rename, Colour, Merge and Delete
SPLIT = "split the pictures"
LABEL = "change labels"
TRASH = "move pictures to the trash or back"
FIX = "apply the data check's fixes"
IMPORT_RUN = "import a run"


def refused(project, doing: str) -> str:
    """"" while ``project`` can be written; else why CNN Studio cannot ``doing`` there, as a sentence."""
    return sentence(read_only_refusal(project, doing))


def set_writing(control, project, doing: str, enabled: bool = True, tip: str = "") -> None:
    """``control`` (a button or an action) on when ``enabled`` and ``project`` can be written; its tooltip ``tip``,
    or why it is off when the project cannot be written (an action's status tip too)."""
    why = refused(project, doing) if project is not None else ""
    control.setEnabled(enabled and not why)
    control.setToolTip(why or tip)
    if hasattr(control, "setStatusTip"):
        control.setStatusTip(why or tip)
