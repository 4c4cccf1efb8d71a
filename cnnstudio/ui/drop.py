"""Drag and drop of files and folders, shared by the main window, the gallery and the Predict page.

``DropMixin`` widgets accept a drag only if at least one dropped path can hold images (an image
file, or a folder with images inside); a drop of text files or of a folder of non-images is refused
visibly: the drag shows "not allowed", ``on_drop_refused(text)`` is told why (the window's status bar),
and :meth:`DropMixin.refused_here` lets the widget itself show the refused files where the user looked.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent

from .data.import_flow import sort_drop


def refused_words(rejected: list[dict], shown: int = 3) -> str:
    """"notes.txt: not an image file; docs: the folder holds no images" (the first few)."""
    return "; ".join(f"{Path(r['path']).name}: {r['reason']}" for r in rejected[:shown])


class DropMixin:
    """Mix into a QWidget; set ``self.on_paths_dropped(accepted, rejected)`` and ``self.on_drop_refused(text)``."""

    on_paths_dropped = None
    on_drop_refused = None

    def refused_here(self, rejected: list[dict]) -> None:
        """Show the refused files (``{"path", "reason"}`` each) in the widget itself; by default nothing."""

    def _refuse(self, prefix: str, rejected: list[dict]) -> None:
        self.refused_here(rejected)
        if self.on_drop_refused:
            self.on_drop_refused(prefix + refused_words(rejected))

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
            if rejected:
                self._refuse("Cannot import: ", rejected)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        accepted, rejected = self._drop_paths(event)
        if not accepted:
            event.ignore()
            self._refuse("Nothing to import: ", rejected)
            return
        event.acceptProposedAction()
        if self.on_paths_dropped:
            self.on_paths_dropped(accepted, rejected)
