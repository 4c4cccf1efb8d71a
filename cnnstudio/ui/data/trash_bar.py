"""The gallery's trash: the bar shown above the pictures in the project's trash ("Trash (N)" in the split filter).

Its Restore (Ctrl+R, or the pictures' context menu) brings the selected pictures back, one undoable step
(:meth:`.session.ProjectSession.restore_images`); "Empty trash…" asks first, then deletes every picture in the
trash for good and says how many and the disk space freed (:meth:`.session.ProjectSession.empty_trash`: not
undoable, and the undo steps about those pictures are dropped). The question is :func:`ask_to_empty`; a test
answers the real box.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from ...project import ImageFilter
from ...project.counting import counted
from ...project.disk import human_bytes
from ..colours import note_colours
from ..session import ProjectSession
from ..sentence import sentence
from .writing_controls import TRASH as TRASH_DOING, set_writing

RESTORE_KEYS = "Ctrl+R"
RESTORE_TIP = f"Bring the selected pictures back from the trash ({RESTORE_KEYS})"
EMPTY_TIP = "Delete every picture in the trash for good, to free disk space (asks first)"
TRASH = "trash"  # the split filter's value for the trash
#: why a key does nothing to a picture in the trash: a labelling key (False), Delete (True)
IN_TRASH_KEYS_WORDS = {
    False: f"Pictures in the trash keep their class: bring them back first with Restore ({RESTORE_KEYS}).",
    True: "These pictures are in the trash already: “Empty trash…” deletes them for good.",
}


def trash_entry(n: int) -> str:
    """The split filter's entry for the trash: "Trash (12)" (short: the closed drop-down fits a 1,024-pixel
    window)."""
    return f"Trash ({n:,})"


def empty_question(n: int) -> str:
    """ "Delete 12 pictures for good? This cannot be undone." """
    return f"Delete {counted(n, 'picture')} for good? This cannot be undone."


def emptied_words(n: int, freed_bytes: int, not_removed: str = "") -> str:
    """What the status bar says after emptying the trash; ``not_removed``: the sentence naming the files the disk
    would not delete (:attr:`~cnnstudio.project.store.EmptiedTrash.not_removed`), said after it."""
    if not n:
        return "The trash was empty already."
    said = f"Deleted {counted(n, 'picture')} for good: {human_bytes(freed_bytes)} of disk space freed."
    return f"{said} {sentence(not_removed)}" if not_removed else said


def ask_to_empty(parent: QWidget, n: int) -> bool:
    """Ask before the trash is emptied; "Cancel" is the default, so Enter deletes nothing."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Empty the trash", empty_question(n), parent=parent)
    box.setInformativeText("The pictures' files are deleted from the project folder.")
    delete = box.addButton("Delete for good", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is delete


class TrashBar(QFrame):
    """Shown while the gallery shows the trash: what the trash is, Restore and "Empty trash…"."""

    def __init__(self, session: ProjectSession, gallery, parent=None):
        super().__init__(parent)
        self.session = session
        self.gallery = gallery  # the GalleryList: its selection, and its status-bar sentences
        self.setObjectName("trashBar")
        bg, words, border = note_colours("neutral", self)
        self.setStyleSheet(f"#trashBar {{ background: {bg}; border: 1px solid {border}; border-radius: 4px; }}"
                           f" #trashBar QLabel {{ color: {words}; }}")
        self.text = QLabel("Pictures in the trash are left out of training. Bring back the ones you want; emptying "
                           "the trash deletes the rest for good.")
        self.text.setWordWrap(True)
        self.restore_action = QAction("Restore", self)
        self.restore_action.setShortcut(QKeySequence(RESTORE_KEYS))
        self.restore_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.restore_action.triggered.connect(self.restore_selected)
        self.empty_action = QAction("Empty trash…", self)
        self.empty_action.triggered.connect(self.empty)
        self.restore_button = QPushButton("Restore")
        self.restore_button.clicked.connect(self.restore_action.trigger)
        self.empty_button = QPushButton("Empty trash…")
        self.empty_button.clicked.connect(self.empty_action.trigger)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 4, 4)
        lay.addWidget(self.text, 1)
        lay.addWidget(self.restore_button)
        lay.addWidget(self.empty_button)
        gallery.selectionModel().selectionChanged.connect(self.update_buttons)
        gallery.model().modelReset.connect(self.update_buttons)
        self.hide()
        self.update_buttons()

    def nothing_words(self, trashed: int) -> str:
        """What the gallery says where no picture is shown: the trash is empty, or none of it in the class filter."""
        if trashed:
            return "No picture in the trash is of this class. <a href='all'>Show all pictures</a>"
        return "The trash is empty. <a href='all'>Show all pictures</a>"

    def update_buttons(self, *_args) -> None:
        """Restore with a selection, "Empty trash…" with pictures in the trash (both only while it is shown)."""
        shown = not self.isHidden()
        self.restore_action.setVisible(shown)  # the pictures' context menu has them only in the trash
        self.empty_action.setVisible(shown)
        p = self.session.project  # a project open for viewing only: both off, and why (writing_controls)
        restore = shown and bool(self.gallery.selected_ids())
        empty = shown and p.count(ImageFilter(trashed=True)) > 0
        for control, on, tip in ((self.restore_action, restore, RESTORE_TIP),
                                 (self.restore_button, restore, RESTORE_TIP),
                                 (self.empty_action, empty, EMPTY_TIP), (self.empty_button, empty, EMPTY_TIP)):
            set_writing(control, p, TRASH_DOING, on, tip)

    def restore_selected(self) -> None:
        ids = self.gallery.selected_ids()
        if not ids:
            self.gallery.say("Select the pictures to bring back first.")
            return
        self.session.restore_images(ids)
        self.gallery.say(f"Brought {counted(len(ids), 'picture')} back from the trash. Ctrl+Z puts "
                         f"{'them' if len(ids) != 1 else 'it'} back in the trash.")

    def empty(self) -> None:
        """Ask, then delete every picture in the trash for good and say what was freed."""
        n = self.session.project.count(ImageFilter(trashed=True))
        if n == 0:
            self.gallery.say(emptied_words(0, 0))
            return
        if self.session.project.read_only:  # said before the question, as any change of a read-only project is
            raise self.session.project.write_refused("empty the trash")
        if not ask_to_empty(self.window(), n):
            return
        emptied = self.session.empty_trash()
        self.gallery.say(emptied_words(len(emptied.ids), emptied.freed_bytes, emptied.not_removed))
