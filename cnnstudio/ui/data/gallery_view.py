"""The gallery: thumbnails in a grid, filter bar, size slider, keyboard labelling.

Keys: 1-9 give the selected images the class at that position and move on to the next image;
0 or Backspace clears the label; Delete moves images to the trash; arrows move; Ctrl+A selects all;
Enter or double-click opens a large preview.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QLabel, QListView, QSlider,
                               QStyle, QStyledItemDelegate, QStyleOptionViewItem, QVBoxLayout, QWidget)

from ...project import UNLABELLED, ImageFilter
from ..session import ProjectSession
from .gallery_model import ClassColorRole, ClassNameRole, GalleryModel, IdRole

LABEL_KEYS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(1, 10)}


class ThumbnailDelegate(QStyledItemDelegate):
    """Paints a thumbnail, its class as a coloured strip with the class name, and the selection."""

    def __init__(self, model: GalleryModel, parent=None):
        super().__init__(parent)
        self.model = model
        self.size = 128

    def sizeHint(self, option, index) -> QSize:
        return QSize(self.size + 12, self.size + 30)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        painter.save()
        r = option.rect.adjusted(3, 3, -3, -3)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        pal = option.palette
        painter.fillRect(r, pal.color(QPalette.ColorRole.Highlight) if selected else pal.color(QPalette.ColorRole.Base))
        pix = self.model.thumbnail(index.row())
        img_rect = QRect(r.left() + 3, r.top() + 3, r.width() - 6, r.height() - 27)
        if pix is not None and not pix.isNull():
            scaled = pix.scaled(img_rect.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                Qt.TransformationMode.SmoothTransformation if self.size > 128
                                else Qt.TransformationMode.FastTransformation)
            x = img_rect.left() + (img_rect.width() - scaled.width()) // 2
            y = img_rect.top() + (img_rect.height() - scaled.height()) // 2
            painter.drawPixmap(x, y, scaled)
        else:
            painter.fillRect(img_rect, QColor(128, 128, 128, 40))
        strip = QRect(r.left(), r.bottom() - 21, r.width(), 22)
        color = index.data(ClassColorRole)
        name = index.data(ClassNameRole) or "unlabelled"
        if color is not None:
            painter.fillRect(strip, color)
            painter.setPen(QColor("black") if color.lightness() > 140 else QColor("white"))
        else:
            painter.setPen(pal.color(QPalette.ColorRole.PlaceholderText))
            f = QFont(painter.font())
            f.setItalic(True)
            painter.setFont(f)
        text = painter.fontMetrics().elidedText(name, Qt.TextElideMode.ElideRight, strip.width() - 8)
        painter.drawText(strip, Qt.AlignmentFlag.AlignCenter, text)
        if option.state & QStyle.StateFlag.State_HasFocus:
            painter.setPen(pal.color(QPalette.ColorRole.Highlight).darker(150))
            painter.drawRect(r.adjusted(0, 0, -1, -1))
        painter.restore()


class GalleryList(QListView):
    label_requested = Signal(list, object)  # ids, class id or None
    delete_requested = Signal(list)
    preview_requested = Signal(int)

    def __init__(self, model: GalleryModel, session: ProjectSession, parent=None):
        super().__init__(parent)
        self.session = session
        self.setModel(model)
        self.delegate = ThumbnailDelegate(model, self)
        self.setItemDelegate(self.delegate)
        # List mode + wrapping + uniform sizes lays out 100,000 items arithmetically (icon mode keeps a
        # position per item and lays them out one by one).
        self.setViewMode(QListView.ViewMode.ListMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSpacing(2)
        self.set_thumbnail_size(128)
        self.doubleClicked.connect(lambda idx: self.preview_requested.emit(idx.data(IdRole)))

    def set_thumbnail_size(self, size: int) -> None:
        self.delegate.size = size
        self.setGridSize(QSize(size + 16, size + 34))
        self.verticalScrollBar().setSingleStep(max(20, size // 4))
        self.doItemsLayout()

    def selected_ids(self) -> list[int]:
        rows = sorted(i.row() for i in self.selectionModel().selectedIndexes())
        return [self.model().image_id(r) for r in rows]

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if mods == Qt.KeyboardModifier.NoModifier and (key in LABEL_KEYS or key in (Qt.Key.Key_0, Qt.Key.Key_Backspace)):
            classes = self.session.project.classes()
            if key in LABEL_KEYS:
                pos = LABEL_KEYS[key] - 1
                if pos >= len(classes):
                    self.window().statusBar().showMessage(
                        f"There is no class {pos + 1}: add classes in the panel on the left", 4000)
                    return
                class_id = classes[pos].id
            else:
                class_id = None
            self._label_and_advance(class_id)
            return
        if key == Qt.Key.Key_Delete and mods == Qt.KeyboardModifier.NoModifier:
            ids = self.selected_ids()
            if ids:
                self.delete_requested.emit(ids)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and self.currentIndex().isValid():
            self.preview_requested.emit(self.currentIndex().data(IdRole))
            return
        super().keyPressEvent(event)

    def _label_and_advance(self, class_id: int | None) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        model: GalleryModel = self.model()
        last_row = max(model.row_of(i) for i in ids)
        single = len(ids) == 1
        next_id = model.image_id(last_row + 1) if last_row + 1 < model.rowCount() else None
        self.label_requested.emit(ids, class_id)
        if not single:
            return
        # move on: the next image, wherever it is now (the labelled one may have left the filter)
        target = model.row_of(next_id) if next_id is not None else None
        if target is None:
            target = min(last_row, model.rowCount() - 1)
        if target is not None and target >= 0:
            idx = model.index(target)
            self.selectionModel().setCurrentIndex(idx, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.scrollTo(idx)


class GalleryPanel(QWidget):
    """Filter bar + size slider + the grid, and an empty state that says what to do."""

    def __init__(self, session: ProjectSession, parent=None):
        super().__init__(parent)
        self.session = session
        self.model = GalleryModel(session, self)
        self.list = GalleryList(self.model, session, self)
        self.class_filter = QComboBox()
        self.class_filter.setToolTip("Show only images of one class, or only unlabelled ones")
        self.split_filter = QComboBox()
        self.split_filter.setToolTip("Show only images of one split")
        for text, value in (("All splits", None), ("Train", "train"), ("Validation", "val"), ("Test", "test"),
                            ("No split", "none")):
            self.split_filter.addItem(text, value)
        self.size_slider = QSlider(Qt.Orientation.Horizontal)
        self.size_slider.setRange(64, 256)
        self.size_slider.setValue(128)
        self.size_slider.setFixedWidth(140)
        self.size_slider.setToolTip("Thumbnail size")
        self.count_label = QLabel()
        self.empty = QLabel("Drop pictures or folders here\n\n(or use File > Import)")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("font-size: 18px; color: palette(placeholder-text);"
                                 " border: 2px dashed palette(mid); border-radius: 12px; padding: 40px;")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Show:"))
        bar.addWidget(self.class_filter)
        bar.addWidget(self.split_filter)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        bar.addSpacing(12)
        bar.addWidget(QLabel("Size"))
        bar.addWidget(self.size_slider)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(bar)
        lay.addWidget(self.list, 1)
        lay.addWidget(self.empty, 1)
        self.size_slider.valueChanged.connect(self.list.set_thumbnail_size)
        self.class_filter.currentIndexChanged.connect(self._apply_filter)
        self.split_filter.currentIndexChanged.connect(self._apply_filter)
        self.model.modelReset.connect(self._update_counts)
        self.model.rowsRemoved.connect(self._update_counts)
        session.classes_changed.connect(self._fill_class_filter)
        self._fill_class_filter()
        self._update_counts()

    def _fill_class_filter(self) -> None:
        current = self.class_filter.currentData()
        self.class_filter.blockSignals(True)
        self.class_filter.clear()
        self.class_filter.addItem("All classes", None)
        self.class_filter.addItem("Unlabelled", UNLABELLED)
        for c in self.session.project.classes():
            self.class_filter.addItem(c.name, c.id)
        i = self.class_filter.findData(current)
        self.class_filter.setCurrentIndex(max(0, i))
        self.class_filter.blockSignals(False)

    def select_images(self, ids: list[int]) -> None:
        """Select these pictures (showing every class and split when a filter hides one) and scroll to them."""
        if any(self.model.row_of(i) is None for i in ids):
            self.class_filter.setCurrentIndex(0)
            self.split_filter.setCurrentIndex(0)
        sel = self.list.selectionModel()
        sel.clearSelection()
        rows = [r for r in (self.model.row_of(i) for i in ids) if r is not None]
        for r in rows:
            sel.select(self.model.index(r), QItemSelectionModel.SelectionFlag.Select)
        if rows:
            sel.setCurrentIndex(self.model.index(rows[0]), QItemSelectionModel.SelectionFlag.NoUpdate)
            self.list.scrollTo(self.model.index(rows[0]))

    def show_class(self, class_id: int | None) -> None:
        self.class_filter.setCurrentIndex(max(0, self.class_filter.findData(class_id)))

    def _apply_filter(self) -> None:
        self.model.set_filter(ImageFilter(class_id=self.class_filter.currentData(),
                                          split=self.split_filter.currentData()))

    def _update_counts(self, *args) -> None:
        n = self.model.rowCount()
        total = self.session.project.count()
        self.count_label.setText(f"{n:,} of {total:,} images" if n != total else f"{total:,} images")
        self.empty.setVisible(total == 0)
        self.list.setVisible(total > 0)
