"""The Predict step: use a trained model on new pictures.

Drop picture files (or folders) on the page, paste a picture or files (Ctrl+V, :mod:`.clipboard`), or open them: each
gets a row in the list (its words :mod:`.row_words`); the selected one shows the picture, its most probable class and a
bar chart of the class probabilities, optionally with a Grad-CAM overlay (:func:`cnnstudio.engine.saliency.saliency`,
made in a thread by :class:`.gradcam.CamMaker` on a copy of the model of its own, so predictions never wait for it; it
is not started while predictions run). A corrected prediction can be added to the project's dataset as any class
(through the importer). "Predict a folder" writes a CSV (:func:`cnnstudio.engine.use.predict.predict_folder`);
"Export" saves the model as a bundle, ONNX or TorchScript. All of it runs the engine's
:class:`~cnnstudio.engine.use.predict.Predictor` in a :class:`~cnnstudio.ui.workers.TaskThread`; this page only shows
what comes back.

The model is the project's best run unless another run is chosen in the Model box (the top row, :mod:`.model_bar`; its
rows and words :mod:`.model_choice`). It is loaded in a thread (:mod:`.model_loader`) as soon as the page is shown and
when another is chosen, the bar under the list saying "Loading the model…": pictures dropped meanwhile wait and are
predicted once it is there, a folder too, and a model that cannot be loaded is one sentence under the list (the pictures
that wait are said after it and predicted once a model loads). The page's other parts live beside it: the picture
list (:mod:`.drop_list`), the detail view (:mod:`.prediction_view`), the "Folder" tab (:mod:`.folder_panel`, asked for
and started by :mod:`.folder_predicting`), picture helpers (:mod:`.images`), the export dialog (:mod:`.export_dialog`),
the thread of dropped pictures, which makes the list's thumbnails too, and its bar with Cancel (:mod:`.picture_thread`),
held by a :class:`~cnnstudio.ui.workers.LatestTask`. Clear and a change of model drop what a thread of before brings
back; a new model predicts the pictures again. Files
that cannot be predicted are named under the list, with why (:mod:`.refused_note`, its words :mod:`.refused`).
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFileDialog, QMessageBox, QSplitter, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from ..camera.live_predict import LivePanel
from ..empty_state import empty_state
from ..read_only_words import read_only_note
from ..session import ProjectSession
from ..settings import last_folder, remember_folder
from ..workers import LatestTask
from ..picture_image import screen_ratio
from .add_picture import AddToDataset
from .add_words import outcome
from .clipboard import clipboard_pictures
from .drop_list import PredictDrop
from .export_dialog import runs_with_model
from .folder_panel import FolderPanel
from .folder_predicting import FolderPredicting
from .model_bar import ModelBar
from ...project.run_records import find_run
from .model_choice import (LOADING, MEASURING, NO_MODEL, NO_MODEL_ROW, OPEN_FILE, OPEN_FILE_TEXT, changed_words, chosen_run,
                           file_changed_words, file_path, file_row, model_entries)
from .model_files import ModelFiles
from .model_loader import ModelLoader
from .pasted import PastedPictures
from .picture_column import PictureColumn
from .picture_thread import PictureThread, picture_work
from .prediction_view import PredictionView
from .refused import status_line
from .row_words import added_text, cancelled_words

READ_ONLY_DOING = "add pictures to the dataset"  # what a project open for viewing only cannot do here


class PredictPage(PredictDrop, FolderPredicting, ModelFiles, QWidget):
    """Drops anywhere on the page are predicted (never imported into the project)."""

    shown = Signal(object)  # the Prediction now on display (after a drop: the first new one)
    predicted = Signal(list)  # the predictions of one drop / paste / open, after the thread ended
    batch_done = Signal(object)  # BatchResult of "Predict a folder" (None if it failed)
    go_to_train = Signal()

    def __init__(self, session: ProjectSession, parent=None):
        super().__init__(parent)
        self.session = session
        self.loader = ModelLoader(session, self)  # the chosen run's model, loaded in a thread
        self.loader.loaded.connect(self._model_ready)
        self.loader.failed.connect(self._model_failed)
        self.loader.measuring.connect(self._model_measuring)
        self._best_id: str | None = None  # the run "Best run" stands for
        self._files: list[Path] = []  # model files opened from elsewhere ("Open a model file…"), their rows kept
        self._choice = None  # the Model box's row before: chosen again when opening a file is cancelled
        self._failure_said = ""  # the last model's failure said in the status bar, cleared once a model loads
        self.pictures = LatestTask(self)  # the dropped, pasted or opened pictures being predicted (its thread)
        self.pictures.progress.connect(self._progress)
        self.pictures.succeeded.connect(self._arrived)
        self.pictures.errored.connect(self._failed)
        self.pictures.ended.connect(self._thread_done)
        self._batch = 0  # raised by Clear and a change of model: what a thread of before brings back is dropped
        self._queue: list[list[Path]] = []  # drops waiting for the model or for the drop before
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

        # -- top bar: the Model box and the buttons ---------------------------------------------------------
        self.top = ModelBar()
        self.model_combo, self.open_button = self.top.model_combo, self.top.open_button
        self.paste_button, self.folder_button, self.export_button = (self.top.paste_button, self.top.folder_button,
                                                                     self.top.export_button)
        self.model_combo.activated.connect(lambda _i: self._model_chosen())
        self.open_button.clicked.connect(self._open_dialog)
        self.paste_button.clicked.connect(self.paste)
        self.folder_button.clicked.connect(self._folder_dialog)
        self.export_button.clicked.connect(self.open_export)

        # -- pictures tab: list + detail ----------------------------------------------------------------
        self.column = PictureColumn()  # the list, the notes under it, the bar and Clear
        self.list, self.busy, self.clear_button = self.column.list, self.column.busy, self.column.clear_button
        self.refused_note, self.load_note = self.column.refused_note, self.column.load_note
        self.list.on_paths_dropped = self._dropped
        self.list.on_drop_refused = lambda _text: self.show_refused(self.list.refused)
        self.list.currentRowChanged.connect(self._show_row)
        self.clear_button.clicked.connect(self.clear)
        self.busy.cancel.connect(self.cancel_pictures)

        self.detail = PredictionView(self.cam_job)
        self.headline, self.picture, self.cam_note = self.detail.headline, self.detail.picture, self.detail.cam_note
        self.gradcam, self.bars = self.detail.gradcam, self.detail.bars
        self.gradcam.toggled.connect(lambda _on: self._show_row(self.list.currentRow()))
        self.detail.add_button.clicked.connect(
            lambda: self.add_to_dataset(self.list.currentRow(), self.detail.add_class.currentText()))
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.column)
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
            "whole folders into a spreadsheet, or export the model for other programs. A model exported from CNN "
            "Studio (here or on another computer) can be opened too.", "Go to Train",
            self.go_to_train, (OPEN_FILE_TEXT, self.open_model_file))
        self.body = QStackedWidget()
        self.body.addWidget(empty)
        self.body.addWidget(self.tabs)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(self.top)
        lay.addWidget(self.body, 1)
        QShortcut(QKeySequence.StandardKey.Paste, self, activated=self.paste)
        session.classes_changed.connect(self._fill_classes)
        self._fill_classes()
        self.refresh_runs()
        self._show_row(-1)

    # ================================================================== the model
    @property
    def thread(self) -> PictureThread | None:
        """The thread predicting dropped, pasted or opened pictures now (None: none)."""
        return self.pictures.thread

    @property
    def predictor(self):
        return self.loader.predictor

    @property
    def _predictor_key(self) -> str | None:
        return self.loader.key

    def refresh_runs(self) -> None:
        rows, self._best_id = model_entries(self.session.project, runs_with_model(self.session.project))
        rows += [file_row(f) for f in self._files]
        shown = rows or [(NO_MODEL_ROW, None)]  # not "Open a model file…" standing as if it were the model
        self.top.set_rows(shown + [(OPEN_FILE_TEXT, OPEN_FILE)], has_model=bool(rows))
        self._choice = self.model_combo.currentData()
        self._can_export()
        self.body.setCurrentIndex(1 if rows else 0)
        if self.isVisible() and not self._reload_changed():
            self._load_chosen()  # the best run may have changed: its model is loaded now, not at the next drop

    def _reload_changed(self) -> bool:
        """When the chosen run saved another model since its model was loaded (it trained on, or finished): load it
        again and predict every picture listed again with it, said in one line. False when it is the same."""
        run_id = self._chosen_run()
        if not self.loader.stale(run_id):
            return False
        self.loader.forget()
        chosen_file = file_path(run_id)
        run = find_run(self.session.project, run_id) if chosen_file is None else None
        if (run is not None or chosen_file) and (self.predictions or self.thread is not None or self._queue):
            self._message(file_changed_words(chosen_file) if chosen_file is not None
                          else changed_words(run.name, run.status == "running"))
        self._model_changed()
        return True

    def read_again(self, areas) -> None:
        """Another program changed the project: its runs (trained, finished, deleted from the command line) are the
        Model box's rows again (its classes come with the session's signal)."""
        if "runs" in areas:
            self.refresh_runs()

    def _chosen_run(self) -> str | None:
        return chosen_run(self.model_combo.currentData(), self._best_id)

    def _load_chosen(self) -> None:
        """Load the chosen run's model in a thread now (the page is shown, or another model was chosen)."""
        run_id = self._chosen_run()
        self.loader.want(run_id)
        if self.loader.loading():
            self.column.say_failed("")
        self._show_state()

    def _model_changed(self) -> None:
        """Every picture listed, being predicted or waiting is predicted again with the model chosen now (what the
        model of before still brings back is dropped), once it is loaded."""
        self._load_chosen()
        paths = [Path(p.path) for p in self.predictions if p.path]
        paths += (self.thread.paths if self.thread is not None else []) + [p for q in self._queue for p in q]
        if paths:
            self._empty()  # not clear(): the pasted pictures' files are predicted again
            self.predict_paths(paths)  # after the thread of before ends, when one runs

    def _model_ready(self, run_id: str) -> None:
        """The chosen model is loaded: the drops and the folder that waited for it are predicted."""
        if run_id != self._chosen_run():
            return
        self._show_state()
        bar = self.window().statusBar() if hasattr(self.window(), "statusBar") else None
        if bar is not None and self._failure_said and bar.currentMessage() == self._failure_said:
            bar.clearMessage()  # another model loaded: the failure of before is no longer news
        self._failure_said = ""
        if self.thread is None and self._queue:
            self.predict_paths(self._queue.pop(0))
        self._folder_model_ready()

    def _model_measuring(self, run_id: str, done: int, total: int) -> None:
        """A run used for the first time measures its hint while it loads: the bar says so, with how far."""
        if run_id == self._chosen_run() and self.thread is None and self.loader.loading():
            self.busy.measuring(MEASURING, done, total, waiting=bool(self._queue))

    def _model_failed(self, _run_id: str, said: str) -> None:
        """The chosen model could not be loaded: one sentence; the pictures that wait are said under it and predicted
        once a model loads (another chosen, this one trained again); Clear forgets them. A folder waits no more."""
        self._folder_model_failed(said)
        self.column.say_failed(said, [p for q in self._queue for p in q])
        self._show_state()
        self._message(said)
        self._failure_said = said
        self._forget_file(_run_id)

    def _show_state(self) -> None:
        """The bar under the list: the pictures' thread shows its own progress; else "Loading the model…" with a busy
        indicator while the model loads (Cancel when drops wait for it); else nothing."""
        if self.thread is not None:
            return
        if self.loader.loading():
            self.busy.loading(LOADING, waiting=bool(self._queue))
        else:
            self.busy.hide()

    def load_predictor(self, folder: bool = False):
        """The chosen run's Predictor, loaded now if it is not there yet (:meth:`.ModelLoader.get`; drops wait for the
        thread instead)."""
        return self.loader.get(self._chosen_run(), folder=folder)

    def ready_predictor(self):
        """The chosen run's Predictor when it is loaded, else None and it is on its way (``loaded`` / ``failed``
        follow on :attr:`loader`); raises RuntimeError without a trained model (the camera tab's question)."""
        run_id = self._chosen_run()
        if run_id is None:
            raise RuntimeError(NO_MODEL)
        predictor = self.loader.ready(run_id)
        if predictor is None:
            self._load_chosen()
        return predictor

    def bundle_path(self) -> Path | None:
        from ...project import run_records as index

        run_id = self._chosen_run()
        if file_path(run_id) is not None:
            return file_path(run_id)
        return index.run_dir(self.session.project, run_id) / index.MODEL_DIR if run_id else None

    # ================================================================== input
    def _dropped(self, accepted: list[Path], rejected: list[dict]) -> None:
        self.drop_time = time.perf_counter()
        self.show_refused(rejected)
        self.predict_paths(accepted)

    def paste(self) -> bool:
        got = clipboard_pictures(self.pasted)
        if got is None:
            return False
        self.show_refused([])
        paths, why = got
        if why:
            self._message(why)
            return False
        self.predict_paths(paths)
        return True

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
        """Predict files (folders are searched) in a thread, once the model is loaded; results are added to the
        list."""
        if not paths:
            return False
        run_id = self._chosen_run()
        if run_id is None:
            QMessageBox.warning(self, "No model to predict with", NO_MODEL)
            return False
        self._reload_changed()  # a model saved over since it was loaded: every picture is predicted with the new one
        predictor = self.loader.ready(run_id)
        if self.thread is not None or predictor is None:  # after the drop before, or once the model is loaded
            self._queue.append(list(paths))
            if predictor is None:
                self._load_chosen()
            return True
        self.column.say_failed("")
        self.busy.start()
        self._result = None
        work = picture_work(predictor, paths, screen_ratio())
        self.pictures.start(PictureThread(work, self._batch, paths, parent=self.pictures))
        return True

    def _progress(self, done: int, total: int, _message: str) -> None:
        self.busy.show_progress(done, total)

    def _arrived(self, got) -> None:
        self._got(got, self.pictures.thread.batch)

    def _failed(self, message: str, _tb: str) -> None:
        self._message(f"Prediction failed: {message}")

    def _got(self, got, batch: int) -> None:
        """The predictions and their thumbnails, in the GUI thread as soon as they are there (the thread is just
        ending); dropped when the list was cleared or the model changed since the batch started."""
        if batch != self._batch:
            return
        result, thumbs = got
        self._result = result
        first = len(self.predictions)
        self.predictions += result.predictions[:len(thumbs)]  # a row for each, with its thumbnail
        self.column.add_rows(result.predictions, thumbs)
        if result.cancelled:
            total = max(self.busy.bar.maximum(), len(result.predictions))
            self._message(cancelled_words(len(result.predictions), total))
        if result.skipped:
            self.show_refused(result.skipped, keep=True)
        if len(self.predictions) > first:
            self.list.setCurrentRow(first)

    def cancel_pictures(self) -> None:
        """Cancel: the pictures predicted so far are listed, the rest and the pictures waiting are not."""
        self._queue.clear()
        self.column.say_failed(self.column.failed)  # nothing waits for a model any more
        self.pictures.stop()  # the pictures it predicted so far still come (listed unless the list was cleared)
        self._show_state()

    def _thread_done(self, thread: PictureThread) -> None:
        dropped = thread.batch != self._batch  # cleared, or the model changed: nothing of it was listed
        self._show_state()
        result, self._result = self._result, None
        if self._queue:
            self.predict_paths(self._queue.pop(0))  # waits again while another model loads
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
        busy = self.thread is not None or self.folder_panel.busy  # they use the model now
        no_hint = self.loader.no_hint if self.loader.key == self._chosen_run() else ""  # why it cannot tell "unlike"
        self.detail.show_prediction(pred, model_busy=busy, no_hint=no_hint)
        if pred is not None:
            self.shown.emit(pred)

    def cam_job(self, path: str):
        """``(model, fn)``: the chosen run and how to make ``path``'s Grad-CAM map with it (in a thread)."""
        from ...engine.use.saliency import saliency

        run_id = self._chosen_run()
        cam_predictor = self.loader.cam_predictor(run_id)  # a copy of its own: predictions never wait for it

        def work(progress=None, cancel=None):
            return saliency(cam_predictor, path)

        return run_id, work

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
                item.setText(added_text(item.text(), name))

    # ================================================================== export
    def open_export(self):
        from .export_dialog import run_export_dialog

        run_id = self._chosen_run()
        if run_id is None or file_path(run_id) is not None:
            return None
        self.export_dialog = run_export_dialog(self.session.project, run_id, self)
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
        self._load_chosen()  # in a thread: the first picture dropped never waits for PyTorch on the window

    def shutdown(self) -> None:
        self._queue.clear()
        self.forget_waiting()
        self.pictures.stop()  # cancelled first: a Grad-CAM thread may wait for its model lock
        self.folder_panel.cancel()
        self.detail.shutdown()
        self.live.shutdown()
        self.pictures.shutdown()
        self.folder_panel.shutdown()
        if self.export_dialog is not None:
            self.export_dialog.done(0)
        self.importer.shutdown()
        self.loader.shutdown()
        self.pasted.clear()
