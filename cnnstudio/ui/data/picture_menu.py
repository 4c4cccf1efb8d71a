"""The gallery's right-click entries for what its keys do, for a user who reaches for the mouse: "Label as ▸" each
class with its number key beside it (``1  cat``; :mod:`cnnstudio.project.label_keys`, the keys' one rule) and "No
class" (Backspace), and "Move to trash" (Delete). Each does exactly what its key does (the gallery's
``label_selected`` and ``delete_requested``: one undoable step, said in the status bar), so a user learns the key
from the menu. Hidden in the trash (a picture there is restored first), off with nothing selected, and off on a
project open for viewing only, the tooltip saying why (:mod:`.writing_controls`)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from ...project.label_keys import clear_key, keys_of
from ..session import ProjectSession
from .writing_controls import LABEL, TRASH, set_writing

LABEL_TIP = "Give the selected pictures a class (or press its number key)"
TRASH_TIP = "Move the selected pictures to the project's trash (or press Delete; Ctrl+Z brings them back)"
NOTHING_SELECTED = "Select pictures first"


def class_entry(key: int | None, name: str) -> str:
    """A class's entry in "Label as ▸": its name, its key after a tab (shown at the right, as a shortcut is)."""
    return name.replace("&", "&&") + (f"\t{key}" if key is not None else "")


class PictureMenu(QObject):
    """"Label as ▸" and "Move to trash" for ``gallery`` (a :class:`~.gallery_view.GalleryList`), added to its
    actions before "Move to split ▸" (:mod:`.split_menu`)."""

    def __init__(self, session: ProjectSession, gallery):
        super().__init__(gallery)  # gone with the gallery: its signals no longer reach deleted actions
        self.session, self.gallery = session, gallery
        self.label_menu = QMenu("Label as", gallery)
        self.label_menu.aboutToShow.connect(self._fill)  # the classes as they are now
        self.trash_action = QAction("Move to trash\tDelete", gallery)
        self.trash_action.triggered.connect(self.trash)
        gallery.selectionModel().selectionChanged.connect(self.update)
        gallery.model().modelReset.connect(self.update)
        self._fill()
        self.update()

    @property
    def label_action(self) -> QAction:
        """"Label as ▸", asked of its menu each time: a kept wrapper of a menu's action was found deleted while the
        action lived on (PySide6; the gallery's right-click menu and the window's look for changes elsewhere)."""
        return self.label_menu.menuAction()

    @property
    def actions(self) -> list[QAction]:
        return [self.label_action, self.trash_action]

    def update(self, *_args) -> None:
        shown = not self.gallery.model().filter.trashed
        chosen = bool(self.gallery.selected_ids())
        project = self.session.project
        for action, doing, tip in ((self.label_action, LABEL, LABEL_TIP), (self.trash_action, TRASH, TRASH_TIP)):
            action.setVisible(shown)
            set_writing(action, project, doing, chosen, tip if chosen else NOTHING_SELECTED)

    def _fill(self) -> None:
        self.label_menu.clear()
        classes = self.session.project.classes()
        for info, key in zip(classes, keys_of([c.name for c in classes])):
            a = self.label_menu.addAction(class_entry(key, info.name))
            a.triggered.connect(lambda _=False, c=info: self.gallery.label_selected(c))
        if classes:
            self.label_menu.addSeparator()
        clear = self.label_menu.addAction(f"No class\t{clear_key([c.name for c in classes])}")
        clear.triggered.connect(lambda _=False: self.gallery.label_selected(None))

    def trash(self) -> None:
        ids = self.gallery.selected_ids()
        if ids:
            self.gallery.delete_requested.emit(ids)
        else:
            self.gallery.say(NOTHING_SELECTED)


__all__ = ["LABEL_TIP", "NOTHING_SELECTED", "PictureMenu", "TRASH_TIP", "class_entry"]
