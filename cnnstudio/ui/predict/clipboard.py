"""What Paste (Ctrl+V) on the Predict page predicts: the picture files on the clipboard, or a picture on it, written
to a file of its own outside the project (:class:`.pasted.PastedPictures`); or one sentence saying why nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from .pasted import PastedPictures

NO_PICTURE = "The clipboard holds no picture."
NOT_SAVED = "The pasted picture could not be saved to a temporary file."


def clipboard_pictures(pasted: PastedPictures) -> tuple[list[Path], str] | None:
    """``(paths, "")`` to predict, or ``([], sentence)`` when the clipboard has nothing to predict; None when the
    clipboard cannot be read at all."""
    md = QApplication.clipboard().mimeData()
    if md is None:
        return None
    if md.hasUrls():
        paths = [Path(u.toLocalFile()) for u in md.urls() if u.isLocalFile()]
        if paths:
            return paths, ""
    if md.hasImage():
        image = QApplication.clipboard().image()
        if not image.isNull():
            path = pasted.new_path()
            if not image.save(str(path), "PNG"):
                return [], NOT_SAVED
            return [path], ""
    return [], NO_PICTURE
