"""The Evaluate page's thumbnails: a mistake's row and a cell's picture get a grey placeholder at once (full size, so
the layout does not change when the picture comes), then the project's thumbnail, loaded in the
:class:`~cnnstudio.ui.data.thumbnails.ThumbnailLoader`'s threads."""

from __future__ import annotations

from PySide6.QtGui import QColor, QIcon, QImage, QPixmap
from PySide6.QtWidgets import QWidget

from ..data.thumbnails import ThumbnailLoader
from ..picture_image import for_screen, screen_ratio


class ItemThumbs:
    def __init__(self, session, side: int, widget: QWidget):
        """``side``: the thumbnails' side; ``widget``: whose screen they are drawn for (and their loader's parent)."""
        self.session, self.side, self.widget = session, side, widget
        self.loader = ThumbnailLoader(session.project, threads=2, parent=widget)
        self.loader.loaded.connect(self._loaded)
        self.items: dict[int, list] = {}  # image id -> the list or table items waiting for its picture
        self._placeholder: QIcon | None = None

    def request(self, image_id: int, item) -> None:
        """Show ``image_id``'s thumbnail in ``item`` (a QListWidgetItem or QTableWidgetItem) when it is loaded."""
        from ...project import ProjectError

        if self._placeholder is None:
            blank = QPixmap(self.side, self.side)
            blank.fill(QColor(128, 128, 128, 40))
            self._placeholder = QIcon(blank)
        item.setIcon(self._placeholder)
        self.items.setdefault(image_id, []).append(item)
        try:
            rec = self.session.project.image(image_id)
        except ProjectError:
            return  # deleted since: no picture
        self.loader.request(image_id, rec.sha256, self.session.project.root / rec.file)

    def keep_only(self, ids) -> None:
        """Forget the items of every picture but ``ids`` (their list was refilled)."""
        self.items = {i: v for i, v in self.items.items() if i in ids}

    def _loaded(self, image_id: int, image: QImage) -> None:
        items = self.items.get(image_id)
        if not items:
            return
        # a 200 % screen: the thumbnail with its pixels (picture_image.for_screen), not enlarged when drawn
        icon = QIcon(QPixmap.fromImage(for_screen(image, self.side, self.side, screen_ratio(self.widget))))
        for item in items:
            try:
                item.setIcon(icon)
            except RuntimeError:  # the list was refilled meanwhile
                pass

    def close(self) -> None:
        self.loader.close()
