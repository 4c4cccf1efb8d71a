"""The Predict step: use a trained model on new pictures.

Drop picture files (or folders) on the page, paste a picture or files (Ctrl+V), or open them: each gets
a row in the list; the selected one shows the picture, its most probable class and a bar chart of the
class probabilities, optionally with a Grad-CAM overlay (:func:`cnnstudio.engine.saliency.saliency`). A
corrected prediction can be added to the project's dataset as any class (through the importer).
"Predict a folder" writes a CSV (:func:`cnnstudio.engine.predict.predict_folder`); "Export" saves the
model as a bundle, ONNX or TorchScript. All of it runs the engine's :class:`~cnnstudio.engine.predict.Predictor`
in a :class:`~cnnstudio.ui.workers.TaskThread`; this page only shows what comes back.

The model is the project's best run unless another run is chosen in the combo box.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QImageReader, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QCheckBox, QFileDialog, QHBoxLayout, QHeaderView,
                               QLabel, QListWidget, QListWidgetItem, QMessageBox, QProgressBar, QPushButton,
                               QSplitter, QStackedWidget, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout,
                               QWidget)

from ..data.import_flow import ImportController
from ..drop import DropMixin
from ..model.params import ComboBox
from ..empty_state import empty_state
from ..session import ProjectSession
from ..workers import TaskThread

BEST = "__best__"
ICON = 56
VIEW = 280
MAX_BARS = 10


def read_scaled(path: str | Path, side: int) -> QImage:
    """A picture file read at most ``side`` pixels wide/high (JPEGs decode at the smaller size directly)."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid() and max(size.width(), size.height()) > side:
        reader.setScaledSize(size.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatio))
    return reader.read()


def overlay_image(picture: np.ndarray, heat: np.ndarray, strength: float = 0.55) -> np.ndarray:
    """Blend a [0, 1] map over an (H, W, 3) uint8 picture with a heat colour map (for the Grad-CAM toggle)."""
    cmap = pg.colormap.get("inferno")
    colours = cmap.map(np.clip(heat, 0, 1), mode="byte")[..., :3].astype(np.float32)
    a = (strength * np.clip(heat, 0, 1))[..., None]
    return (picture.astype(np.float32) * (1 - a) + colours * a).round().clip(0, 255).astype(np.uint8)


