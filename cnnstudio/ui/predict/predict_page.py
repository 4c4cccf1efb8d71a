"""The Predict step: use a trained model on new pictures.

Drop picture files (or folders) on the page, paste a picture or files (Ctrl+V), or open them: each gets
a row in the list; the selected one shows the picture, its most probable class and a bar chart of the
class probabilities, optionally with a Grad-CAM overlay (:func:`cnnstudio.engine.saliency.saliency`, made in a
thread by :class:`.gradcam.CamMaker`; the picture shows without it until it comes). A
corrected prediction can be added to the project's dataset as any class (through the importer).
"Predict a folder" writes a CSV (:func:`cnnstudio.engine.use.predict.predict_folder`); "Export" saves the
model as a bundle, ONNX or TorchScript. All of it runs the engine's :class:`~cnnstudio.engine.use.predict.Predictor`
in a :class:`~cnnstudio.ui.workers.TaskThread`; this page only shows what comes back. Grad-CAM runs on a
copy of the model (its hooks and design order must not meet another thread's forward pass), so predictions
never wait for it; it is not started while predictions run (the note says it follows).

The model is the project's best run unless another run is chosen in the combo box. The page's parts live
beside it: the picture list (:mod:`.drop_list`), the detail view (:mod:`.prediction_view`), the "Folder" tab
(:mod:`.folder_panel`), picture helpers (:mod:`.images`) and the export dialog (:mod:`.export_dialog`); the thread
of dropped pictures, which makes the list's thumbnails too, and its bar with Cancel (:mod:`.picture_thread`). Clear and
a change of model drop what a thread of before brings back; a new model predicts the pictures again. Files that
cannot be predicted are named under the list, with why (:mod:`.refused_note`, its words :mod:`.refused`); every percentage is written by
:func:`cnnstudio.engine.use.figures.percent`.
"""

from __future__ import annotations

import copy
import time
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (QApplication, QFileDialog, QHBoxLayout, QLabel, QListWidgetItem, QMessageBox,
                               QPushButton, QSplitter, QStackedWidget, QTabWidget, QVBoxLayout, QWidget)

from ..camera.live_predict import LivePanel
from ..model.params import ComboBox
from ..empty_state import empty_state
from ..read_only_words import read_only_note
from ..session import ProjectSession
from ..settings import last_folder, remember_folder
from ..picture_image import screen_ratio
from ...engine.use.figures import percent, score_text
from ...project.run_records import find_run, scored_pictures
from ...project.counting import counted
from ...project.glossary import tip
from .add_picture import AddToDataset
from .add_words import outcome
from .drop_list import DropList, PredictDrop
from .export_dialog import runs_with_model
from .folder_panel import FolderPanel, ask_folder_and_csv
from .pasted import PastedPictures
from .picture_thread import PictureThread, PredictingBar, picture_work
from .prediction_view import PredictionView
from .refused import status_line
from .refused_note import RefusedNote

BEST = "__best__"
READ_ONLY_DOING = "add pictures to the dataset"  # what a project open for viewing only cannot do here


