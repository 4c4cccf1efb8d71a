"""The Train step: settings, Start / Pause / Stop, live plots, and the runs of the project.

Training is :func:`cnnstudio.engine.runs.run` — the very generator ``cnnstudio train`` iterates — in a
child process (:mod:`cnnstudio.engine.child_run`), whose events a :class:`TrainingThread` iterates. The
run is created here first (bad input is reported before any process starts). Each event arrives here
as a signal and is appended to the plots' lists; the plots redraw from a ~10 Hz timer. Stop sets the
stop event, which reaches the trainer in the child; closing the project stops the run and waits for the
thread.
"""

from __future__ import annotations

import json
import math
import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QCheckBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QMessageBox,
                               QPushButton, QScrollArea, QSplitter, QVBoxLayout, QWidget)

from ...project import ImageFilter
from ..model.params import ComboBox, DoubleSpinBox, SpinBox
from .live_text import LiveText, progress_bar, set_progress
from ..session import ProjectSession
from .plots import TrainingPlots
from .runs_panel import RunsPanel
from .worker import TrainingThread

META_SETTINGS = "train_settings"
OPTIMIZERS = (("adamw", "AdamW (recommended)"), ("adam", "Adam"), ("sgd", "SGD with momentum"))
SCHEDULES = (("one_cycle", "One-cycle (recommended)"), ("cosine", "Cosine decay"), ("constant", "Constant"))
AUTO_SPLIT = (70, 15, 15)


def clock(seconds: float) -> str:
    if not isinstance(seconds, (int, float)) or not math.isfinite(seconds) or seconds < 0:
        return "–"
    s = int(round(seconds))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