class DropList(DropMixin, QListWidget):
    """The list of predicted pictures; dropping files on it predicts them."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setIconSize(QSize(ICON, ICON))
        self.setSpacing(2)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.hint = "Drop pictures here\nor paste one (Ctrl+V)"

    def paintEvent(self, event):  # noqa: N802 - the empty state
        super().paintEvent(event)
        if self.count() == 0:
            from PySide6.QtGui import QPainter

            p = QPainter(self.viewport())
            p.setPen(self.palette().placeholderText().color())
            f = p.font()
            f.setPointSize(f.pointSize() + 3)
            p.setFont(f)
            p.drawText(self.viewport().rect(), Qt.AlignmentFlag.AlignCenter, self.hint)
            p.end()


class PredictPage(DropMixin, QWidget):
    """Drops anywhere on the page are predicted (never imported into the project)."""

    shown = Signal(object)  # the Prediction now on display (after a drop: the first new one)
    predicted = Signal(list)  # the predictions of one drop / paste / open, after the thread ended
    batch_done = Signal(object)  # BatchResult of "Predict a folder" (None if it failed)
    go_to_train = Signal()

    def __init__(self, session: ProjectSession, parent=None):
        super().__init__(parent)
        self.session = session
        self.predictor = None
        self._predictor_key = None
        self.thread: TaskThread | None = None
        self.batch_thread: TaskThread | None = None
        self._queue: list[list[Path]] = []
        self.predictions: list = []  # Prediction per list row
        self.export_dialog = None
        self.importer = ImportController(session, self)
        self.importer.show_report = False
        self.importer.finished.connect(self._imported)
        self.drop_time: float | None = None  # when the last drop arrived (for the latency benchmark)
        self.setAcceptDrops(True)
        self.on_paths_dropped = self._dropped
        self.on_drop_refused = self._message

        # -- top bar ------------------------------------------------------------------------------------
        self.model_combo = ComboBox()
        self.model_combo.setMinimumWidth(300)
        self.model_combo.setToolTip("Which trained model predicts")
        self.model_combo.activated.connect(lambda _i: self._model_changed())
        self.open_button = QPushButton("Open pictures…")
        self.open_button.clicked.connect(self._open_dialog)
        self.paste_button = QPushButton("Paste")
        self.paste_button.setToolTip("Predict the picture (or picture files) on the clipboard (Ctrl+V)")
        self.paste_button.clicked.connect(self.paste)
        self.folder_button = QPushButton("Predict a folder…")
        self.folder_button.setToolTip("Predict every picture in a folder and save the results as a CSV file")
        self.folder_button.clicked.connect(self._folder_dialog)
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Save the model as a file for other computers and programs")
        self.export_button.clicked.connect(self.open_export)
        top = QHBoxLayout()
        top.addWidget(QLabel("Model"))
        top.addWidget(self.model_combo)
        top.addStretch(1)
        for b in (self.open_button, self.paste_button, self.folder_button, self.export_button):
            top.addWidget(b)

        # -- pictures tab: list + detail ----------------------------------------------------------------
        self.list = DropList()
        self.list.on_paths_dropped = self._dropped
        self.list.on_drop_refused = self._message
        self.list.currentRowChanged.connect(self._show_row)
        self.clear_button = QPushButton("Clear")
        self.clear_button.clicked.connect(self.clear)
        self.busy = QProgressBar()
        self.busy.setMaximumHeight(14)
        self.busy.setTextVisible(False)
        self.busy.hide()
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.list, 1)
        ll.addWidget(self.busy)
        ll.addWidget(self.clear_button)

        self.headline = QLabel()
        self.headline.setTextFormat(Qt.TextFormat.RichText)
        self.headline.setWordWrap(True)
        self.picture = QLabel()
        self.picture.setFixedSize(VIEW, VIEW)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setStyleSheet("background: palette(dark); border-radius: 4px;")
        self.gradcam = QCheckBox("Show where the model looked (Grad-CAM)")
        self.gradcam.setToolTip("Colours the parts of the picture that weighed most for the predicted class, on the "
                                "picture as the model sees it (resized)")
        self.gradcam.toggled.connect(lambda _on: self._show_row(self.list.currentRow()))
        self.cam_note = QLabel()
        self.cam_note.setWordWrap(True)
        self.cam_note.setStyleSheet("color: palette(placeholder-text);")
        self.bars_plot = pg.PlotWidget(background=None)
        self.bars_plot.setMouseEnabled(x=False, y=False)
        self.bars_plot.hideButtons()
        self.bars_plot.getPlotItem().setMenuEnabled(False)
        self.bars_plot.setXRange(0, 1, padding=0)
        self.bars_plot.setLabel("bottom", "probability")
        self.bars_plot.setMinimumHeight(160)
        self.bars = pg.BarGraphItem(x0=[], y=[], height=0.7, width=[], brush=pg.mkBrush(0, 114, 178))
        self.bars_plot.addItem(self.bars)
        self.add_class = ComboBox()
        self.add_class.setToolTip("The class the picture really shows")
        self.add_button = QPushButton("Add to dataset")
        self.add_button.setToolTip("Copy this picture into the project with the chosen class, to train on it next time")
        self.add_button.clicked.connect(lambda: self.add_to_dataset(self.list.currentRow(), self.add_class.currentText()))
        add_row = QHBoxLayout()
        add_row.addWidget(QLabel("Add to the dataset as"))
        add_row.addWidget(self.add_class, 1)
        add_row.addWidget(self.add_button)
        detail = QWidget()
        dl = QVBoxLayout(detail)
        dl.addWidget(self.headline)
        pic_row = QHBoxLayout()
        pic_row.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignTop)
        cam_col = QVBoxLayout()
        cam_col.addWidget(self.gradcam)
        cam_col.addWidget(self.cam_note)
        cam_col.addStretch(1)
        pic_row.addLayout(cam_col, 1)
        dl.addLayout(pic_row)
        dl.addWidget(self.bars_plot, 1)
        dl.addLayout(add_row)
        self.detail = detail
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(detail)
        split.setSizes([360, 700])

        # -- folder tab ---------------------------------------------------------------------------------
        self.batch_table = QTableWidget(0, 4)
        self.batch_table.setHorizontalHeaderLabels(["File", "Class", "Confidence", "Problem"])
        self.batch_table.verticalHeader().hide()
        self.batch_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.batch_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.batch_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.batch_status = QLabel("“Predict a folder…” predicts every picture in a folder and saves a CSV file.")
        self.batch_status.setWordWrap(True)
        self.batch_progress = QProgressBar()
        self.batch_progress.hide()
        self.batch_cancel = QPushButton("Cancel")
        self.batch_cancel.hide()
        self.batch_cancel.clicked.connect(self.cancel_batch)
        brow = QHBoxLayout()
        brow.addWidget(self.batch_progress, 1)
        brow.addWidget(self.batch_cancel)
        batch = QWidget()
        bl = QVBoxLayout(batch)
        bl.addWidget(self.batch_status)
        bl.addLayout(brow)
        bl.addWidget(self.batch_table, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(split, "Pictures")
        self.tabs.addTab(batch, "Folder")

        # -- empty state ----------------------------------------------------------------------------------
        empty = empty_state(
            "Train a model first", "Then drop new pictures here to see what the model thinks they are, predict "
            "whole folders into a spreadsheet, or export the model for other programs.", "Go to Train",
            self.go_to_train)
        self.body = QStackedWidget()
        self.body.addWidget(empty)
        self.body.addWidget(self.tabs)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addLayout(top)
        lay.addWidget(self.body, 1)
        QShortcut(QKeySequence.StandardKey.Paste, self, activated=self.paste)
        session.classes_changed.connect(self._fill_classes)
        self._fill_classes()
        self.refresh_runs()
        self._show_row(-1)

    # ================================================================== the model
    def refresh_runs(self) -> None:
        from ...engine import runs
        from ...project import runs as index

        p = self.session.project
        current = self.model_combo.currentData()
        self.model_combo.clear()
        best = index.best_run(p)
        with_model = [r for r in index.list_runs(p) if (runs.run_dir(p, r.id) / runs.MODEL_DIR).is_dir()]
        if with_model:
            self.model_combo.addItem(f"Best run ({best.name})" if best else f"Newest run ({with_model[0].name})", BEST)
            for r in with_model:
                acc = r.summary.get("val_accuracy")
                extra = f" — validation {acc:.1%}" if isinstance(acc, (int, float)) else f" — {r.status}"
                self.model_combo.addItem(f"{r.name}{extra}", r.id)
        i = self.model_combo.findData(current)
        self.model_combo.setCurrentIndex(i if i >= 0 else 0)
        has = bool(with_model)
        self.body.setCurrentIndex(1 if has else 0)
        for b in (self.open_button, self.paste_button, self.folder_button, self.export_button, self.model_combo):
            b.setEnabled(has)
        if self._predictor_key is not None and self._predictor_key != self._chosen_run():
            self.predictor = None  # the best run changed: load it on the next prediction

    def _chosen_run(self) -> str | None:
        from ...engine import runs

        choice = self.model_combo.currentData()
        if choice is None:
            return None
        if choice != BEST:
            return choice
        try:
            return runs.pick_run(self.session.project).id
        except Exception:  # noqa: BLE001 - no run: the empty state says so
            return None

    def _model_changed(self) -> None:
        self.predictor = None
        if self.predictions:  # predict the same pictures again with the other model
            paths = [Path(p.path) for p in self.predictions if p.path]
            self.clear()
            self.predict_paths(paths)

    def load_predictor(self):
        """The engine's Predictor for the chosen run (loaded once per run)."""
        from ...engine.predict import Predictor
        from ...engine.runs import load_run_bundle

        run_id = self._chosen_run()
        if run_id is None:
            raise RuntimeError("there is no trained model yet: train one first")
        if self.predictor is None or self._predictor_key != run_id:
            self.predictor = Predictor(load_run_bundle(self.session.project, run_id))
            self._predictor_key = run_id
        return self.predictor

    def bundle_path(self) -> Path | None:
        from ...engine import runs

        run_id = self._chosen_run()
        return runs.run_dir(self.session.project, run_id) / runs.MODEL_DIR if run_id else None

    # ================================================================== input
    def _dropped(self, accepted: list[Path], rejected: list[dict]) -> None:
        self.drop_time = time.perf_counter()
        if rejected:
            self._message("Left out: " + "; ".join(f"{Path(r['path']).name}: {r['reason']}" for r in rejected[:3]))
        self.predict_paths(accepted)

    def paste(self) -> bool:
        md = QApplication.clipboard().mimeData()
        if md is None:
            return False
        if md.hasUrls():
            paths = [Path(u.toLocalFile()) for u in md.urls() if u.isLocalFile()]
            if paths:
                self.predict_paths(paths)
                return True
        if md.hasImage():
            image = QApplication.clipboard().image()
            if not image.isNull():
                folder = self.session.project.root / "cache" / "pasted"
                folder.mkdir(parents=True, exist_ok=True)
                path = folder / f"pasted-{time.strftime('%Y%m%d-%H%M%S')}-{int(time.time() * 1000) % 1000:03d}.png"
                image.save(str(path), "PNG")
                self.predict_paths([path])
                return True
        self._message("The clipboard holds no picture.")
        return False

    def _open_dialog(self) -> None:
        from ...project import IMAGE_EXTENSIONS

        patterns = " ".join(f"*{e}" for e in sorted(IMAGE_EXTENSIONS))
        files = QFileDialog.getOpenFileNames(self, "Pictures to predict", str(Path.home()),
                                             f"Pictures ({patterns});;All files (*)")[0]
        if files:
            self.predict_paths([Path(f) for f in files])

    # ================================================================== predicting
    def predict_paths(self, paths: list[Path]) -> bool:
        """Predict files (folders are searched) in a thread; results are added to the list."""
        from ...engine.errors import EngineError
        from ...engine.predict import collect_images

        if not paths:
            return False
        if self.thread is not None:
            self._queue.append(list(paths))
            return True
        try:
            predictor = self.load_predictor()
        except (EngineError, RuntimeError, OSError) as e:
            QMessageBox.warning(self, "No model to predict with", str(e))
            return False

        def work(progress=None, cancel=None):
            files, skipped = collect_images(paths)
            result = predictor.predict_many(files, progress=progress, cancel=cancel)
            result.skipped = skipped + result.skipped
            return result

        self.busy.setRange(0, 0)
        self.busy.show()
        self._result = None
        self.thread = TaskThread(work, parent=self)
        self.thread.progress.connect(lambda d, t, _m: (self.busy.setRange(0, max(1, t)), self.busy.setValue(d)))
        self.thread.succeeded.connect(self._got)
        self.thread.failed.connect(lambda msg, _tb: self._message(f"Prediction failed: {msg}"))
        self.thread.finished.connect(self._thread_done)
        self.thread.start()
        return True

    def _got(self, result) -> None:
        """The predictions, in the GUI thread as soon as they are there (the thread is just ending)."""
        self._result = result
        first = len(self.predictions)
        for pred in result.predictions:
            self.predictions.append(pred)
            item = QListWidgetItem(f"{pred.label}  {pred.confidence:.0%}\n{Path(pred.path).name if pred.path else ''}")
            item.setToolTip(pred.path or "")
            img = read_scaled(pred.path, ICON) if pred.path else QImage()
            if not img.isNull():
                item.setIcon(QIcon(QPixmap.fromImage(img)))
            self.list.addItem(item)
        if result.skipped:
            self._message("Not predicted: " + "; ".join(f"{Path(s['path']).name}: {s['reason']}"
                                                        for s in result.skipped[:3]))
        if len(self.predictions) > first:
            self.list.setCurrentRow(first)

    def _thread_done(self) -> None:
        self.thread.deleteLater()
        self.thread = None
        self.busy.hide()
        result, self._result = self._result, None
        if self._queue:
            self.predict_paths(self._queue.pop(0))
        elif self.gradcam.isChecked():
            self._show_row(self.list.currentRow())  # Grad-CAM waits while the thread uses the model
        self.predicted.emit(list(result.predictions) if result is not None else [])

    def clear(self) -> None:
        self.list.clear()
        self.predictions = []
        self._show_row(-1)

    # ================================================================== the detail view
    def _show_row(self, row: int) -> None:
        pred = self.predictions[row] if 0 <= row < len(self.predictions) else None
        self.detail.setEnabled(pred is not None)
        if pred is None:
            self.headline.setText("<span style='color:gray'>Drop pictures on the list to see what the model thinks "
                                  "they are.</span>")
            self.picture.clear()
            self.bars.setOpts(x0=[], y=[], width=[], height=0.7)
            self.cam_note.setText("")
            return
        top = pred.top(MAX_BARS)
        second = f" · next: {top[1][0]} {top[1][1]:.1%}" if len(top) > 1 else ""
        self.headline.setText(f"<span style='font-size:18px'><b>{pred.label}</b></span> &nbsp; "
                              f"{pred.confidence:.1%} sure{second}<br><small>{pred.path or ''}</small>")
        n = len(top)
        ys = [n - 1 - i for i in range(n)]  # most probable on top
        brushes = [pg.mkBrush(0, 114, 178) if i == 0 else pg.mkBrush(150, 170, 190) for i in range(n)]
        self.bars.setOpts(x0=[0] * n, y=ys, width=[p for _, p in top], height=0.7, brushes=brushes)
        self.bars_plot.getAxis("left").setTicks([[(y, name[:18]) for y, (name, _p) in zip(ys, top)]])
        self.bars_plot.setYRange(-0.6, n - 0.4, padding=0)
        self.bars_plot.setXRange(0, 1, padding=0)
        i = self.add_class.findText(pred.label)
        if i >= 0:
            self.add_class.setCurrentIndex(i)
        self._show_picture(pred)
        self.shown.emit(pred)

    def _show_picture(self, pred) -> None:
        from ..model.inputs import array_to_pixmap

        self.cam_note.setText("")
        if self.gradcam.isChecked() and pred.path:
            if self.thread is not None or self.batch_thread is not None:  # they use the model now
                self.cam_note.setText("Grad-CAM follows when the predictions are done…")
            else:
                try:
                    sal = self.saliency(pred.path)
                except Exception as e:  # noqa: BLE001 - an overlay that cannot be made is only a note
                    self.cam_note.setText(f"No overlay for this picture: {e}")
                else:
                    self.picture.setPixmap(array_to_pixmap(overlay_image(sal.image, sal.map), VIEW).scaled(
                        VIEW, VIEW, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))
                    how = "Grad-CAM" if sal.method == "grad-cam" else "input gradients (the model has no usable " \
                                                                      "convolution map)"
                    self.cam_note.setText(f"Bright: what counted most for “{sal.label}” ({how}), on the picture "
                                          f"as the model sees it.")
                    return
        img = read_scaled(pred.path, VIEW) if pred.path else QImage()
        if not img.isNull() and max(img.width(), img.height()) < VIEW // 2:  # small pictures: show them big
            img = img.scaled(VIEW, VIEW, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation)
        if img.isNull():
            self.picture.setText("(no preview)")
        else:
            self.picture.setPixmap(QPixmap.fromImage(img))

    def saliency(self, path: str):
        from ...engine.saliency import saliency

        return saliency(self.load_predictor(), path)

    # ================================================================== adding to the dataset
    def _fill_classes(self) -> None:
        current = self.add_class.currentText()
        self.add_class.clear()
        for c in self.session.project.classes():
            self.add_class.addItem(c.name)
        i = self.add_class.findText(current)
        if i >= 0:
            self.add_class.setCurrentIndex(i)
        self.add_button.setEnabled(self.add_class.count() > 0)

    def add_to_dataset(self, row: int, class_name: str) -> bool:
        """Import the picture of list row ``row`` into the project with class ``class_name``."""
        pred = self.predictions[row] if 0 <= row < len(self.predictions) else None
        if pred is None or not pred.path or not class_name:
            return False
        self._adding = (row, class_name)
        return self.importer.start([Path(pred.path)], class_name=class_name)

    def _imported(self, report) -> None:
        row, name = getattr(self, "_adding", (-1, ""))
        if report is None:
            return
        if report.imported:
            self._message(f"Added to the dataset as {name}. It is used from the next training run on.")
            item = self.list.item(row)
            if item is not None:
                item.setText(item.text().split("\n")[0] + f"  ✓ added as {name}\n" + item.text().split("\n")[-1])
        elif report.duplicates:
            self._message("This picture is already in the dataset.")
        else:
            self._message("The picture could not be added: " + "; ".join(s.get("reason", "") for s in report.skipped[:1]))

    # ================================================================== folders
    def _folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Predict every picture in a folder", str(Path.home()))
        if not folder:
            return
        csv_path = QFileDialog.getSaveFileName(self, "Save the results as", str(Path(folder) / "predictions.csv"),
                                               "CSV file (*.csv)")[0]
        if csv_path:
            self.predict_folder(Path(folder), Path(csv_path))

    def predict_folder(self, folder: Path, csv_path: Path | None) -> bool:
        from ...engine.errors import EngineError
        from ...engine.predict import predict_folder

        if self.batch_thread is not None:
            return False
        try:
            predictor = self.load_predictor()
        except (EngineError, RuntimeError, OSError) as e:
            QMessageBox.warning(self, "No model to predict with", str(e))
            return False
        self.tabs.setCurrentIndex(1)
        self.batch_table.setRowCount(0)
        self.batch_status.setText(f"Predicting the pictures in {folder}…")
        self.batch_progress.setRange(0, 0)
        self.batch_progress.show()
        self.batch_cancel.show()
        self.folder_button.setEnabled(False)
        self._batch_result = None
        self._batch_error = ""
        self.batch_thread = TaskThread(predict_folder, predictor, folder, csv_path, parent=self)
        self.batch_thread.progress.connect(self._batch_progress)
        self.batch_thread.succeeded.connect(lambda r: setattr(self, "_batch_result", r))
        self.batch_thread.failed.connect(lambda msg, _tb: setattr(self, "_batch_error", msg))
        self.batch_thread.finished.connect(self._batch_done)
        self.batch_thread.start()
        return True

    def _batch_progress(self, done: int, total: int, message: str) -> None:
        self.batch_progress.setRange(0, max(1, total))
        self.batch_progress.setValue(done)
        self.batch_status.setText(f"Predicted {done:,} of {total:,} pictures…")

    def cancel_batch(self) -> None:
        if self.batch_thread is not None:
            self.batch_thread.cancel()

    def _batch_done(self) -> None:
        self.batch_thread.deleteLater()
        self.batch_thread = None
        self.batch_progress.hide()
        self.batch_cancel.hide()
        self.folder_button.setEnabled(True)
        result = self._batch_result
        if result is None:
            self.batch_status.setText(f"<span style='color:#c0392b'>The folder could not be predicted: "
                                      f"{self._batch_error}</span>")
            self.batch_done.emit(None)
            return
        rows = [(p.path, p.label, f"{p.confidence:.1%}", "") for p in result.predictions]
        rows += [(s["path"], "", "", s["reason"]) for s in result.skipped]
        self.batch_table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, text in enumerate(values):
                self.batch_table.setItem(r, c, QTableWidgetItem(str(text)))
        text = f"{len(result.predictions):,} pictures predicted"
        if result.skipped:
            text += f", {len(result.skipped):,} could not be read"
        if result.cancelled:
            text += " (cancelled: the rest were not predicted)"
        if result.csv_path:
            text += f". Saved to {result.csv_path}"
        self.batch_status.setText(text + ".")
        self.batch_done.emit(result)
        if self.gradcam.isChecked():
            self._show_row(self.list.currentRow())

    # ================================================================== export
    def open_export(self):
        from .export_dialog import ExportDialog

        path = self.bundle_path()
        if path is None:
            return None
        name = f"{self.session.project.root.name}-model"
        self.export_dialog = ExportDialog(path, name, self)
        self.export_dialog.open()
        return self.export_dialog

    # ================================================================== misc
    def _message(self, text: str) -> None:
        w = self.window()
        if hasattr(w, "statusBar"):
            w.statusBar().showMessage(text, 8000)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self.refresh_runs()

    def shutdown(self) -> None:
        self._queue.clear()
        for t in (self.thread, self.batch_thread):
            if t is not None:
                t.stop_and_wait()
        self.thread = self.batch_thread = None
        if self.export_dialog is not None:
            self.export_dialog.done(0)
        self.importer.shutdown()