class PredictPage(PredictDrop, QWidget):
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
        self._folder_predictor = None  # the chosen run's model on a folder's device, when that is not the CPU
        self.thread: PictureThread | None = None  # the dropped, pasted or opened pictures being predicted
        self._batch = 0  # raised by Clear and a change of model: what a thread of before brings back is dropped
        self._cam_predictor = None  # (run id, a Predictor with its own copy of the model) for Grad-CAM
        self._queue: list[list[Path]] = []
        self.predictions: list = []  # Prediction per list row
        self._adding: tuple[int, str] = (-1, "")  # the list row and class of the picture being added to the dataset
        self.export_dialog = None
        self.importer = AddToDataset(session, self)  # one picture at a time; not the health note's "last import"
        self.importer.finished.connect(self._imported)
        self.pasted = PastedPictures()  # pasted pictures' files, outside the project, gone with Clear
        self.drop_time: float | None = None  # when the last drop arrived (for the latency benchmark)
        self.setAcceptDrops(True)
        self.on_paths_dropped = self._dropped
        self.on_drop_refused = lambda _text: self.show_refused(self.refused)

        # -- top bar ------------------------------------------------------------------------------------
        self.model_combo = ComboBox()
        self.model_combo.setMinimumWidth(300)
        self.model_combo.setToolTip("Which trained model predicts.\n" + tip("validation", "accuracy"))
        self.model_combo.activated.connect(lambda _i: self._model_changed())
        self.open_button = QPushButton("Open pictures…")
        self.open_button.clicked.connect(self._open_dialog)
        self.paste_button = QPushButton("Paste")
        self.paste_button.setToolTip("Predict the picture (or picture files) on the clipboard (Ctrl+V).")
        self.paste_button.clicked.connect(self.paste)
        self.folder_button = QPushButton("Predict a folder…")
        self.folder_button.setToolTip("Predict every picture in a folder and save the results as a CSV file.")
        self.folder_button.clicked.connect(self._folder_dialog)
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Save the model as a file for other computers and programs.")
        self.export_button.clicked.connect(self.open_export)
        top = QHBoxLayout()
        top.addWidget(QLabel("Model"))
        top.addWidget(self.model_combo)
        top.addStretch(1)
        for b in (self.open_button, self.paste_button, self.folder_button, self.export_button):
            top.addWidget(b)

        # -- pictures tab: list + detail ----------------------------------------------------------------
        self.list = DropList()
        self.list.setAccessibleName("Pictures predicted")
        self.list.on_paths_dropped = self._dropped
        self.list.on_drop_refused = lambda _text: self.show_refused(self.list.refused)
        self.list.currentRowChanged.connect(self._show_row)
        self.clear_button = QPushButton("Clear")
        self.clear_button.clicked.connect(self.clear)
        self.busy = PredictingBar()  # "Predicted 120 of 300 pictures…" and Cancel
        self.busy.cancel.connect(self.cancel_pictures)
        self.refused_note = RefusedNote()  # the files of the last drop that were not predicted, and why
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.list, 1)
        ll.addWidget(self.refused_note)
        ll.addWidget(self.busy)
        ll.addWidget(self.clear_button)

        self.detail = PredictionView(self.cam_job)
        self.headline, self.picture, self.cam_note = self.detail.headline, self.detail.picture, self.detail.cam_note
        self.gradcam, self.bars = self.detail.gradcam, self.detail.bars
        self.gradcam.toggled.connect(lambda _on: self._show_row(self.list.currentRow()))
        self.detail.add_button.clicked.connect(
            lambda: self.add_to_dataset(self.list.currentRow(), self.detail.add_class.currentText()))
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.detail)
        split.setSizes([360, 700])

        # -- folder tab ---------------------------------------------------------------------------------
        self.folder_panel = FolderPanel()
        self.folder_panel.done.connect(self._batch_done)
        self.batch_table, self.batch_status = self.folder_panel.table, self.folder_panel.status
        self.tabs = QTabWidget()
        self.tabs.addTab(split, "Pictures")
        self.tabs.addTab(self.folder_panel, "Folder")
        self.live = LivePanel(self)  # the "Camera" tab: live prediction (ui/camera/)
        self.tabs.addTab(self.live, "Camera")

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
        from ...project import run_records as index

        p = self.session.project
        current = self.model_combo.currentData()
        self.model_combo.clear()
        best = index.best_run(p)
        with_model = runs_with_model(p)
        if with_model:
            self.model_combo.addItem(f"Best run ({best.name})" if best else f"Newest run ({with_model[0].name})", BEST)
            for r in with_model:
                acc = r.summary.get("val_accuracy")
                extra = (f" — validation {score_text(acc, scored_pictures(r.summary, 'val'))}"
                         if isinstance(acc, (int, float)) else f" — {r.status}")
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
        from ...engine.runs import lifecycle as runs

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
        """Every picture listed, being predicted or waiting is predicted again with the model chosen now (what the
        model of before still brings back is dropped)."""
        self.predictor = None
        paths = [Path(p.path) for p in self.predictions if p.path]
        paths += (self.thread.paths if self.thread is not None else []) + [p for q in self._queue for p in q]
        if paths:
            self._empty()  # not clear(): the pasted pictures' files are predicted again
            self.predict_paths(paths)  # after the thread of before ends, when one runs

    def load_predictor(self, folder: bool = False):
        """The engine's Predictor for the chosen run (loaded once per run): on one picture's device (the CPU) for
        dropped pictures and the camera; with ``folder``, on a folder's (the graphics card when there is one:
        :func:`~cnnstudio.engine.use.batching.scoring_device`), a second copy of the model only on another device."""
        from ...engine.device import pick_device
        from ...engine.runs.lifecycle import load_run_bundle
        from ...engine.use.batching import scoring_device
        from ...engine.use.predict import Predictor

        run_id = self._chosen_run()
        if run_id is None:
            raise RuntimeError("there is no trained model yet: train one first")
        if self.predictor is None or self._predictor_key != run_id:
            self.predictor = Predictor(load_run_bundle(self.session.project, run_id))
            self._predictor_key = run_id
            self._folder_predictor = None
        if not folder:
            return self.predictor
        device = pick_device(scoring_device())
        if device == self.predictor.device:
            return self.predictor
        if self._folder_predictor is None:  # its own copy: moving the model there would move the page's too
            self._folder_predictor = Predictor(load_run_bundle(self.session.project, run_id), device=device)
        return self._folder_predictor

    def bundle_path(self) -> Path | None:
        from ...project import run_records as index

        run_id = self._chosen_run()
        return index.run_dir(self.session.project, run_id) / index.MODEL_DIR if run_id else None

    # ================================================================== input
    def _dropped(self, accepted: list[Path], rejected: list[dict]) -> None:
        self.drop_time = time.perf_counter()
        self.show_refused(rejected)
        self.predict_paths(accepted)

    def paste(self) -> bool:
        md = QApplication.clipboard().mimeData()
        if md is None:
            return False
        self.show_refused([])
        if md.hasUrls():
            paths = [Path(u.toLocalFile()) for u in md.urls() if u.isLocalFile()]
            if paths:
                self.predict_paths(paths)
                return True
        if md.hasImage():
            image = QApplication.clipboard().image()
            if not image.isNull():
                path = self.pasted.new_path()
                if not image.save(str(path), "PNG"):
                    self._message("The pasted picture could not be saved to a temporary file.")
                    return False
                self.predict_paths([path])
                return True
        self._message("The clipboard holds no picture.")
        return False

    def _open_dialog(self) -> None:
        from ...project import IMAGE_EXTENSIONS

        patterns = " ".join(f"*{e}" for e in sorted(IMAGE_EXTENSIONS))
        files = QFileDialog.getOpenFileNames(self, "Pictures to predict", last_folder("predict"),
                                             f"Pictures ({patterns});;All files (*)")[0]
        if files:
            remember_folder("predict", files[0])
            self.show_refused([])
            self.predict_paths([Path(f) for f in files])

    # ================================================================== predicting
    def predict_paths(self, paths: list[Path]) -> bool:
        """Predict files (folders are searched) in a thread; results are added to the list."""
        from ...engine.errors import EngineError

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
        self.busy.start()
        self._result = None
        self.thread = PictureThread(picture_work(predictor, paths, screen_ratio()), self._batch, paths, parent=self)
        self.thread.progress.connect(lambda d, t, _m: self.busy.show_progress(d, t))
        self.thread.succeeded.connect(lambda got, batch=self._batch: self._got(got, batch))
        self.thread.errored.connect(lambda msg, _tb: self._message(f"Prediction failed: {msg}"))
        self.thread.finished.connect(self._thread_done)
        self.thread.start()
        return True

    def _got(self, got, batch: int) -> None:
        """The predictions and their thumbnails, in the GUI thread as soon as they are there (the thread is just
        ending); dropped when the list was cleared or the model changed since the batch started."""
        if batch != self._batch:
            return
        result, thumbs = got
        self._result = result
        first = len(self.predictions)
        for pred, img in zip(result.predictions, thumbs):
            self.predictions.append(pred)
            name = Path(pred.path).name if pred.path else ""
            item = QListWidgetItem(f"{pred.label}  {percent(pred.confidence)}\n{name}")
            item.setToolTip(pred.path or "")
            if not img.isNull():
                item.setIcon(QIcon(QPixmap.fromImage(img)))
            self.list.addItem(item)
        if result.cancelled:
            total = max(self.busy.bar.maximum(), len(result.predictions))
            self._message(f"Predicted {len(result.predictions):,} of {counted(total, 'picture')} before you cancelled.")
        if result.skipped:
            self.show_refused(result.skipped, keep=True)
        if len(self.predictions) > first:
            self.list.setCurrentRow(first)

    def cancel_pictures(self) -> None:
        """Cancel: the pictures predicted so far are listed, the rest and the pictures waiting are not."""
        self._queue.clear()
        if self.thread is not None:
            self.thread.cancel()

    def _thread_done(self) -> None:
        dropped = self.thread.batch != self._batch  # cleared, or the model changed: nothing of it was listed
        self.thread.deleteLater()
        self.thread = None
        self.busy.hide()
        result, self._result = self._result, None
        if self._queue:
            self.predict_paths(self._queue.pop(0))
        elif self.gradcam.isChecked():
            self._show_row(self.list.currentRow())  # Grad-CAM waits while the thread uses the model
        if not dropped:
            self.predicted.emit(list(result.predictions) if result is not None else [])

    def clear(self) -> None:
        """Empty the list (Clear); a drop being predicted is cancelled, and pasted pictures' files deleted."""
        self._empty()
        self.pasted.clear()

    def _empty(self) -> None:
        """Empty the list; a drop being predicted is cancelled, and what it brings back dropped."""
        self._batch += 1
        self.cancel_pictures()
        self.list.clear()
        self.show_refused([])
        self.predictions = []
        self._show_row(-1)

    # ================================================================== the detail view
    def _show_row(self, row: int) -> None:
        pred = self.predictions[row] if 0 <= row < len(self.predictions) else None
        busy = self.thread is not None or self.folder_panel.thread is not None  # they use the model now
        self.detail.show_prediction(pred, model_busy=busy)
        if pred is not None:
            self.shown.emit(pred)

    def cam_job(self, path: str):
        """``(model, fn)``: the chosen run and how to make ``path``'s Grad-CAM map with it (in a thread)."""
        from ...engine.use.saliency import saliency

        predictor = self.load_predictor()
        if self._cam_predictor is None or self._cam_predictor[0] != self._predictor_key:
            # Grad-CAM hooks its model and runs it in design order: on a copy of its own, the prediction
            # threads (dropped pictures, a folder) go on with the page's model at the same time
            self._cam_predictor = (self._predictor_key, copy.copy(predictor))
            self._cam_predictor[1].model = copy.deepcopy(predictor.model)
        cam_predictor = self._cam_predictor[1]

        def work(progress=None, cancel=None):
            return saliency(cam_predictor, path)

        return self._predictor_key, work

    # ================================================================== adding to the dataset
    def _fill_classes(self) -> None:
        self.detail.set_classes([c.name for c in self.session.project.classes()])
        self.detail.set_read_only(read_only_note(self.session.project, READ_ONLY_DOING))
        self.live.set_classes([c.name for c in self.session.project.classes()])

    def add_to_dataset(self, row: int, class_name: str) -> bool:
        """Import the picture of list row ``row`` into the project with class ``class_name``."""
        pred = self.predictions[row] if 0 <= row < len(self.predictions) else None
        if pred is None or not pred.path or not class_name:
            return False
        if self.detail.read_only:
            self._message(self.detail.read_only)
            return False
        self._adding = (row, class_name)
        return self.importer.start([Path(pred.path)], class_name=class_name)

    def _imported(self, report) -> None:
        row, name = self._adding
        if report is None:
            return
        self._message(outcome(report, name, self.importer.split))
        if report.imported:
            item = self.list.item(row)
            if item is not None:
                item.setText(item.text().split("\n")[0] + f"  ✓ added as {name}\n" + item.text().split("\n")[-1])

    # ================================================================== folders
    def _folder_dialog(self) -> None:
        chosen = ask_folder_and_csv(self)
        if chosen is not None:
            self.predict_folder(*chosen)

    def predict_folder(self, folder: Path, csv_path: Path | None) -> bool:
        """Predict every picture in ``folder`` into the "Folder" tab (and ``csv_path``); ``batch_done`` follows."""
        from ...engine.errors import EngineError

        if self.folder_panel.thread is not None:
            return False
        try:
            predictor = self.load_predictor(folder=True)
        except (EngineError, RuntimeError, OSError) as e:
            QMessageBox.warning(self, "No model to predict with", str(e))
            return False
        self.tabs.setCurrentIndex(1)
        self.folder_button.setEnabled(False)
        return self.folder_panel.start(predictor, folder, csv_path)

    def cancel_batch(self) -> None:
        self.folder_panel.cancel()

    def _batch_done(self, result) -> None:
        self.folder_button.setEnabled(True)
        self.batch_done.emit(result)
        if self.gradcam.isChecked():
            self._show_row(self.list.currentRow())

    # ================================================================== export
    def open_export(self):
        from ...project.run_names import export_file_stem
        from .export_dialog import ExportDialog

        path = self.bundle_path()
        if path is None:
            return None
        run = find_run(self.session.project, self._chosen_run())
        project = self.session.project
        name = export_file_stem(project.root.name, run.name if run else "")  # two runs' exports: two files
        self.export_dialog = ExportDialog(path, name, self, run_name=run.name if run else "",
                                          name_of=lambda run_id: getattr(find_run(project, run_id), "name", ""))
        self.export_dialog.open()
        return self.export_dialog

    # ================================================================== misc
    def show_refused(self, rejected: list[dict], keep: bool = False) -> None:
        """Name the files that were not predicted, and why, under the list (and in the status bar); an empty
        list hides the note. ``keep``: add to the note on display (files of the same drop found unreadable)."""
        self.refused_note.set_files(rejected, keep=keep)
        if rejected:
            self._message(status_line(self.refused_note.files))

    def _message(self, text: str) -> None:
        w = self.window()
        if hasattr(w, "statusBar"):
            w.statusBar().showMessage(text, 8000)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self.refresh_runs()

    def shutdown(self) -> None:
        self._queue.clear()
        if self.thread is not None:  # cancelled first: a Grad-CAM thread may wait for its model lock
            self.thread.cancel()
        self.folder_panel.cancel()
        self.detail.shutdown()
        self.live.shutdown()
        if self.thread is not None:
            self.thread.stop_and_wait()
        self.thread = None
        self.folder_panel.shutdown()
        if self.export_dialog is not None:
            self.export_dialog.done(0)
        self.importer.shutdown()
        self.pasted.clear()
