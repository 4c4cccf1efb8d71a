"""The gallery: thumbnails in a grid, filter bar, size slider, keyboard labelling.

Keys: 0-9 give the selected images the class with that key and move on to the next image (a class named by a
digit has that digit, the others the keys left in list order: project/label_keys.py); 0 (unless a class is named
"0") or Backspace clears the label; Delete moves images to the trash; arrows move; Ctrl+A selects all; the Menu key
or Shift+F10 opens the right-click menu at the current picture;
Enter or double-click opens a large preview. A labelling key says what it did in the window's status bar ("Labelled 3
pictures as 'cat'"); each picture tells a screen reader its class and split (gallery_model, picture_words.py).
The right-click menu labels the selected pictures and moves them to the trash as the keys do (picture_menu.py), and
moves them to a split by hand (split_menu.py: one undoable step).
The split filter's last entry, "Trash (N)", shows the project's trash with its bar (trash_bar.py: Restore,
Ctrl+R; "Empty trash…"); there labelling keys and Delete say why they do nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QRect, QSize, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QKeyEvent
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QComboBox, QHBoxLayout, QLabel, QListView, QSlider,
                               QStyle, QStyleOptionComboBox, QVBoxLayout, QWidget)

from ...project import UNLABELLED, ImageFilter
from ...project.changed_elsewhere import CLASSES, CLASSES_CHANGED_WORDS, gone_pictures, gone_words
from ...project.counting import plural
from ...project.label_keys import CLEAR, class_for_key, no_key_words
from ...project.names import NO_CLASS
from ..drop import DropMixin
from ..picture_image import screen_ratio
from ..session import DeleteImagesCommand, LabelCommand, ProjectSession
from .count_label import CountLabel
from .drop_banner import DropArea, DropBanner
from .gallery_model import GalleryModel, IdRole
from .thumbnail_delegate import ThumbnailDelegate
from .picture_words import SPLIT_NAMES, labelled_words
from .grid import grid_cell
from .picture_menu import PictureMenu
from .split_menu import SplitMenu
from .trash_bar import IN_TRASH_KEYS_WORDS, TRASH, TrashBar, trash_entry
from .writing_controls import ADD_PICTURES, LABEL, TRASH as TRASH_DOING, refused, set_writing

NOTHING_SHOWN = "No picture matches these filters. <a href='all'>Show all pictures</a>"
NO_SELECTION = "Select a picture first, then press a class's number key."  # a labelling key with nothing selected
LABEL_KEYS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(10)}  # what each does: project/label_keys.py


def row_ranges(rows: list[int]) -> list[tuple[int, int]]:
    """``rows`` as runs of neighbours, (first, last) each, in order: [5, 1, 2, 3] -> [(1, 3), (5, 5)]."""
    ranges: list[tuple[int, int]] = []
    for r in sorted(set(rows)):
        if ranges and r == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], r)
        else:
            ranges.append((r, r))
    return ranges


def row_selection(model, rows: list[int]) -> QItemSelection:
    """A selection of ``rows`` of ``model``, one range per run of neighbouring rows."""
    selection = QItemSelection()
    for first, last in row_ranges(rows):
        selection.select(model.index(first), model.index(last))
    return selection


class GalleryList(DropMixin, QListView):
    label_requested = Signal(list, object)  # ids, class id or None
    delete_requested = Signal(list)
    preview_requested = Signal(int)
    drop_refused = Signal(list)  # the files a drag or drop onto the grid refused ({"path", "reason"} each)
    pictures_gone = Signal()  # a label or trash asked for pictures another program trashed or deleted: read again
    #: the window's look for changes another program made (ui/elsewhere_watch.py), before a label: the areas changed
    check_elsewhere = None

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
        # the grid's columns follow the viewport's width: a scroll bar that came and went would change it
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.set_thumbnail_size(128)
        model.thumbnails_arrived.connect(self._repaint_rows)
        model.rowsInserted.connect(self._show_new_pending)
        self.doubleClicked.connect(lambda idx: self.preview_requested.emit(idx.data(IdRole)))

    def _show_new_pending(self, _parent, first: int, last: int) -> None:
        if self.model().image_id(first) < 0:  # pictures coming from the camera: the newest in view
            self.scrollTo(self.model().index(last))

    def set_thumbnail_size(self, size: int) -> None:
        self.delegate.set_size(size)
        self.delegate.fit_loader(screen_ratio(self.viewport()))
        self.verticalScrollBar().setSingleStep(max(20, size // 4))
        self._fit_grid()

    def _fit_grid(self) -> None:
        """Whole columns across the viewport, the spare width shared between them (:func:`.grid.grid_cell`)."""
        _columns, w, h = grid_cell(self.viewport().width(), self.delegate.size)
        if self.gridSize() != QSize(w, h):
            self.delegate.cell = QSize(w, h)
            self.setGridSize(QSize(w, h))

    def _repaint_rows(self, first: int, last: int) -> None:
        """Repaint the band of the viewport from row ``first`` to row ``last`` (whole lines when they span more
        than one), nothing when it is out of view. Cheaper than ``dataChanged``: see gallery_model's doc."""
        model = self.model()
        if last >= model.rowCount():
            return
        top = self.visualRect(model.index(first))
        bottom = self.visualRect(model.index(last))
        vp = self.viewport().rect()
        band = QRect(0, top.top(), vp.width(), bottom.bottom() - top.top() + 1) if top.top() != bottom.top() \
            else top.united(bottom)
        band = band.intersected(vp)
        if not band.isEmpty():
            self.viewport().update(band)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().resizeEvent(event)
        self._fit_grid()

    def refused_here(self, rejected: list[dict]) -> None:
        self.drop_refused.emit(rejected)

    def selected_ids(self) -> list[int]:
        rows = sorted(i.row() for i in self.selectionModel().selectedIndexes())
        return [i for i in (self.model().image_id(r) for r in rows) if i >= 0]  # not pending camera pictures

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        plain = mods == Qt.KeyboardModifier.NoModifier
        if plain and self.model().filter.trashed and (key in LABEL_KEYS or key in (Qt.Key.Key_Backspace,
                                                                                     Qt.Key.Key_Delete)):
            self.say(IN_TRASH_KEYS_WORDS[key == Qt.Key.Key_Delete])  # a picture in the trash: restore it first
            return
        writes = key in LABEL_KEYS or key == Qt.Key.Key_Backspace or key == Qt.Key.Key_Delete
        doing = TRASH_DOING if key == Qt.Key.Key_Delete else LABEL
        why = refused(self.session.project, doing) if plain and writes else ""
        if why:  # a project open for viewing only: a key has no tooltip, so it says why here (writing_controls)
            self.say(why)
            return
        if plain and (key in LABEL_KEYS or key == Qt.Key.Key_Backspace):
            ids = self.selected_ids()  # before the look, which may read the gallery again
            if not self._classes_as_shown():
                return
            classes = self.session.project.classes()
            names = [c.name for c in classes]
            does = class_for_key(names, LABEL_KEYS[key]) if key in LABEL_KEYS else CLEAR
            if does is None:
                self.say(no_key_words(names, LABEL_KEYS[key]))
                return
            self._label_and_advance(None if does == CLEAR else classes[does], ids)
            return
        if key == Qt.Key.Key_Delete and mods == Qt.KeyboardModifier.NoModifier:
            ids = self.selected_ids()
            if ids:
                self.delete_requested.emit(ids)
            return
        if key == Qt.Key.Key_F10 and mods == Qt.KeyboardModifier.ShiftModifier:  # the Menu key's other key
            self.open_menu_at_current()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and self.currentIndex().isValid():
            self.preview_requested.emit(self.currentIndex().data(IdRole))
            return
        super().keyPressEvent(event)

    def open_menu_at_current(self) -> None:
        """The right-click menu at the current picture (the middle of the grid without one), as the Menu key opens it:
        Shift+F10, the same key on a keyboard without a Menu key."""
        self.executeDelayedItemsLayout()  # tiles laid out first: right after an import their places are not there yet
        index = self.currentIndex()
        rect = self.visualRect(index) if index.isValid() else QRect()
        where = rect.center() if rect.intersects(self.viewport().rect()) else self.viewport().rect().center()
        QApplication.sendEvent(self, QContextMenuEvent(QContextMenuEvent.Reason.Keyboard,
                                                       self.viewport().mapTo(self, where),
                                                       self.viewport().mapToGlobal(where)))

    def say(self, text: str) -> None:
        """A sentence in the window's status bar (a gallery shown on its own has none)."""
        status_bar = getattr(self.window(), "statusBar", None)
        if status_bar is not None:
            status_bar().showMessage(text, 4000)

    def label_selected(self, cls) -> None:
        """Give the selected pictures the class ``cls`` (a ClassInfo; None clears it), as its key does (the
        right-click menu's "Label as ▸", picture_menu.py)."""
        ids = self.selected_ids()
        if self._classes_as_shown():
            self._label_and_advance(cls, ids)

    def _classes_as_shown(self) -> bool:
        """Before a label: the window looks for changes another program made (the pages read them again); False,
        said, when the classes changed: a key's class may be another one now."""
        if self.check_elsewhere is not None and CLASSES in self.check_elsewhere():
            self.say(CLASSES_CHANGED_WORDS)
            return False
        return True

    def refuse_gone(self, ids: list[int], not_done: str) -> bool:
        """True, said in one sentence and the gallery read again, when some of ``ids`` were moved to the trash or
        deleted for good by another program (project/changed_elsewhere.gone_pictures): nothing is done to any."""
        gone = gone_pictures(self.session.project, ids, self.model().filter.trashed)
        if not gone:
            return False
        self.pictures_gone.emit()
        self.say(gone_words(len(gone), len(ids), not_done))
        return True

    def _label_and_advance(self, cls, ids: list[int]) -> None:
        """Give pictures ``ids`` (the selected ones) the class ``cls`` (a ClassInfo; None clears it), say so, move on."""
        if not ids:
            self.say(NO_SELECTION)
            return
        if self.refuse_gone(ids, "nothing was labelled"):
            return
        model: GalleryModel = self.model()
        rows = [r for r in (model.row_of(i) for i in ids) if r is not None]
        last_row = max(rows, default=model.rowCount() - 1)
        single = len(ids) == 1
        next_id = model.image_id(last_row + 1) if last_row + 1 < model.rowCount() else None
        class_id = cls.id if cls is not None else None
        # the pictures whose class this changes: the undo step's (session.label), said so that both counts agree
        changing = sum(1 for r in self.session.project.records(ids) if r.class_id != class_id)
        self.label_requested.emit(ids, class_id)
        if all(r.class_id == class_id for r in self.session.project.records(ids)):  # not refused (read-only)
            self.say(labelled_words(changing, cls.name if cls is not None else None, already=len(ids) - changing))
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


