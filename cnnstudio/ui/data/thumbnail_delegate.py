"""The gallery's thumbnail tile (:class:`ThumbnailDelegate`): the picture scaled to the tile, its name and class
under it, the split's badge in its corner, and a placeholder while the thumbnail loads."""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPixmap, QStaticText, QTransform
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ...project.split_style import SPLIT_BADGES, split_color
from ...project.names import NO_CLASS
from ..colour_rules import text_on
from ..keyboard import draw_focus_frame
from ..picture_image import device_size
from .gallery_model import GalleryModel
from .grid import tile_size
from .thumbnails import fits


class ThumbnailDelegate(QStyledItemDelegate):
    """Paints a thumbnail, its class as a coloured strip with the class name, its split as a corner badge (when
    every split is shown), and the selection.

    Scrolling repaints every visible tile each step, so a tile costs only what changes: thumbnails are scaled
    once per size (``_scaled``), names are laid out once (``QStaticText``), the viewport's own background is
    not painted again, and fills are opaque (blending costs ~8x an opaque fill in the raster engine). On a screen
    that scales (200 %) a thumbnail has the screen's pixels and is drawn at its device pixel ratio (:meth:`fit_loader`).
    """

    SCALED_CACHE = 400  # scaled thumbnails kept: more than a screenful at the smallest size

    def __init__(self, model: GalleryModel, parent=None):
        super().__init__(parent)
        self.model = model
        self.size = 128
        self.cell = QSize(*tile_size(128))  # the grid's cell (the view sets it): an item fills its cell
        self._scaled: OrderedDict[int, QPixmap] = OrderedDict()
        self._texts: dict[tuple[str, int, bool], QStaticText] = {}
        self._placeholder: tuple[int, QColor] = (-1, QColor())
        self._badges = {split: (QColor(split_color(split)), QColor(text_on(split_color(split))),
                                QStaticText(word))
                        for split, word in SPLIT_BADGES.items()}

    def set_size(self, size: int) -> None:
        self.size = size
        self._scaled.clear()

    def sizeHint(self, option, index) -> QSize:
        return self.cell

    def tile_rect(self, cell: QRect) -> QRect:
        """The tile inside its grid cell: the thumbnail's width plus a border, centred (the cell's extra width
        is the gap spread between the columns)."""
        w = min(cell.width() - 6, self.size + 10)
        return QRect(cell.left() + (cell.width() - w) // 2, cell.top() + 3, w, cell.height() - 6)

    def image_size(self) -> QSize:
        """The picture's box in a tile (the loader scales thumbnails to fit it, off the GUI thread)."""
        return QSize(self.size + 4, self.size + 1)

    def fit_loader(self, ratio: float) -> None:
        """Have the loader scale thumbnails to the picture's box on a screen of device pixel ratio ``ratio`` (a
        200 % screen: twice the pixels each way, drawn sharp), and tag them with it."""
        loader, box = self.model.loader, self.image_size()
        loader.ratio = ratio
        loader.fit = device_size(box.width(), box.height(), ratio)

    def _scaled_thumbnail(self, row: int, size: QSize, ratio: float) -> QPixmap | None:
        """Row ``row``'s thumbnail to fit ``size`` logical pixels on a screen of device pixel ratio ``ratio``."""
        pix = self.model.thumbnail(row)
        if pix is None or pix.isNull():
            return None
        box = device_size(size.width(), size.height(), ratio)
        if pix.devicePixelRatio() == ratio and fits(pix.width(), pix.height(), box):
            return pix  # scaled by the loader already
        iid = self.model.image_id(row)
        scaled = self._scaled.get(iid)
        if scaled is None or scaled.devicePixelRatio() != ratio:
            scaled = pix.scaled(*box, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
            scaled.setDevicePixelRatio(ratio)
            self._scaled[iid] = scaled
            if len(self._scaled) > self.SCALED_CACHE:
                self._scaled.popitem(last=False)
        return scaled

    def _text(self, painter: QPainter, text: str, width: int, italic: bool) -> QStaticText:
        key = (text, width, italic)
        st = self._texts.get(key)
        if st is None:
            if len(self._texts) > 2000:
                self._texts.clear()
            st = QStaticText(painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, width))
            st.setTextFormat(Qt.TextFormat.PlainText)
            st.prepare(QTransform(), painter.font())
            self._texts[key] = st
        return st

    def _placeholder_color(self, base: QColor) -> QColor:
        """An opaque grey a little darker than the background (what a 16 % grey over it would look like)."""
        rgb = base.rgb()
        if self._placeholder[0] != rgb:
            mix = lambda c: round(c * 0.84 + 128 * 0.16)  # noqa: E731
            self._placeholder = (rgb, QColor(mix(base.red()), mix(base.green()), mix(base.blue())))
        return self._placeholder[1]

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        row = index.row()
        r = self.tile_rect(option.rect)
        state = option.state
        pal = option.palette
        painter.save()
        if state & QStyle.StateFlag.State_Selected:  # otherwise the viewport has painted the background already
            painter.fillRect(r, pal.color(QPalette.ColorRole.Highlight))
        img_rect = QRect(r.left() + 3, r.top() + 3, r.width() - 6, r.height() - 27)
        ratio = painter.device().devicePixelRatioF()
        if ratio != self.model.loader.ratio:  # the window went to a screen of another scale
            self.fit_loader(ratio)
        pix = self._scaled_thumbnail(row, img_rect.size(), ratio)
        if pix is not None:
            shown = pix.deviceIndependentSize().toSize()  # its logical size: drawn with every device pixel
            painter.drawPixmap(img_rect.left() + (img_rect.width() - shown.width()) // 2,
                               img_rect.top() + (img_rect.height() - shown.height()) // 2, pix)
        else:
            painter.fillRect(img_rect, self._placeholder_color(pal.color(QPalette.ColorRole.Base)))
        split = self.model.split_badge(row)
        if split is not None:
            self._paint_badge(painter, img_rect, split)
        strip = QRect(r.left(), r.bottom() - 21, r.width(), 22)
        name, color = self.model.label_style(row)
        if color is not None:
            painter.fillRect(strip, color)
            painter.setPen(QColor(text_on(color.name())))
        else:
            name = NO_CLASS.lower()  # the class list's row, in grey italics: "no class"
            painter.setPen(pal.color(QPalette.ColorRole.PlaceholderText))
            f = QFont(painter.font())
            f.setItalic(True)
            painter.setFont(f)
        st = self._text(painter, name, strip.width() - 8, color is None)
        ts = st.size()
        painter.drawStaticText(strip.left() + int(strip.width() - ts.width()) // 2,
                               strip.top() + int(strip.height() - ts.height()) // 2, st)
        if state & QStyle.StateFlag.State_HasFocus:  # the app's one focus frame (2 px, 3:1 on the selection too)
            draw_focus_frame(painter, r, option.widget)
        painter.restore()

    def badge_rect(self, img_rect: QRect, split: str) -> QRect:
        ts = self._badges[split][2].size()
        return QRect(img_rect.left() + 2, img_rect.top() + 2, int(ts.width()) + 8, int(ts.height()) + 2)

    def _paint_badge(self, painter: QPainter, img_rect: QRect, split: str) -> None:
        fill, ink, st = self._badges[split]
        if st.size().isEmpty():
            st.prepare(QTransform(), painter.font())
        b = self.badge_rect(img_rect, split)
        painter.fillRect(b, fill)
        painter.setPen(ink)
        painter.drawStaticText(b.left() + 4, b.top() + 1, st)
