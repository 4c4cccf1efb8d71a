"""A large preview of one image with its file name, size, class and split.

Opened from the gallery (Enter, Space or a double-click), it walks the gallery too: ← and → show the previous and
next picture, and the gallery's labelling keys (1-9, 0, Backspace) label the picture shown and move on, as they do
in the gallery itself (the key goes to the gallery, so there is one rule: :meth:`.gallery_view.GalleryList.keyPressEvent`).
Opened from elsewhere (the Evaluate page's mistakes) it shows one picture. The picture is scaled to fit the screen
the dialog is on, so its words and the Close button stay in view on a small laptop. It shows what the model sees,
read as CNN Studio reads it (:func:`~cnnstudio.ui.picture_image.picture_image`: upright, transparency on white, AVIF,
a 75-megapixel photo); a file that cannot be read gets its one sentence where the picture would be.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QKeyEvent, QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout

from ...project import ProjectError
from ...project.imaging import ImageRejected
from ..picture_image import cannot_show, picture_image
from ..session import ProjectSession

ROOM_FOR_WORDS = 230  # px of the screen's height kept for the title bar, the picture's details and Close
NAVIGATION_KEYS = (Qt.Key.Key_Left, Qt.Key.Key_Right)


def picture_side(picture: int, screen_height: int | None) -> int:
    """The longer side a picture is shown at: small pictures at 512 px, larger ones at 720 px, never more than
    the screen leaves once :data:`ROOM_FOR_WORDS` is kept (and never less than 200 px)."""
    side = 512 if picture < 512 else 720
    if screen_height:
        side = min(side, max(200, screen_height - ROOM_FOR_WORDS))
    return side


class PreviewDialog(QDialog):
    def __init__(self, session: ProjectSession, image_id: int, parent=None, gallery=None):
        super().__init__(parent)
        self.session = session
        self.gallery = gallery  # the GalleryList it walks, or None
        self.image_id = image_id
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setWordWrap(True)  # a picture that cannot be shown: its sentence
        self.info = QLabel()
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.keys = QLabel("← → the previous or next picture · the class's key (1–9) labels this one and moves on")
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
        self.show_image(image_id)

    def show_image(self, image_id: int) -> None:
        """Show picture ``image_id`` (raises ProjectError when it is gone)."""
        project = self.session.project
        rec = project.image(image_id)
        self.image_id = image_id
        names = {c.id: c.name for c in project.classes()}
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
            f"<b>{rec.original_name}</b><br>{rec.width} × {rec.height} pixels, {rec.size_bytes / 1024:.1f} KB<br>"
            f"Class: <b>{names.get(rec.class_id, 'unlabelled')}</b> &nbsp; Split: {rec.split or 'not assigned'}<br>"
            f"<small>Imported from {rec.source_path}</small>")
        self.adjustSize()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt name
        from .gallery_view import LABEL_KEYS

        g = self.gallery
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if g is None or mods != Qt.KeyboardModifier.NoModifier:
            return super().keyPressEvent(event)
        key = event.key()
        if key in NAVIGATION_KEYS:
            self._step(-1 if key == Qt.Key.Key_Left else 1)
        elif key in LABEL_KEYS or key == Qt.Key.Key_Backspace:
            self._select(self.image_id)  # the picture shown is the one labelled, whatever the gallery had selected
            g.keyPressEvent(QKeyEvent(event.type(), key, event.modifiers(), event.text()))
            self._follow()
        else:
            super().keyPressEvent(event)

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
