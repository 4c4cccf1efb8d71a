"""Drag and drop of files and folders, shared by the main window and the gallery.

``DropMixin`` widgets accept a drag only if at least one dropped path can hold images (an image
file, or a folder with images inside); a drop of text files or of a folder of non-images is refused
visibly (the drag shows "not allowed" and the status bar says why).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent

from .data.import_flow import sort_drop


class DropMixin:
    """Mix into a QWidget; set ``self.on_paths_dropped(accepted, rejected)`` and ``self.on_drop_refused(text)``."""

    on_paths_dropped = None
    on_drop_refused = None

    def _drop_paths(self, event) -> tuple[list[Path], list[dict]]:
        md = event.mimeData()
        if not md.hasUrls():
            return [], []
        return sort_drop(md.urls())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt name
        accepted, rejected = self._drop_paths(event)
        if accepted:
            event.acceptProposedAction()
        else:
            event.ignore()
            if rejected and self.on_drop_refused:
                self.on_drop_refused("Cannot import: " + "; ".join(f"{Path(r['path']).name}: {r['reason']}"
                                                                   for r in rejected[:3]))

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        accepted, rejected = self._drop_paths(event)
        if not accepted:
            event.ignore()
            if self.on_drop_refused:
                self.on_drop_refused("Nothing to import: " + "; ".join(
                    f"{Path(r['path']).name}: {r['reason']}" for r in rejected[:3]))
            return
        event.acceptProposedAction()
        if self.on_paths_dropped:
            self.on_paths_dropped(accepted, rejected)
