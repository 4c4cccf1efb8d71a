"""A large preview of one image with its file name, size, class and split.

Opened from the gallery (Enter, Space or a double-click), it walks the gallery too: ← and → show the previous and
next picture (shortcuts of the dialog: the focused Close button would take them), and the gallery's labelling keys
(1-9, 0, Backspace) label the picture shown and move on, as they do in the gallery itself (the key goes to the gallery, so there is one rule: :meth:`.gallery_view.GalleryList.keyPressEvent`);
Delete moves the picture shown to the trash and shows the next; Ctrl+Z and Ctrl+Shift+Z are the window's Edit > Undo
and Redo (its actions, given as ``undo_actions``, so a step says what it undid in the status bar), and the preview then
shows the picture the step was about (the gallery selects it again).
Opened from elsewhere (the Evaluate page's mistakes) it shows one picture. The picture is scaled to fit the screen
the dialog is on, so its words and the Close button stay in view on a small laptop. It shows what the model sees,
read as CNN Studio reads it (:func:`~cnnstudio.ui.picture_image.picture_image`: upright, transparency on white, AVIF,
a 75-megapixel photo); a file that cannot be read gets its one sentence where the picture would be.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout

from ...project import ProjectError
from ...project.imaging import ImageRejected
from ...project.label_keys import key_range
from ..picture_image import cannot_show, picture_image
from ..session import ProjectSession
from .picture_words import SPLIT_NAMES, class_words
from .writing_controls import TRASH, refused

ROOM_FOR_WORDS = 230  # px of the screen's height kept for the title bar, the picture's details and Close
#: ← and →, by how far each steps: shortcuts of the dialog, so that they work whichever of its widgets has the focus
#: (the Close button has it, and a button takes the arrows for itself before the dialog sees them)
NAVIGATION_KEYS = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1}
#: a key in the preview of a picture the gallery's filters no longer show (changed elsewhere): it acts on nothing
NOT_IN_GALLERY = "This picture is no longer in the gallery as it is filtered now, so {not_done}."


def picture_side(picture: int, screen_height: int | None) -> int:
    """The longer side a picture is shown at: small pictures at 512 px, larger ones at 720 px, never more than
    the screen leaves once :data:`ROOM_FOR_WORDS` is kept (and never less than 200 px)."""
    side = 512 if picture < 512 else 720
    if screen_height:
        side = min(side, max(200, screen_height - ROOM_FOR_WORDS))
    return side


class PreviewDialog(QDialog):
    def __init__(self, session: ProjectSession, image_id: int, parent=None, gallery=None, undo_actions=()):
        super().__init__(parent)
        self.session = session
        self.gallery = gallery  # the GalleryList it walks, or None
        self.image_id = image_id
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setWordWrap(True)  # a picture that cannot be shown: its sentence
        self.info = QLabel()
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.keys = QLabel()
        self.keys.setStyleSheet("color: palette(placeholder-text);")
        self.keys.setWordWrap(True)
        self.keys.setVisible(gallery is not None)
        lay = QVBoxLayout(self)
        lay.addWidget(self.image, 1)
        lay.addWidget(self.info)
        lay.addWidget(self.keys)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        lay.addWidget(buttons)
        self.undo_actions = list(undo_actions) if gallery is not None else []
        self.addActions(self.undo_actions)  # their keys work here too: the dialog blocks the window's
        for action in self.undo_actions:
            action.triggered.connect(self._stepped)
        self.finished.connect(self._let_go)
        if gallery is not None:
            for key, by in NAVIGATION_KEYS.items():
                QShortcut(QKeySequence(key), self).activated.connect(lambda by=by: self._step(by))
        self.show_image(image_id)

    def _stepped(self) -> None:
        """After the window's Undo or Redo: the picture the gallery has current (the one the step was about)."""
        if self.isVisible():
            self._follow()

    def _let_go(self) -> None:
        """Closed: the window's Undo and Redo no longer follow here."""
        for action in self.undo_actions:
            self.removeAction(action)
            action.triggered.disconnect(self._stepped)
        self.undo_actions = []

    def show_image(self, image_id: int) -> None:
        """Show picture ``image_id`` (raises ProjectError when it is gone)."""
        project = self.session.project
        rec = project.image(image_id)
        self.image_id = image_id
        classes = project.classes()
        names = {c.id: c.name for c in classes}
        undo = " · Ctrl+Z undoes" if self.undo_actions else ""
        self.keys.setText(f"← → the previous or next picture · the class's key ({key_range(list(names.values()))}) "
                          f"labels this one and moves on · Delete moves it to the trash{undo}.")
        self.setWindowTitle(rec.original_name)
        screen = (self.parentWidget() or self).screen()
        side = picture_side(max(rec.width, rec.height), screen.availableGeometry().height() if screen else None)
        try:
            pix = QPixmap.fromImage(picture_image(project.root / rec.file, side))
        except ImageRejected as e:
            self.image.setPixmap(QPixmap())
            self.image.setText(cannot_show(e))
            self.image.setMinimumSize(min(side, 480), min(side, 480) * 3 // 4)  # not a dialog of one squeezed line
        else:
            self.image.setMinimumSize(0, 0)
            self.image.setPixmap(pix.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio,
                                            Qt.TransformationMode.SmoothTransformation))
        self.info.setText(
            f"<b>{escape(rec.original_name)}</b><br>{rec.width} × {rec.height} pixels, {rec.size_bytes / 1024:.1f} KB<br>"
            f"Class: <b>{escape(class_words(names.get(rec.class_id)))}</b> &nbsp; Split: {SPLIT_NAMES.get(rec.split, rec.split)}<br>"
            f"<small>Imported from {escape(str(rec.source_path))}</small>")
        self.adjustSize()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt name
        from .gallery_view import LABEL_KEYS

        g = self.gallery
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if g is None or mods != Qt.KeyboardModifier.NoModifier:
            return super().keyPressEvent(event)
        key = event.key()
        if key in LABEL_KEYS or key == Qt.Key.Key_Backspace:
            if self._shown_row("nothing was labelled") is None:
                return
            self._select(self.image_id)  # the picture shown is the one labelled, whatever the gallery had selected
            g.keyPressEvent(QKeyEvent(event.type(), key, event.modifiers(), event.text()))
            self._follow()
        elif key == Qt.Key.Key_Delete:
            self._trash_shown()
        else:
            super().keyPressEvent(event)

    def _trash_shown(self) -> None:
        """Delete: the picture shown goes to the trash (the gallery's Delete, one undoable step); the next one is
        shown, or the one before at the end; the preview closes when none is left. A project open for viewing only
        says why in the status bar, as the gallery's Delete does, and the picture stays shown."""
        why = refused(self.gallery.session.project, TRASH)
        if why:
            self.gallery.say(why)
            return
        model = self.gallery.model()
        if model.filter.trashed:  # the trash view: the gallery says why Delete does nothing
            return self.gallery.keyPressEvent(QKeyEvent(QKeyEvent.Type.KeyPress, Qt.Key.Key_Delete,
                                                        Qt.KeyboardModifier.NoModifier))
        row = self._shown_row("nothing was moved to the trash")
        if row is None:
            return
        after = [model.image_id(r) for r in (row + 1, row - 1) if 0 <= r < model.rowCount()]
        after = [i for i in after if i >= 0]
        self.gallery.delete_requested.emit([self.image_id])
        if model.row_of(self.image_id) is not None:  # refused (the folder went read-only meanwhile): it stays shown
            return
        if after:
            self._select(after[0])
        self._follow()

    def _shown_row(self, not_done: str) -> int | None:
        """The gallery's row of the picture shown; None, said in one sentence, when another program trashed or
        deleted it (the gallery is read again) or the gallery no longer shows it: a key must then act on nothing,
        never on the pictures the gallery has selected."""
        if self.gallery.refuse_gone([self.image_id], not_done):
            return None
        row = self.gallery.model().row_of(self.image_id)
        if row is None:
            self.gallery.say(NOT_IN_GALLERY.format(not_done=not_done))
        return row

    def _select(self, image_id: int) -> None:
        row = self.gallery.model().row_of(image_id)
        if row is not None:
            idx = self.gallery.model().index(row)
            self.gallery.selectionModel().setCurrentIndex(idx, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.gallery.scrollTo(idx)

    def _step(self, by: int) -> None:
        model = self.gallery.model()
        row = model.row_of(self.image_id)
        target = (row + by) if row is not None else 0
        while 0 <= target < model.rowCount() and model.image_id(target) < 0:  # a camera picture not imported yet
            target += by
        if 0 <= target < model.rowCount():
            self._select(model.image_id(target))
            self._follow()

    def _follow(self) -> None:
        """Show the gallery's current picture (after a step, or after labelling moved on); close when none."""
        current = self.gallery.currentIndex()
        image_id = self.gallery.model().image_id(current.row()) if current.isValid() else -1
        try:
            if image_id >= 0:
                self.show_image(image_id)
                return
        except ProjectError:
            pass
        self.accept()