class TrainPage(QWidget):
    run_ended = Signal(object)  # the last event (RunFinished / RunStopped / RunFailed) or None; the thread has ended
    runs_changed = Signal()
    go_to_model = Signal()

    def __init__(self, session: ProjectSession, designer, parent=None):
        super().__init__(parent)
        from ...engine.device import list_devices
        from ...engine.recipes import default_settings

        self.session = session
        self.designer = designer
        self.thread: TrainingThread | None = None
        self.run_id: str | None = None
        self.last_event = None
        self._defaults = default_settings()
        self._t0 = 0.0
        self._paused_since: float | None = None
        self._paused_total = 0.0
        self._progress = (0, 1)  # batches done, batches planned (this session)
        self._epochs = 0
        self._best_text = ""
        self._ips = math.nan
        self._data_reason: str | None = None
        self._start_epoch, self._epoch_text = 1, ""

        # -- settings form ---------------------------------------------------------------------------
        self.epochs = SpinBox()
        self.epochs.setRange(0, 10000)
        self.epochs.setSpecialValueText("Auto (about a minute)")
        self.epochs.setToolTip("How many times the network sees every training picture. Auto picks a number that "
                               "trains in about a minute on this computer.")
        self.batch_size = SpinBox()
        self.batch_size.setRange(2, 4096)
        self.batch_size.setToolTip("Pictures per training step. Larger is faster per picture but needs more "
                                   "memory; halve it if memory runs out.")
        self.optimizer = ComboBox()
        for k, v in OPTIMIZERS:
            self.optimizer.addItem(v, k)
        self.optimizer.setToolTip("How the weights are changed after each step")
        self.lr = DoubleSpinBox()
        self.lr.setDecimals(5)
        self.lr.setRange(0.00001, 10.0)
        self.lr.setSingleStep(0.0005)
        self.lr.setToolTip("How big the changes are (the peak value for one-cycle). Lower it if the loss "
                           "jumps around or becomes NaN.")
        self.schedule = ComboBox()
        for k, v in SCHEDULES:
            self.schedule.addItem(v, k)
        self.schedule.setToolTip("How the learning rate changes during training")
        self.weight_decay = DoubleSpinBox()
        self.weight_decay.setDecimals(5)
        self.weight_decay.setRange(0, 1)
        self.weight_decay.setSingleStep(0.0001)
        self.weight_decay.setToolTip("Pulls weights towards zero: a little helps against overfitting")
        self.label_smoothing = DoubleSpinBox()
        self.label_smoothing.setDecimals(2)
        self.label_smoothing.setRange(0, 0.5)
        self.label_smoothing.setSingleStep(0.05)
        self.label_smoothing.setToolTip("Loss: aim for 90% instead of 100% certainty (0.1), so the network is less "
                                        "overconfident")
        self.balanced = QCheckBox("Balance classes")
        self.balanced.setToolTip("Loss: count pictures of rare classes more, so a class with few pictures is not "
                                 "ignored")
        self.patience = SpinBox()
        self.patience.setRange(0, 1000)
        self.patience.setSpecialValueText("Off")
        self.patience.setSuffix(" epochs")
        self.patience.setToolTip("Stop early when the validation score has not improved for this many epochs")
        self.seed = SpinBox()
        self.seed.setRange(0, 2_000_000_000)
        self.seed.setToolTip("The same seed and settings give the same run")
        self.device = ComboBox()
        self.device.addItem("Automatic (the fastest available)", "auto")
        for dev in list_devices():
            self.device.addItem(dev.name, dev.id)
        self.device.setToolTip("Where to train: a graphics card is much faster than the processor")
        self.run_name = QLineEdit()
        self.run_name.setPlaceholderText("optional")
        self.recommended = QPushButton("Recommended settings")
        self.recommended.clicked.connect(self.reset_settings)
        form = QFormLayout()
        form.addRow("Epochs", self.epochs)
        form.addRow("Batch size", self.batch_size)
        form.addRow("Optimizer", self.optimizer)
        form.addRow("Learning rate", self.lr)
        form.addRow("Schedule", self.schedule)
        form.addRow("Weight decay", self.weight_decay)
        form.addRow("Label smoothing", self.label_smoothing)
        form.addRow("", self.balanced)
        form.addRow("Early stopping", self.patience)
        form.addRow("Seed", self.seed)
        form.addRow("Device", self.device)
        form.addRow("Run name", self.run_name)
        form.addRow(self.recommended)
        box = QGroupBox("Training settings")
        box.setLayout(form)
        note = QLabel("Picture size, augmentation and the network are set on the Model page.")
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(placeholder-text);")
        settings_widget = QWidget()
        sl = QVBoxLayout(settings_widget)
        sl.setContentsMargins(0, 0, 0, 0)
        sl.addWidget(box)
        sl.addWidget(note)
        sl.addStretch(1)
        settings_scroll = QScrollArea()
        settings_scroll.setWidgetResizable(True)
        settings_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        settings_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        settings_scroll.setWidget(settings_widget)
        settings_scroll.setMinimumWidth(settings_widget.minimumSizeHint().width()
                                        + settings_scroll.verticalScrollBar().sizeHint().width() + 4)

        # -- controls -----------------------------------------------------------------------------------
        self.start_button = QPushButton("▶  Start")
        self.start_button.setToolTip("Train a new model with these settings")
        self.start_button.setStyleSheet("font-weight: bold; padding: 4px 16px;")
        self.start_button.clicked.connect(self.start)
        self.pause_button = QPushButton("Pause")
        self.pause_button.setCheckable(True)
        self.pause_button.setToolTip("Pause after this batch; press again to continue")
        self.pause_button.toggled.connect(self.set_paused)
        self.stop_button = QPushButton("■  Stop")
        self.stop_button.setToolTip("Stop after this batch; the best model so far is kept and the run can be "
                                    "resumed")
        self.stop_button.clicked.connect(self.stop)
        self.progress = progress_bar()  # not animated by the platform style (see live_text.py)
        self.status = QLabel("Ready.")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.stats = LiveText("")  # changes ten times a second: repaints itself only (see live_text.py)
        self.blocked = QLabel()
        self.blocked.setWordWrap(True)
        self.blocked.setTextFormat(Qt.TextFormat.RichText)
        self.blocked.setStyleSheet("background: #fdecea; color: #78281f; padding: 6px; border-radius: 4px;")
        self.blocked.linkActivated.connect(self._link)
        self.failure = QLabel()
        self.failure.setWordWrap(True)
        self.failure.setTextFormat(Qt.TextFormat.RichText)
        self.failure.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.failure.setStyleSheet("background: #fdecea; color: #78281f; padding: 6px; border-radius: 4px;")
        self.failure.linkActivated.connect(self._link)
        self.failure.hide()
        self._failure_details = ""
        controls = QHBoxLayout()
        controls.addWidget(self.start_button)
        controls.addWidget(self.pause_button)
        controls.addWidget(self.stop_button)
        controls.addWidget(self.progress, 1)
        self.plots = TrainingPlots()
        self.plots.timer.timeout.connect(self._tick)
        self.runs = RunsPanel(session)
        self.runs.selection_changed.connect(self._overlay_runs)
        self.runs.resume_requested.connect(self.resume)
        self.runs.runs_changed.connect(self.runs_changed)

        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addLayout(controls)
        tl.addWidget(self.blocked)
        tl.addWidget(self.failure)
        tl.addWidget(self.status)
        tl.addWidget(self.stats)
        tl.addWidget(self.plots, 1)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(top)
        right.addWidget(self.runs)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(settings_scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([340, 1000])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(splitter)

        self._load_settings()
        for w in (self.epochs, self.batch_size, self.lr, self.weight_decay, self.label_smoothing, self.patience,
                  self.seed):
            w.valueChanged.connect(self._save_settings)
        for w in (self.optimizer, self.schedule, self.device):
            w.currentIndexChanged.connect(self._save_settings)
        self.balanced.toggled.connect(self._save_settings)
        designer.validity_changed.connect(self._update_buttons)
        for sig in (session.labels_changed, session.classes_changed, session.images_changed, session.splits_changed):
            sig.connect(self._data_changed)
        self._stale = True
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(300)
        self._refresh_timer.timeout.connect(self._refresh)
        self._update_buttons()

    # ================================================================== settings
    def reset_settings(self) -> None:
        d = self._defaults
        self._set_form({"epochs": d.epochs, "batch_size": d.batch_size, "optimizer": d.optimizer, "lr": d.lr,
                        "schedule": d.schedule, "weight_decay": d.weight_decay,
                        "label_smoothing": d.label_smoothing, "class_weights": d.class_weights,
                        "early_stopping_patience": d.early_stopping_patience, "seed": d.seed, "device": "auto"})
        self._save_settings()

    def _set_form(self, v: dict) -> None:
        d = self._defaults
        self.epochs.setValue(int(v.get("epochs", d.epochs)))
        self.batch_size.setValue(int(v.get("batch_size", d.batch_size)))
        self.optimizer.setCurrentIndex(max(0, self.optimizer.findData(v.get("optimizer", d.optimizer))))
        self.lr.setValue(float(v.get("lr", d.lr)))
        self.schedule.setCurrentIndex(max(0, self.schedule.findData(v.get("schedule", d.schedule))))
        self.weight_decay.setValue(float(v.get("weight_decay", d.weight_decay)))
        self.label_smoothing.setValue(float(v.get("label_smoothing", d.label_smoothing)))
        self.balanced.setChecked(v.get("class_weights", d.class_weights) == "balanced")
        self.patience.setValue(int(v.get("early_stopping_patience", d.early_stopping_patience)))
        self.seed.setValue(int(v.get("seed", d.seed)))
        self.device.setCurrentIndex(max(0, self.device.findData(v.get("device", "auto"))))

    def form_values(self) -> dict:
        return {"epochs": self.epochs.value(), "batch_size": self.batch_size.value(),
                "optimizer": self.optimizer.currentData(), "lr": self.lr.value(),
                "schedule": self.schedule.currentData(), "weight_decay": self.weight_decay.value(),
                "label_smoothing": self.label_smoothing.value(),
                "class_weights": "balanced" if self.balanced.isChecked() else "none",
                "early_stopping_patience": self.patience.value(), "seed": self.seed.value(),
                "device": self.device.currentData()}

    def _load_settings(self) -> None:
        raw = self.session.project.meta(META_SETTINGS)
        try:
            values = json.loads(raw) if raw else {}
        except ValueError:
            values = {}
        self._set_form(values if isinstance(values, dict) else {})

    def _save_settings(self, *_) -> None:
        text = json.dumps(self.form_values(), sort_keys=True)
        if self.session.project.meta(META_SETTINGS) != text:
            self.session.project.set_meta(META_SETTINGS, text)

    def settings(self):
        """TrainSettings from the form, the design's preprocessing and augmentation (raises SettingsError)."""
        return self._defaults.replace(**self.form_values(), augment=self.designer.augment(),
                                      preprocess=self.designer.preprocess())

    # ================================================================== what may start
    @property
    def running(self) -> bool:
        return self.thread is not None

    def _data_changed(self, *_) -> None:
        self._stale = True
        if self.isVisible():
            self._refresh_timer.start()  # a burst of labelling is checked once

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self._refresh()

    def _refresh(self) -> None:
        self._refresh_timer.stop()
        self._stale = False
        self._data_reason = self._check_data()
        if not self.running:
            self.runs.refresh()
        self._update_buttons()

    def _needs_split(self) -> bool:
        """Labelled pictures, none of them split yet: Start splits them 70/15/15 first (as the CLI does)."""
        p = self.session.project
        if any(p.count(ImageFilter(split=s)) for s in ("train", "val", "test")):
            return False
        return any(r.class_id is not None for r in p.records(p.ids(ImageFilter(split="none"))))

    def _check_data(self) -> str | None:
        """Why the project's pictures cannot be trained on, in the engine's words; None when they can.
        Also tells the runs list the data's fingerprint now (for "the data changed since...")."""
        from ...engine.data import check_trainable, dataset_entries, fingerprint
        from ...engine.errors import EngineError

        names, entries = dataset_entries(self.session.project)
        self.runs.set_fingerprint(fingerprint(entries))
        if self._needs_split():
            return None
        try:
            check_trainable(names, entries)
        except EngineError as e:
            return f"{str(e)[0].upper()}{str(e)[1:]} (on the <a href='data'>Data page</a>)."
        return None

    def reason(self) -> str:
        """Why Start is disabled ("" when it is not)."""
        if not self.designer.is_valid():
            return (f"{self.designer.reason()} — fix it on the <a href='model'>Model page</a>.")
        if self._data_reason:
            return self._data_reason
        return ""

    def _update_buttons(self, *_) -> None:
        running = self.running
        reason = "" if running else self.reason()
        self.start_button.setEnabled(not running and not reason)
        self.start_button.setToolTip(reason or "Train a new model with these settings")
        self.blocked.setText(f"Training cannot start yet. {reason}" if reason else "")
        self.blocked.setVisible(bool(reason))
        self.pause_button.setEnabled(running)
        self.stop_button.setEnabled(running)
        for w in (self.epochs, self.batch_size, self.optimizer, self.lr, self.schedule, self.weight_decay,
                  self.label_smoothing, self.balanced, self.patience, self.seed, self.device, self.run_name,
                  self.recommended):
            w.setEnabled(not running)

    def _link(self, target: str) -> None:
        if target == "model":
            self.go_to_model.emit()
        elif target == "data":
            w = self.window()
            if hasattr(w, "workspace") and w.workspace is not None:
                w.workspace.show_step(0)
        elif target == "details":
            QMessageBox.information(self, "Details of the failure", self._failure_details or "(none)")

    # ================================================================== start / pause / stop
    def start(self) -> bool:
        """Start a new run with the form's settings and the Model page's design. False when it cannot."""
        from ...engine import runs
        from ...engine.child_run import run_in_child
        from ...engine.errors import EngineError

        if not self.running:
            self.plots.free_x()
        if self.running:
            return False
        self._refresh()
        reason = self.reason()
        if reason:
            self._show_failure("Training cannot start.", reason)
            return False
        if self._needs_split():
            self.session.split(AUTO_SPLIT, 0, False, False)
            s = self.session.summary()["splits"]
            self._message(f"The labelled pictures were split first: train {s['train']}, validation {s['val']}, "
                          f"test {s['test']} (change it on the Data page; Ctrl+Z undoes it).")
        try:
            settings = self.settings()
            spec = self.designer.spec()
        except EngineError as e:
            self._show_failure("These settings cannot be used.", str(e))
            return False
        project, name = self.session.project, self.run_name.text().strip()

        def make(stop, pause, paused):  # in the training thread: bad input raises here, before any process starts
            run_id = runs.create_run(project, settings, spec, name=name)
            return run_in_child(project, run_id, stop=stop, pause=pause, paused=paused)

        self.plots.reset()
        self.plots.set_lr_peak(settings.lr)
        self._start_thread(make)
        return True

    def resume(self, run_id: str) -> bool:
        from ...engine import runs
        from ...engine.child_run import run_in_child

        if self.running:
            return False
        info = self.runs.run_info(run_id)
        project = self.session.project

        def make(stop, pause, paused):
            return run_in_child(project, run_id, resume=True, stop=stop, pause=pause, paused=paused)

        self.plots.reset()
        lr = (info.config.get("settings") or {}).get("lr") if info else None
        if isinstance(lr, (int, float)):
            self.plots.set_lr_peak(lr)
        self.plots.load_history(runs.read_metrics(project, run_id),
                                info.summary.get("best_epoch") if info else None)
        self._start_thread(make)
        return True

    def _start_thread(self, make) -> None:
        self.failure.hide()
        self.last_event = None
        self.run_id = None
        self._t0 = time.monotonic()
        self._paused_total, self._paused_since = 0.0, None
        self._progress, self._epochs, self._best_text, self._ips = (0, 1), 0, "", math.nan
        self._start_epoch, self._epoch_text = 1, ""
        self.progress.setRange(0, 0)
        self.status.setText("Starting…")
        self.stats.setText("")
        self.thread = TrainingThread(make, self)
        self.thread.event.connect(self._on_event)
        self.thread.crashed.connect(self._on_crash)
        self.thread.finished.connect(self._thread_done)
        self.pause_button.setChecked(False)
        self.runs.busy_run = None
        self.thread.start()
        self.plots.start()
        self._update_buttons()

    def set_paused(self, on: bool) -> None:
        if self.thread is None:
            return
        self.thread.set_paused(on)
        self.pause_button.setText("Continue" if on else "Pause")
        if on:
            self.status.setText("Pausing after this batch…")
        elif self._paused_since is not None:
            self._paused_total += time.monotonic() - self._paused_since
            self._paused_since = None

    def stop(self) -> None:
        if self.thread is not None:
            self.thread.request_stop()
            self.status.setText("Stopping after this batch…")
            self.pause_button.setChecked(False)

    def shutdown(self) -> None:
        """The project closes: stop a run and wait for the thread (the last checkpoint stays resumable)."""
        if self.thread is not None:
            self.thread.stop_and_wait()
            self._thread_done()
        self.plots.stop()

    # ================================================================== events (GUI thread)
    def _on_event(self, ev) -> None:
        from ...engine import events as E

        self.last_event = ev
        if isinstance(ev, E.BatchEnd):
            self.plots.add_batch(ev)
            done = (ev.epoch - self._start_epoch) * ev.batches + ev.batch
            self._progress = (done, self._progress[1])
            self._ips = ev.images_per_second
            self._epoch_text = f"Epoch {ev.epoch} of {self._epochs}, batch {ev.batch} of {ev.batches}"
        elif isinstance(ev, E.EpochEnd):
            self.plots.add_epoch_event(ev)
            if ev.is_best:
                acc = ev.val_accuracy if math.isfinite(ev.val_accuracy) else ev.train_accuracy
                which = "validation" if math.isfinite(ev.val_accuracy) else "training"
                self._best_text = f"best epoch {ev.epoch} ({which} accuracy {acc:.1%})"
        elif isinstance(ev, E.DataProgress):
            self.progress.setRange(0, max(1, ev.total))
            self.progress.setValue(ev.done)
            self.status.setText(f"Preparing the pictures: {ev.done:,} of {ev.total:,}")
        elif isinstance(ev, E.RunStarted):
            self.run_id = ev.run_id
            self.runs.busy_run = ev.run_id
            self._epochs = ev.epochs
            self._start_epoch = ev.start_epoch
            total = (ev.epochs - ev.start_epoch + 1) * ev.batches_per_epoch
            self._progress = (0, max(1, total))
            self._t0 = time.monotonic()
            self._epoch_text = f"Epoch {ev.start_epoch} of {ev.epochs}"
            self.plots.set_epochs(ev.epochs)
            self.progress.setRange(0, max(1, total))
            self.progress.setValue(0)
            self.status.setText(f"Training on {ev.device}: {ev.train_images:,} training and {ev.val_images:,} "
                                f"validation pictures, {ev.parameters:,} parameters.")
            self.runs.refresh()
            self.runs_changed.emit()
        elif isinstance(ev, E.RunFinished):
            test = f", test accuracy {ev.test_accuracy:.1%}" if math.isfinite(ev.test_accuracy) else ""
            val = f", validation accuracy {ev.best_val_accuracy:.1%}" if math.isfinite(ev.best_val_accuracy) else ""
            early = " (stopped early: no more progress)" if ev.reason == "early_stopping" else ""
            self.status.setText(f"Finished{early}: best epoch {ev.best_epoch} of {ev.epochs}{val}{test}, "
                                f"{ev.images_per_second:,.0f} pictures/s. The Evaluate and Predict pages use it now.")
        elif isinstance(ev, E.RunStopped):
            kept = (f"the model of epoch {ev.best_epoch} is kept" if ev.best_epoch else
                    "no epoch was finished, so there is no model")
            self.status.setText(f"Stopped after epoch {ev.epoch}: {kept}. “Resume” continues the run.")
        elif isinstance(ev, E.RunFailed):
            self._show_failure(f"Training failed: {ev.reason}.", ev.advice, ev.details)
            self.status.setText("Training failed.")

    def _tick(self) -> None:
        """~10 Hz while running: the numbers under the buttons (the plots flush on the same timer)."""
        if self.thread is None:
            return
        now = time.monotonic()
        if self.thread.paused_event.is_set():
            if self._paused_since is None:
                self._paused_since = now
            self.status.setText("Paused. Press Continue to go on.")
        paused = self._paused_total + (now - self._paused_since if self._paused_since is not None else 0.0)
        elapsed = now - self._t0 - paused
        done, total = self._progress
        if self.run_id is None:
            return
        set_progress(self.progress, done)
        eta = elapsed / done * (total - done) if done >= 3 else math.nan
        parts = [self._epoch_text, f"{self._ips:,.0f} pictures/s" if math.isfinite(self._ips) else "",
                 f"elapsed {clock(elapsed)}", f"about {clock(eta)} left" if math.isfinite(eta) and done < total else "",
                 self._best_text]
        self.stats.setText(" · ".join(p for p in parts if p))

    def _on_crash(self, message: str, tb: str) -> None:
        self._show_failure(f"Training could not start: {message}", "", tb)
        self.status.setText("Training did not start.")

    def _show_failure(self, what: str, advice: str = "", details: str = "") -> None:
        self._failure_details = details
        text = f"<b>{what}</b>"
        if advice:
            text += f"<br>{advice[0].upper() + advice[1:]}{'' if advice.endswith('.') else '.'}"
        if details:
            text += " <a href='details'>Details…</a>"
        self.failure.setText(text)
        self.failure.show()

    def _message(self, text: str) -> None:
        w = self.window()
        if hasattr(w, "statusBar"):
            w.statusBar().showMessage(text, 8000)

    def _thread_done(self) -> None:
        if self.thread is None:
            return
        self._tick()
        self.thread.deleteLater()
        self.thread = None
        self.runs.busy_run = None
        self.plots.stop()
        self.pause_button.setChecked(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(1 if self.last_event is not None and type(self.last_event).__name__ == "RunFinished"
                               else 0)
        self._refresh()
        if self.run_id:
            self.runs.select([self.run_id])
        self._update_buttons()
        self.runs_changed.emit()
        self.run_ended.emit(self.last_event)

    # ================================================================== comparing runs
    def _overlay_runs(self, run_ids: list[str]) -> None:
        from ...engine import runs
        from ...engine.errors import EngineError

        if self.running:
            return
        chosen = [r for r in run_ids if r != self.run_id][:2]  # the run just trained is on the plots already
        for slot in range(2):
            if slot < len(chosen):
                info = self.runs.run_info(chosen[slot])
                try:
                    metrics = runs.read_metrics(self.session.project, chosen[slot])
                except (EngineError, OSError):
                    metrics = []
                self.plots.set_overlay(slot, info.name if info else chosen[slot], metrics)
            else:
                self.plots.set_overlay(slot, None, [])
