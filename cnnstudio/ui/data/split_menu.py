"""The gallery's right-click menu entry "Move to split ▸ Train / Validation / Test": the selected pictures into one
split by hand (as ``cnnstudio move`` does), one undoable step (:meth:`~cnnstudio.ui.session.ProjectSession.set_split`,
Ctrl+Z), said in the status bar. Off with nothing selected, hidden in the trash, and off on a project open for viewing
only, its tooltip why (:mod:`.writing_controls`).

Moving by hand is not refused for a picture whose copy is in another split: Split keeps copies together when it draws
(:mod:`cnnstudio.project.split_together`), the data check says where copies leak, and moving one by hand is how a
user puts them together (or apart, on purpose)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMessageBox

from ...project.counting import counted
from ...project.errors import ProjectError
from ...project.names import SPLIT_NAMES
from ..sentence import sentence
from ..session import SPLIT_PLACES, ProjectSession
from .writing_controls import SPLIT, set_writing

MOVE_TIP = "Put the selected pictures in a split by hand (Ctrl+Z undoes it)"
NOTHING_SELECTED = "Select pictures first, then move them to a split"


def moved_words(moved: int, already: int, split: str) -> str:
    """What a move did, for the status bar: "Moved 2 pictures to the validation split (Ctrl+Z undoes it).", and how
    many were there already; nothing moved: "The 2 pictures are in the validation split already."."""
    where = SPLIT_PLACES[split]
    if not moved:
        return (f"The picture is in {where} already." if already == 1
                else f"The {counted(already, 'picture')} are in {where} already.")
    there = f"; {already} {'was' if already == 1 else 'were'} there already" if already else ""
    return f"Moved {counted(moved, 'picture')} to {where}{there} (Ctrl+Z undoes it)."


class SplitMenu(QObject):
    """The "Move to split" action and its submenu, for ``gallery`` (a :class:`~.gallery_view.GalleryList`): added
    to its actions, so its right-click menu shows it beside Restore and Empty trash…."""

    def __init__(self, session: ProjectSession, gallery):
        super().__init__(gallery)  # gone with the gallery: its signals no longer reach deleted actions
        self.session, self.gallery = session, gallery
        self.menu = QMenu("Move to split", gallery)
        self.actions: dict[str, QAction] = {}
        for split in ("train", "val", "test"):
            a = self.menu.addAction(SPLIT_NAMES[split])
            a.setStatusTip(f"Put the selected pictures in {SPLIT_PLACES[split]}")
            a.triggered.connect(lambda _=False, s=split: self.move(s))
            self.actions[split] = a
        gallery.selectionModel().selectionChanged.connect(self.update)
        gallery.model().modelReset.connect(self.update)  # another filter, the trash shown or left
        self.update()

    @property
    def action(self) -> QAction:
        """"Move to split ▸", asked of its menu each time (a kept wrapper was found deleted: picture_menu.py)."""
        return self.menu.menuAction()

    def update(self, *_args) -> None:
        """Shown out of the trash; on with pictures selected and a project that can be written (else why)."""
        self.action.setVisible(not self.gallery.model().filter.trashed)
        chosen = bool(self.gallery.selected_ids())
        set_writing(self.action, self.session.project, SPLIT, chosen, MOVE_TIP if chosen else NOTHING_SELECTED)

    def move(self, split: str) -> None:
        """The selected pictures into ``split``, one undoable step; the status bar says what moved."""
        ids = self.gallery.selected_ids()
        if not ids:
            self.gallery.say(NOTHING_SELECTED)
            return
        moving = [r.id for r in self.session.project.records(ids) if r.split != split]
        if moving:
            try:
                self.session.set_split(moving, split)
            except ProjectError as e:  # a disk that refuses: said, nothing moved
                QMessageBox.warning(self.gallery, "Move to split", sentence(str(e)))
                return
        self.gallery.say(moved_words(len(moving), len(ids) - len(moving), split))


__all__ = ["MOVE_TIP", "NOTHING_SELECTED", "SplitMenu", "moved_words"]
