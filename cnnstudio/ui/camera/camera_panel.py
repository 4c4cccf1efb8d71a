"""The Data step's "Camera…" panel: collect pictures of a class from a webcam.

Hold the record button (or Space) and frames are kept at the chosen rate (:class:`.rules.BurstRate`) into a
staging folder in the project's cache; when it is let go the burst goes through the ordinary importer (content
hashed, thumbnailed, labelled, one transaction) in a thread, and lands on the undo stack as one action
(:class:`CameraBurstCommand`). A frame is stored as the camera sees it: never mirrored, optionally the centre
square. A disk that refuses stops the burst with a message; bursts already imported stay.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (QCheckBox, QDialog, QDoubleSpinBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout,
                               QWidget)

from ...project import import_paths
from ..model.params import ComboBox
from ..session import ProjectSession
from ..workers import TaskThread
from .frame_source import FrameSource
from .live_worker import frame_picture
from .preview import MIRROR_TIP, CameraPreview, SourceBar
from .rules import DEFAULT_RATE, BurstRate


class CameraBurstCommand(QUndoCommand):
    """Pictures a burst imported: undo moves them to the trash, redo brings them back (the import already ran)."""

    def __init__(self, session: ProjectSession, ids: list[int], class_name: str):
        super().__init__(f"Add {len(ids)} camera picture{'s' if len(ids) != 1 else ''} to {class_name}")
        self.s, self.ids, self._first = session, list(ids), True

    def redo(self):
        if self._first:
            self._first = False
        else:
            self.s.project.restore_images(self.ids)
        self.s.images_changed.emit()

    def undo(self):
        self.s.project.delete_images(self.ids)
        self.s.images_changed.emit()


class CameraPanel(QDialog):
    """Non-modal. ``burst_imported(report)`` after each burst's import (None if it failed)."""

    burst_imported = Signal(object)
    frame_saved = Signal(int)  # pictures kept in the burst so far

    def __init__(self, session: ProjectSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Collect pictures with the camera")
        self.session = session
        self.rate = BurstRate()
        self.recording = False
        self._shot = False
        self._burst: list[Path] = []
        self._burst_dir: Path | None = None
        self._waiting: list[tuple[Path, str]] = []  # bursts to import, in order
        self.importing: TaskThread | None = None
        self.saved_total = 0
        self._single = False

        self.bar = SourceBar()
        self.bar.started.connect(self._started)
        self.bar.stopped.connect(self._stopped)
        self.preview = CameraPreview()
        self.preview.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Space reaches keyPressEvent through it
        self.class_combo = ComboBox()
        self.class_combo.setEditable(True)
        self.class_combo.setToolTip("The class the pictures go into (type a new name to make a class)")
        self.class_combo.currentTextChanged.connect(lambda _t: self._update_counter())
        self.rate_spin = QDoubleSpinBox()
        self.rate_spin.setRange(0.5, 30)
        self.rate_spin.setValue(DEFAULT_RATE)
        self.rate_spin.setSuffix(" per second")
        self.rate_spin.setToolTip("How many pictures are kept each second while the record button is held")
        self.rate_spin.valueChanged.connect(lambda v: setattr(self.rate, "rate", v))
        self.crop = QCheckBox("Centre square")
        self.crop.setToolTip("Keep only the square in the middle of the picture (outlined in the preview)")
        self.crop.toggled.connect(lambda on: setattr(self.preview, "crop", on))
        self.mirror = QCheckBox("Mirror preview")
        self.mirror.setToolTip(MIRROR_TIP)
        self.mirror.toggled.connect(lambda on: setattr(self.preview, "mirror", on))
        self.record = QPushButton("● Hold to record (Space)")
        self.record.setToolTip("Keeps pictures while held down; let go to add them to the class")
        self.record.pressed.connect(self.start_recording)
        self.record.released.connect(self.stop_recording)
        self.shot = QPushButton("Take one picture")
        self.shot.clicked.connect(self.take_one)
        self.counter = QLabel()
        self.counter.setObjectName("cameraCounter")

        opts = QHBoxLayout()
        opts.addWidget(QLabel("Class"))
        opts.addWidget(self.class_combo, 1)
        opts.addWidget(QLabel("Rate"))
        opts.addWidget(self.rate_spin)
        opts.addWidget(self.crop)
        opts.addWidget(self.mirror)
        buttons = QHBoxLayout()
        buttons.addWidget(self.record, 2)
        buttons.addWidget(self.shot, 1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.bar)
        lay.addWidget(self.bar.message)
        lay.addWidget(self.preview, 1)
        lay.addLayout(opts)
        lay.addLayout(buttons)
        lay.addWidget(self.counter)
        self.resize(760, 640)
        session.classes_changed.connect(self._fill_classes)
        session.images_changed.connect(self._update_counter)
        self._fill_classes()
        self._set_enabled(False)

    # ------------------------------------------------------------------ the source
    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not self.bar.cameras and self.bar.source is None:
            self.bar.refresh()

    def _started(self, source: FrameSource) -> None:
        source.frame_ready.connect(self._frame)
        self._set_enabled(True)
        self.preview.setFocus()

    def _stopped(self) -> None:
        self.stop_recording()
        self._set_enabled(False)

    def _set_enabled(self, on: bool) -> None:
        self.record.setEnabled(on)
        self.shot.setEnabled(on)

    def _frame(self) -> None:
        source = self.bar.source
        frame = source.newest() if source is not None else None
        if frame is None:
            return
        self.preview.show_frame(frame.image)
        if self._shot or (self.recording and self.rate.keep(frame.t)):
            self._shot = False
            self._keep(frame)

    # ------------------------------------------------------------------ recording
    def _fill_classes(self) -> None:
        current = self.class_combo.currentText()
        self.class_combo.blockSignals(True)
        self.class_combo.clear()
        self.class_combo.addItems([c.name for c in self.session.project.classes()])
        if current:
            self.class_combo.setCurrentText(current)
        self.class_combo.blockSignals(False)
        self._update_counter()

    def _class_ok(self) -> bool:
        if self.class_combo.currentText().strip():
            return True
        self.bar.say("Choose or type the class the pictures show first.")
        return False

    def start_recording(self) -> None:
        if self.recording or self.bar.source is None or not self._class_ok():
            return
        self.rate.reset()
        self.recording = True
        self.record.setText("● Recording… let go to add them")

    def stop_recording(self) -> None:
        if not self.recording:
            return
        self.recording = False
        self.record.setText("● Hold to record (Space)")
        self._finish_burst()

    def take_one(self) -> None:
        if self.bar.source is not None and self._class_ok():
            self._shot = self._single = True  # the next frame; the burst ends with it

    def _keep(self, frame) -> None:
        if self._burst_dir is None:
            self._burst_dir = (self.session.project.root / "cache" / "camera" /
                               f"burst-{time.strftime('%Y%m%d-%H%M%S')}-{int(time.time() * 1000) % 1000:03d}")
        path = self._burst_dir / f"frame-{len(self._burst):05d}.png"
        try:
            self._burst_dir.mkdir(parents=True, exist_ok=True)
            frame_picture(frame, self.crop.isChecked()).save(path, compress_level=1)
        except OSError as e:
            self.bar.say(f"The picture could not be saved ({e.strerror or e}). Pictures already added are kept.")
            self.recording = False
            self.record.setText("● Hold to record (Space)")
            self._finish_burst()
            return
        self._burst.append(path)
        self.frame_saved.emit(len(self._burst))
        self._update_counter()
        if self._single:
            self._single = False
            self._finish_burst()

    def _finish_burst(self) -> None:
        folder, self._burst_dir = self._burst_dir, None
        files, self._burst = self._burst, []
        if folder is not None and files:
            self._waiting.append((folder, self.class_combo.currentText().strip(), files))
            self._import_next()

    def _import_next(self) -> None:
        if self.importing is not None or not self._waiting:
            return
        _folder, name, files = self._waiting[0]
        self.importing = TaskThread(import_paths, self.session.project, files, class_name=name, parent=self)
        self.importing.succeeded.connect(self._imported)
        self.importing.errored.connect(lambda msg, _tb: self._import_failed(msg))
        self.importing.finished.connect(self._import_done)
        self.importing.start()

    def _imported(self, report) -> None:
        folder, name, _files = self._waiting[0]
        if report.imported:
            self.session.undo_stack.push(CameraBurstCommand(self.session, report.imported, name))
        self.session.classes_changed.emit()
        self.saved_total += len(report.imported)
        shutil.rmtree(folder, ignore_errors=True)  # imported (or already there): the staging copy goes
        self.burst_imported.emit(report)

    def _import_failed(self, message: str) -> None:
        self.bar.say(f"The pictures could not be added: {message}. They wait in {self._waiting[0][0]}.")
        self.burst_imported.emit(None)

    def _import_done(self) -> None:
        self.importing.deleteLater()
        self.importing = None
        self._waiting.pop(0)
        self._update_counter()
        self._import_next()

    def _update_counter(self) -> None:
        name = self.class_combo.currentText().strip()
        info = self.session.project.class_by_name(name) if name else None
        have = sum(self.session.counts().get(info.id, {}).values()) if info else 0
        pending = len(self._burst)
        text = f"{name}: {have} picture{'s' if have != 1 else ''}" if name else "Choose a class"
        self.counter.setText(text + (f" (+{pending} being recorded)" if pending else ""))

    # ------------------------------------------------------------------ keys and closing
    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Space:
            if not event.isAutoRepeat():
                self.start_recording()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Space:
            if not event.isAutoRepeat():
                self.stop_recording()
            return
        super().keyReleaseEvent(event)

    def busy(self) -> bool:
        return self.importing is not None or bool(self._waiting)

    def shutdown(self) -> None:
        """Stop the camera; a burst being imported finishes first (nothing kept is lost)."""
        self.stop_recording()
        self.bar.stop()
        if self.importing is not None:
            self.importing.wait(60_000)
            from PySide6.QtCore import QCoreApplication

            QCoreApplication.sendPostedEvents()

    def closeEvent(self, event) -> None:  # noqa: N802
        self.stop_recording()
        self.bar.stop()
        super().closeEvent(event)

    def reject(self) -> None:
        self.stop_recording()
        self.bar.stop()
        super().reject()
