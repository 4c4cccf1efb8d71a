"""The gallery's Qt model: a list of image ids, records fetched in blocks, thumbnails fetched lazily.

With 100,000 images the model holds 100,000 ints; records are read 256 at a time only for rows the
view asks about, and thumbnails only for rows that are painted.

A thumbnail that arrives is announced by ``thumbnails_arrived(first_row, last_row)``, not ``dataChanged``: on a
wrapping QListView over 100,000 rows a ``dataChanged`` of any range costs ~10 ms of the GUI thread (Qt relays
out the view; a bare QListView over a QStringListModel shows the same, against 0.7 ms for repainting the
viewport), and while scrolling thumbnails arrive on nearly every event-loop turn. The gallery's view repaints
the rows' rectangles instead.

Pictures on their way in (a camera burst being recorded, or let go and being imported: :class:`PendingPictures`
in ``ui/camera/rules.py``) are rows after the project's, with thumbnails made from the frames in memory; they
cannot be selected, and when their burst is settled its imported rows take their place (the thumbnails handed
over by file path, so nothing flickers).

The model derives from QStringListModel (one short string per row) instead of implementing
``rowCount`` in Python: QListView's wrapping layout asks ``rowCount`` once per row on every scroll
step, and 100,000 calls into Python per step cost ~130 ms; the C++ ``rowCount`` costs nothing.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QPixmap

from ...project import ImageFilter, ImageRecord
from ..camera.rules import PendingPicture, PendingPictures
from ..session import ProjectSession
from .picture_words import SPLIT_NAMES, class_words, coming_words, picture_words
from .thumbnails import ThumbnailLoader

BLOCK = 256
PIXMAP_CACHE = 3000
HANDOVER = 300  # thumbnails of settled pending pictures kept for their imported rows
PENDING_BOX = (256, 256)  # a pending thumbnail's size before the gallery says its tiles' size
PENDING_EVERY_S = 0.1  # pending rows come in at most this often: an insert relays out a 100,000-row view (~12 ms)
DRAIN_BUDGET_S = 0.006  # per event-loop turn, for turning arrived thumbnails into pixmaps
IdRole = Qt.ItemDataRole.UserRole + 1
ClassColorRole = Qt.ItemDataRole.UserRole + 2
ClassNameRole = Qt.ItemDataRole.UserRole + 3
RecordRole = Qt.ItemDataRole.UserRole + 4


class GalleryModel(QStringListModel):
    thumbnails_arrived = Signal(int, int)  # first and last row whose thumbnail is now there (see the module doc)

    def __init__(self, session: ProjectSession, parent=None):
        super().__init__(parent)
        self.session = session
        self.project = session.project
        self.filter = ImageFilter()
        self._ids: list[int] = []
        self._row_of: dict[int, int] = {}
        self._records: dict[int, ImageRecord] = {}
        self._pixmaps: OrderedDict[int, QPixmap] = OrderedDict()
        self._requested: set[int] = set()
        self._classes: dict[int, tuple[str, QColor]] = {}
        self._class_ids: dict[str, int] = {}  # casefolded name -> id, for pending pictures
        self.pending: PendingPictures | None = None
        self._pending: list[PendingPicture] = []  # the pending rows, after the project's
        self._pending_pix: dict[int, tuple[str, QPixmap]] = {}  # key -> (path, thumbnail)
        self._handover: OrderedDict[str, QPixmap] = OrderedDict()  # by source path
        self._synced_at = 0.0
        self._pending_times: deque[float] = deque(maxlen=4)  # when the last frames were kept
        self._sync_timer = QTimer(self)
        self._sync_timer.setSingleShot(True)
        self._sync_timer.timeout.connect(self._sync_pending)
        self.loader = ThumbnailLoader(self.project, parent=self)
        self.loader.loaded.connect(self._on_thumbnail)
        self.loader.failed.connect(self._on_thumbnail_failed)
        self._broken: set[int] = set()
        self._arrived: deque[tuple[int, QImage]] = deque()
        self._drain_timer = QTimer(self)
        self._drain_timer.setInterval(0)
        self._drain_timer.timeout.connect(self._drain_arrived)
        self._reload_classes()
        session.classes_changed.connect(self._on_classes_changed)
        session.labels_changed.connect(self.refresh_images)
        session.splits_changed.connect(self._on_splits_changed)
        session.images_changed.connect(self.reload)
        self.reload()

    # ------------------------------------------------------------- loading
    def set_filter(self, flt: ImageFilter) -> None:
        self.filter = flt
        self.reload()

    def reload(self) -> None:
        self._ids = self.project.ids(self.filter)
        self._row_of = {iid: row for row, iid in enumerate(self._ids)}
        self._records.clear()
        self._pending = self._pending_wanted()
        self.setStringList([str(i) for i in self._ids] + [""] * len(self._pending))  # resets the model

    def _reload_classes(self) -> None:
        classes = self.project.classes()
        self._classes = {c.id: (c.name, QColor(c.color)) for c in classes}
        self._class_ids = {c.name.strip().casefold(): c.id for c in classes}

    # ------------------------------------------------------------- pictures on their way in
    def follow(self, pending: PendingPictures) -> None:
        """Show these pending pictures (the camera panel's) after the project's; call the two slots below when
        they change."""
        self.pending = pending
        self._sync_pending()

    def pending_added(self, pic: PendingPicture, image: QImage) -> None:
        """``pic`` was added to the pending pictures; ``image`` is the frame as stored (its thumbnail is made here)."""
        box = self.loader.fit or PENDING_BOX
        self._pending_pix[pic.key] = (pic.path, QPixmap.fromImage(image.scaled(
            box[0], box[1], Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)))
        now = time.perf_counter()
        self._pending_times.append(now)
        wait = PENDING_EVERY_S - (now - self._synced_at)
        if wait <= 0 or not self._pending_fast(now):  # one late frame is not a fast burst: it goes in at once
            self._sync_pending()
        elif not self._sync_timer.isActive():  # a fast burst: this frame and the next ones together, soon
            self._sync_timer.start(int(wait * 1000) + 1)

    def _pending_fast(self, now: float) -> bool:
        """Frames are coming faster than rows should go in: the last three came, on average, within PENDING_EVERY_S."""
        times = self._pending_times
        return len(times) == times.maxlen and now - times[0] < (times.maxlen - 1) * PENDING_EVERY_S

    def pending_settled(self, *_args) -> None:
        """A burst's import is over: its rows go (the imported ones come with the reload that follows)."""
        self._sync_pending()

    def pending_count(self) -> int:
        return len(self.pending) if self.pending is not None else 0

    def _pending_wanted(self) -> list[PendingPicture]:
        return self.pending.shown(self.filter, self._class_ids) if self.pending is not None else []

    def _sync_pending(self) -> None:
        self._sync_timer.stop()
        self._synced_at = time.perf_counter()
        wanted = self._pending_wanted()
        keys = {p.key for p in wanted}
        base = len(self._ids)
        gone = [i for i, p in enumerate(self._pending) if p.key not in keys]
        alive = {q.key for q in self.pending.items()} if self.pending is not None else set()
        for key in [k for k in self._pending_pix if k not in alive]:  # settled: its imported row gets the thumbnail
            path, pix = self._pending_pix.pop(key)
            self._handover[path] = pix
        while len(self._handover) > HANDOVER:
            self._handover.popitem(last=False)
        for first, last in _runs(gone):
            del self._pending[first:last + 1]
            self.removeRows(base + first, last - first + 1)
        have = {p.key for p in self._pending}
        new = [p for p in wanted if p.key not in have]
        if new:
            row = self.rowCount()
            self._pending.extend(new)
            self.insertRows(row, len(new))

    def _on_classes_changed(self) -> None:
        self._reload_classes()
        self._sync_pending()
        if self.filter.class_id not in (None, -1) and self.filter.class_id not in self._classes:
            self.filter = ImageFilter(split=self.filter.split, trashed=self.filter.trashed)
            self.reload()
        elif self._ids:
            self.dataChanged.emit(self.index(0), self.index(len(self._ids) - 1))

    def _on_splits_changed(self) -> None:
        if self.filter.split is not None:
            self.reload()
        else:
            self._records.clear()
            if self._ids:
                self.dataChanged.emit(self.index(0), self.index(len(self._ids) - 1))

    def refresh_images(self, ids: list[int]) -> None:
        """Re-read changed images; drop the rows that no longer match the filter."""
        changed = [i for i in ids if i in self._row_of]
        if not changed:
            if self.filter.class_id is not None:  # e.g. undo brought images back into this filter
                self.reload()
            return
        fresh = {r.id: r for r in self.project.records(changed)}
        gone = []
        for iid in changed:
            rec = fresh.get(iid)
            if rec is None or not self._matches(rec):
                gone.append(iid)
            else:
                self._records[iid] = rec
                row = self._row_of[iid]
                self.dataChanged.emit(self.index(row), self.index(row))
        if gone:
            self._remove_ids(set(gone))
        if self.filter.class_id is not None and len(changed) < len(ids):
            self._add_missing(ids)

    def _add_missing(self, ids: list[int]) -> None:
        wanted = set(self.project.ids(self.filter))
        if wanted != set(self._ids):
            self.reload()

    def _matches(self, rec: ImageRecord) -> bool:
        f = self.filter
        if f.class_id == -1 and rec.class_id is not None:
            return False
        if f.class_id not in (None, -1) and rec.class_id != f.class_id:
            return False
        if f.split == "none" and rec.split is not None:
            return False
        if f.split not in (None, "none") and rec.split != f.split:
            return False
        return True

    def _remove_ids(self, gone: set[int]) -> None:
        for first, last in _runs(self._row_of[i] for i in gone):
            del self._ids[first:last + 1]
            self.removeRows(first, last - first + 1)
        self._row_of = {iid: row for row, iid in enumerate(self._ids)}
        for i in gone:
            self._records.pop(i, None)

    def _record(self, row: int) -> ImageRecord | None:
        if row >= len(self._ids):
            p = self._pending[row - len(self._ids)]
            return p.record(self._class_ids.get(p.class_name.strip().casefold()))
        iid = self._ids[row]
        rec = self._records.get(iid)
        if rec is None:
            start = (row // BLOCK) * BLOCK
            for r in self.project.records(self._ids[start:start + BLOCK]):
                self._records[r.id] = r
            if len(self._records) > 20 * BLOCK:  # keep memory flat when scrolling through 100k
                keep = set(self._ids[max(0, start - 4 * BLOCK):start + 5 * BLOCK])
                self._records = {k: v for k, v in self._records.items() if k in keep}
            rec = self._records.get(iid)
        return rec

    # ------------------------------------------------------------- thumbnails
    def _on_thumbnail(self, image_id: int, image: QImage) -> None:
        # Thumbnails arrive in bursts while scrolling fast; taking them all in one event-loop turn would
        # block it. Queue them and take a few milliseconds' worth per turn.
        self._arrived.append((image_id, image))
        if not self._drain_timer.isActive():
            self._drain_timer.start()

    def _drain_arrived(self) -> None:
        t0 = time.perf_counter()
        rows = []
        while self._arrived and time.perf_counter() - t0 < DRAIN_BUDGET_S:
            image_id, image = self._arrived.popleft()
            self._requested.discard(image_id)
            row = self._row_of.get(image_id)
            if row is None:
                continue
            self._pixmaps[image_id] = QPixmap.fromImage(image)
            rows.append(row)
        while len(self._pixmaps) > PIXMAP_CACHE:
            self._pixmaps.popitem(last=False)
        if rows:
            self.thumbnails_arrived.emit(min(rows), max(rows))
        if not self._arrived:
            self._drain_timer.stop()

    def _on_thumbnail_failed(self, image_id: int, reason: str) -> None:
        self._requested.discard(image_id)
        self._broken.add(image_id)

    def thumbnail(self, row: int) -> QPixmap | None:
        rec = self._record(row)
        if rec is None:
            return None
        if rec.id < 0:
            return self._pending_pix.get(rec.id, ("", None))[1]
        pix = self._pixmaps.get(rec.id)
        if pix is not None:
            self._pixmaps.move_to_end(rec.id)
            return pix
        pix = self._handover.pop(rec.source_path, None) if self._handover else None
        if pix is not None:  # a camera picture just imported: the thumbnail made from its frame
            self._pixmaps[rec.id] = pix
            return pix
        if rec.id not in self._requested and rec.id not in self._broken:
            self._requested.add(rec.id)
            self._requested.difference_update(self.loader.request(rec.id, rec.sha256, self.project.root / rec.file))
        return None

    def label_style(self, row: int) -> tuple[str, QColor | None]:
        """The row's class name and colour ("", None when unlabelled), for the delegate (no QVariant round trip)."""
        rec = self._record(row)
        if rec is not None and rec.id < 0 and rec.class_id is None:  # into a class made when it is imported
            return self._pending[row - len(self._ids)].class_name, QColor("#b0b0b0")
        if rec is None or rec.class_id is None:
            return "", None
        return self._classes.get(rec.class_id, ("", None))

    def split_badge(self, row: int) -> str | None:
        """The row's split when the gallery shows every split ("All splits"), else None: a filter on one split
        says it already, and a picture in no split has no badge."""
        if self.filter.split is not None:
            return None
        rec = self._record(row)
        return rec.split if rec is not None else None

    def close(self) -> None:
        self._drain_timer.stop()
        self._sync_timer.stop()
        self.loader.close()

    # ------------------------------------------------------------- Qt API
    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.row() >= len(self._ids):  # pending: nothing to label, delete or open yet
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def image_id(self, row: int) -> int:
        """The row's image id; a pending picture's key (negative) after the project's rows."""
        return self._ids[row] if row < len(self._ids) else self._pending[row - len(self._ids)].key

    def row_of(self, image_id: int) -> int | None:
        if image_id < 0:
            return next((len(self._ids) + i for i, p in enumerate(self._pending) if p.key == image_id), None)
        return self._row_of.get(image_id)

    def ids(self) -> list[int]:
        """The project's images shown (not the pending pictures)."""
        return list(self._ids)

    def pending_rows(self) -> list[PendingPicture]:
        return list(self._pending)

    def _class_name(self, rec: ImageRecord) -> str:
        """The record's class name, "" when it has none."""
        return self._classes.get(rec.class_id, ("", None))[0] if rec.class_id is not None else ""

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._ids) + len(self._pending):
            return None
        row = index.row()
        if role == IdRole:
            return self.image_id(row)
        rec = self._record(row)
        if rec is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return rec.original_name
        if role == Qt.ItemDataRole.DecorationRole:
            pix = self.thumbnail(row)
            return QIcon(pix) if pix is not None else None
        if role == ClassNameRole:
            return self._class_name(rec)
        if role == ClassColorRole:
            return self._classes.get(rec.class_id, ("", None))[1] if rec.class_id is not None else None
        if role == RecordRole:
            return rec
        if role == Qt.ItemDataRole.AccessibleTextRole:  # what a screen reader says: the class and split painted
            if rec.id < 0:
                return coming_words(rec.original_name, self._pending[row - len(self._ids)].class_name)
            return picture_words(rec.original_name, self._class_name(rec), rec.split)
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return f"{rec.width} x {rec.height} pixels"
        if role == Qt.ItemDataRole.ToolTipRole and rec.id < 0:
            return (f"{rec.original_name}\n{rec.width} x {rec.height} px\nbeing added to "
                    f"{self._pending[row - len(self._ids)].class_name} (from the camera)")
        if role == Qt.ItemDataRole.ToolTipRole:
            cls = class_words(self._classes[rec.class_id][0] if rec.class_id in self._classes else None)
            return (f"{rec.original_name}\n{rec.width} x {rec.height} px, {rec.size_bytes / 1024:.0f} KB\n"
                    f"Class: {cls}\nSplit: {SPLIT_NAMES.get(rec.split, rec.split)}")
        return None


def _runs(rows) -> list[tuple[int, int]]:
    """Contiguous runs ``(first, last)`` of these row numbers, bottom up, so removing them in this order keeps the
    earlier row numbers valid."""
    rows = sorted(set(rows), reverse=True)
    if not rows:
        return []
    start = end = rows[0]
    runs = []
    for r in rows[1:]:
        if r == start - 1:
            start = r
        else:
            runs.append((start, end))
            start = end = r
    runs.append((start, end))
    return runs
