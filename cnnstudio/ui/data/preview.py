"""A large preview of one image with its file name, size, class and split."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout

from ..session import ProjectSession


class PreviewDialog(QDialog):
    def __init__(self, session: ProjectSession, image_id: int, parent=None):
        super().__init__(parent)
        rec = session.project.image(image_id)
        names = {c.id: c.name for c in session.project.classes()}
        self.setWindowTitle(rec.original_name)
        pix = QPixmap(str(session.project.root / rec.file))
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if not pix.isNull():
            target = 512 if max(pix.width(), pix.height()) < 512 else 720
            self.image.setPixmap(pix.scaled(target, target, Qt.AspectRatioMode.KeepAspectRatio,
                                            Qt.TransformationMode.SmoothTransformation))
        else:
            self.image.setText("(this image cannot be shown)")
        self.info = QLabel(
            f"<b>{rec.original_name}</b><br>{rec.width} × {rec.height} pixels, {rec.size_bytes / 1024:.1f} KB<br>"
            f"Class: <b>{names.get(rec.class_id, 'unlabelled')}</b> &nbsp; Split: {rec.split or 'not assigned'}<br>"
            f"<small>Imported from {rec.source_path}</small>")
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay = QVBoxLayout(self)
        lay.addWidget(self.image, 1)
        lay.addWidget(self.info)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        lay.addWidget(buttons)