class FilterCombo(QComboBox):
    """A filter's drop-down, narrow so that the Data page fits a 1,024-pixel window (a class's long name is shortened
    with "…"), yet as wide as its own ``words`` need ("All classes"), whatever the font."""

    def __init__(self, words: tuple[str, ...], parent=None):
        super().__init__(parent)
        self.words = words
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(5)

    def _words_width(self, height: int) -> int:
        """The least width whose text field shows each of :attr:`words` whole (the label leaves 1 px a side)."""
        opt = QStyleOptionComboBox()
        self.initStyleOption(opt)
        opt.rect = QRect(0, 0, 1000, height)
        field = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt,
                                            QStyle.SubControl.SC_ComboBoxEditField, self)
        text = max(self.fontMetrics().horizontalAdvance(w) for w in self.words)
        return text + 2 + opt.rect.width() - field.width()  # the frame and the arrow around the field

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().sizeHint()
        return QSize(max(hint.width(), self._words_width(hint.height())), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().minimumSizeHint()
        return QSize(max(hint.width(), self._words_width(hint.height())), hint.height())


class GalleryPanel(QWidget):
    """Filter bar + size slider + the grid, and an empty state that says what to do."""

    import_files_requested = Signal()  # the empty state's "Import pictures…": File > Import Images… does it
    import_folder_requested = Signal()  # "Import a folder…": File > Import Folder…

    def __init__(self, session: ProjectSession, parent=None):
        super().__init__(parent)
        self.session = session
        self.model = GalleryModel(session, self)
        self._images: int | None = None  # the project's, counted when the model is reset or rows go
        self._trashed = 0  # the pictures in the project's trash, counted with them
        self.list = GalleryList(self.model, session, self)
        self.list.setAccessibleName("Pictures")  # each picture says its class and split (gallery_model)
        self.class_filter = FilterCombo(("All classes", NO_CLASS))
        self.class_filter.setToolTip("Show only the pictures of one class, or those with no class yet (unlabelled)")
        self.split_filter = FilterCombo(("All splits", trash_entry(99)))
        self.split_filter.setToolTip("Show only pictures of one split, or the pictures in the project's trash")
        for text, value in (("All splits", None), *((SPLIT_NAMES[s], s) for s in ("train", "val", "test")),
                            (SPLIT_NAMES[None], "none"), (trash_entry(0), TRASH)):
            self.split_filter.addItem(text, value)
        self.trash = TrashBar(session, self.list)  # shown with the trash: Restore, "Empty trash…"
        self.addAction(self.trash.restore_action)  # Ctrl+R anywhere in the gallery; both in the pictures' menu
        self.picture_menu = PictureMenu(session, self.list)  # "Label as ▸", "Move to trash": what the keys do
        self.split_menu = SplitMenu(session, self.list)  # "Move to split ▸ Train / Validation / Test"
        self.list.addActions([*self.picture_menu.actions, self.split_menu.action, self.trash.restore_action,
                              self.trash.empty_action])
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.size_slider = QSlider(Qt.Orientation.Horizontal)
        self.size_slider.setRange(64, 256)
        self.size_slider.setValue(128)
        self.size_slider.setMinimumWidth(34)
        self.size_slider.setMaximumWidth(140)
        self.size_slider.setToolTip("Thumbnail size: drag to show the pictures larger or smaller")
        self.size_slider.setAccessibleName("Thumbnail size")
        self.count_label = CountLabel(minimum_width=72)  # "27 of 1,797 pictures" gives way in a narrow window
        self.banner = DropBanner()
        self.empty = DropArea(self.list)  # no picture yet: drop here, or import with its buttons
        self.empty.import_files.clicked.connect(self.import_files_requested)
        self.empty.import_folder.clicked.connect(self.import_folder_requested)
        for button in (self.empty.import_files, self.empty.import_folder):  # off, and why, when viewing only
            set_writing(button, session.project, ADD_PICTURES, True, button.toolTip())
        self.nothing_shown = QLabel(NOTHING_SHOWN)
        self.nothing_shown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.nothing_shown.setStyleSheet("color: palette(placeholder-text); padding: 12px;")
        self.nothing_shown.linkActivated.connect(lambda _link: self.show_all())
        self.nothing_shown.hide()
        self.bar = bar = QHBoxLayout()  # the filters, the count and the size; the Data page adds "Camera…"
        bar.addWidget(self.class_filter)
        bar.addWidget(self.split_filter)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        bar.addSpacing(2)
        bar.addWidget(self.size_slider)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(bar)
        lay.addWidget(self.banner)
        lay.addWidget(self.trash)
        lay.addWidget(self.nothing_shown)
        lay.addWidget(self.list, 1)
        lay.addWidget(self.empty, 1)
        self.size_slider.valueChanged.connect(self.list.set_thumbnail_size)
        self.list.drop_refused.connect(self.banner.show_refused)
        self.empty.refused.connect(self.banner.show_refused)
        session.images_changed.connect(self.banner.hide)  # pictures came in: the last refusal is old news
        self.class_filter.currentIndexChanged.connect(self._apply_filter)
        self.split_filter.currentIndexChanged.connect(self._apply_filter)
        self.model.modelReset.connect(self._update_counts)
        self.model.rowsRemoved.connect(self._update_counts)
        self.model.rowsInserted.connect(lambda *_a: self._update_counts(recount=False))  # camera pictures coming
        session.classes_changed.connect(self._fill_class_filter)
        self._undo_index = session.undo_stack.index()
        session.undo_stack.indexChanged.connect(self._reselect_undone)
        self._fill_class_filter()
        self._update_counts()

    def _reselect_undone(self, index: int) -> None:
        """After Ctrl+Z of a label, its pictures that the filters show are selected again, so that undo followed by
        the right number key labels them; after Ctrl+Z of a Delete, the pictures it brought back."""
        before, self._undo_index = self._undo_index, index
        step = self.session.undo_stack.command(index) if index == before - 1 else None
        rows = [r for r in (self.model.row_of(i) for i in step.ids) if r is not None] if isinstance(
            step, (LabelCommand, DeleteImagesCommand)) else []
        if rows:
            self._select_rows(rows)

    def _fill_class_filter(self) -> None:
        current = self.class_filter.currentData()
        self.class_filter.blockSignals(True)
        self.class_filter.clear()
        self.class_filter.addItem("All classes", None)
        self.class_filter.addItem(NO_CLASS, UNLABELLED)
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
        self._select_rows([r for r in (self.model.row_of(i) for i in ids) if r is not None])

    def _select_rows(self, rows: list[int]) -> None:
        """Select exactly ``rows`` in one step: one selection change, so the menus look at the selection once
        (row by row, each change made them read the whole selection: 3,000 rows froze the window for half a
        minute)."""
        sel = self.list.selectionModel()
        sel.select(row_selection(self.model, rows), QItemSelectionModel.SelectionFlag.ClearAndSelect)
        if rows:
            sel.setCurrentIndex(self.model.index(rows[0]), QItemSelectionModel.SelectionFlag.NoUpdate)
            self.list.scrollTo(self.model.index(rows[0]))

    def show_class(self, class_id: int | None) -> None:
        self.class_filter.setCurrentIndex(max(0, self.class_filter.findData(class_id)))

    def show_all(self) -> None:
        """Both filters back to everything (the link under filters that match no picture)."""
        self.class_filter.setCurrentIndex(0)
        self.split_filter.setCurrentIndex(0)

    def _apply_filter(self) -> None:
        split = self.split_filter.currentData()
        trashed = split == TRASH
        self.trash.setVisible(trashed)
        self.model.set_filter(ImageFilter(class_id=self.class_filter.currentData(),
                                          split=None if trashed else split, trashed=trashed))
        self.trash.update_buttons()
        self.split_menu.update()  # hidden in the trash
        self.picture_menu.update()

    def _update_counts(self, *args, recount: bool = True) -> None:
        if recount or self._images is None:
            self._images = self.session.project.count()
            self._trashed = self.session.project.count(ImageFilter(trashed=True))
            self.split_filter.setItemText(self.split_filter.findData(TRASH), trash_entry(self._trashed))
        n = self.model.rowCount()
        if self.model.filter.trashed:  # "3 of 12 trashed": the pictures shown, of the trash's
            total = self._trashed
            numbers = f"{n:,} of {total:,}" if n != total else f"{total:,}"
            self.count_label.set_count(f"{numbers} trashed", numbers)
        else:
            total = self._images + self.model.pending_count()
            numbers = f"{n:,} of {total:,}" if n != total else f"{total:,}"
            self.count_label.set_count(f"{numbers} {plural(total, 'picture')}", numbers)
        self.empty.setVisible(total == 0 and not self.model.filter.trashed)
        self.list.setVisible(total > 0 or self.model.filter.trashed)
        self.nothing_shown.setText(self.trash.nothing_words(total) if self.model.filter.trashed else NOTHING_SHOWN)
        self.nothing_shown.setVisible((total > 0 or self.model.filter.trashed) and n == 0)  # none in the filters
