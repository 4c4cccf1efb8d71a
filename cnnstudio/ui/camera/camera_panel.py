"""The Data step's "Camera…" panel: collect pictures of a class from a webcam.

Hold the record button (or Space) and frames are kept at the chosen rate (:class:`.rules.BurstRate`) into a
staging folder in the project's cache, saved and hashed in a thread of their own (:class:`.frame_writer.FrameWriter`,
in order), so the live picture never waits for the PNG encoder. Each saved frame is a pending picture
(:class:`.rules.PendingPictures`): the Data page's gallery shows it (``frame_kept``) and the counter counts it, while
the database is not touched.
When the button is let go the burst goes through the ordinary importer (content hashed, thumbnailed, labelled) in
a thread, all its rows in one transaction (``one_transaction``), and lands on the undo stack as one action
(:class:`CameraBurstCommand`); then its pending pictures are settled (``burst_settled``) and the imported rows
take their place. A frame is stored as the camera sees it: never mirrored, optionally the centre square. A camera
that stops or errors, or a window closed, mid-burst ends the burst the same way (what was kept is imported). A
disk that refuses stops the burst with a message; bursts already imported stay.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...project import import_paths
from ...project.splits import split_for_added
from ...project.counting import counted
from ...project.errors import ProjectError
from ...project.importer import CAMERA_STAGING
from ...project.importer import in_project
from ..elided_label import ElidedLabel
from ..keyboard import types_text
from ..model.params import ComboBox
from ..read_only_words import read_only_note
from ..sentence import sentence
from ..session import ProjectSession
from ..workers import TaskThread
from .burst_command import CameraBurstCommand
from .frame_source import FrameSource
from .frame_writer import Burst, FrameWriter, Written
from .preview import MIRROR_TIP, CameraPreview, SourceBar
from .rate_box import RateBox
from .rules import DEFAULT_RATE, NO_SPLIT_NOTE, BurstRate, PendingPictures, burst_words

RECORD_TIP = "Keeps pictures while held down; let go to add them to the class."
SHOT_TIP = "Keeps the next picture the camera sends and adds it to the class."
LET_GO_MS = 60  # how long after Space is let go the burst ends, if Space is not down again by then
IDLE_WORDS = "● Hold to record (Space)"
READ_ONLY_DOING = "add pictures from the camera"  # "… so CNN Studio cannot add pictures from the camera: …"


class CameraPanel(QDialog):
    """Non-modal. ``burst_imported(report)`` after each burst's import (None if it failed)."""

    burst_imported = Signal(object)
    frame_saved = Signal(int)  # pictures kept in the burst so far
    frame_kept = Signal(object, QImage)  # a PendingPicture (in ``pending``) and the frame as stored
    burst_settled = Signal(int)  # a burst's import is over: its pending pictures are gone from ``pending``
    status = Signal(str)  # a sentence for the main window's status bar (what a burst added, and how to undo it;
    # "" once that burst is undone: _undo_moved)

    def __init__(self, session: ProjectSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Collect pictures with the camera")
        self.session = session
        self.rate = BurstRate()
        self.recording = False
        self._shot = False
        self._name_said = ""  # the name's refusal the panel says, while it is typed
        # Space let go ends the burst a moment later: a key repeat a busy system delivers as a release and a press
        # (X11 does) is then one burst, not two
        self._let_go = QTimer(self)
        self._let_go.setSingleShot(True)
        self._let_go.setInterval(LET_GO_MS)
        self._let_go.timeout.connect(self.stop_recording)
        self._burst: Burst | None = None  # the one being recorded
        self.writer = FrameWriter(self)  # saves and hashes the frames kept, off the GUI thread, in order
        self.writer.written.connect(self._written)
        self.pending = PendingPictures()  # kept, not imported yet: the gallery shows them, the counter counts them
        # bursts to import, in order: staging folder, class name, files, burst, split
        self._waiting: list[tuple[Path, str, list[Path], int, str | None]] = []
        self._failed: list[tuple[Path, str, list[Path], int]] = []  # bursts whose import failed: Try again
        self.importing: TaskThread | None = None
        self.saved_total = 0
        self._unsplit: list[int] = []  # pictures bursts added that have no split yet (NO_SPLIT_NOTE while any)
        self._said: CameraBurstCommand | None = None  # the burst the status bar was last told of (_undo_moved)
        self._single = False

        self.bar = SourceBar()
        self.bar.started.connect(self._started)
        self.bar.stopped.connect(self._stopped)
        self.preview = CameraPreview()
        self.preview.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # a place for the focus that is not a text field
        self.class_combo = ComboBox()
        self.class_combo.setEditable(True)
        self.class_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.class_combo.setMinimumContentsLength(10)  # a long class name in the list does not widen the panel
        self.class_combo.setToolTip("The class the pictures go into (type a new name to make a class).")
        self.class_combo.currentTextChanged.connect(self._class_typed)
        self.rate_spin = RateBox(DEFAULT_RATE)  # "5 pictures a second": whole numbers, and 0.5
        self.rate_spin.valueChanged.connect(lambda v: setattr(self.rate, "rate", v))
        self.crop = QCheckBox("Centre square")
        self.crop.setToolTip("Keep only the square in the middle of the picture (outlined in the preview).")
        self.crop.toggled.connect(lambda on: setattr(self.preview, "crop", on))
        self.mirror = QCheckBox("Mirror preview")
        self.mirror.setToolTip(MIRROR_TIP)
        self.mirror.toggled.connect(lambda on: setattr(self.preview, "mirror", on))
        self.record = QPushButton(IDLE_WORDS)
        self.record.setToolTip(RECORD_TIP)
        self.record.pressed.connect(self.start_recording)
        self.record.released.connect(self.stop_recording)
        self.shot = QPushButton("Take one picture")
        self.shot.setToolTip(SHOT_TIP)
        self.shot.clicked.connect(self.take_one)
        self.retry = QPushButton("Try again")
        self.retry.setToolTip("Add the pictures that could not be added, once what stopped them is put right.")
        self.retry.clicked.connect(self.try_again)
        self.retry.setVisible(False)
        self.counter = ElidedLabel()  # a long class name ends in "…" (whole in the tooltip), never widens the panel
        self.counter.setObjectName("cameraCounter")
        self.note = QLabel()  # said once: why nothing can be recorded (a read-only project), or what to do next
        self.note.setWordWrap(True)
        self.note.setObjectName("cameraNote")

        opts = QHBoxLayout()
        opts.addWidget(QLabel("Class"))
        opts.addWidget(self.class_combo, 1)
        keep = QLabel("Keep")  # "Keep 5 pictures a second"
        keep.setBuddy(self.rate_spin)
        opts.addWidget(keep)
        opts.addWidget(self.rate_spin)
        opts.addWidget(self.crop)
        opts.addWidget(self.mirror)
        buttons = QHBoxLayout()
        buttons.addWidget(self.record, 2)
        buttons.addWidget(self.shot, 1)
        buttons.addWidget(self.retry)
        lay = QVBoxLayout(self)
        lay.addWidget(self.bar)
        lay.addWidget(self.bar.message)
        lay.addWidget(self.preview, 1)
        lay.addLayout(opts)
        lay.addLayout(buttons)
        lay.addWidget(self.counter)
        lay.addWidget(self.note)
        self._fit_screen()
        session.classes_changed.connect(self._fill_classes)
        session.images_changed.connect(self._update_counter)
        session.undo_stack.indexChanged.connect(self._undo_moved)
        for changed in (session.splits_changed, session.images_changed):
            changed.connect(self._update_split_note)
        self._fill_classes()
        self._set_enabled(False)
        self.note.setText(self._read_only())
        self.note.setVisible(bool(self.note.text()))
        for w in [self, *self.findChildren(QWidget)]:  # Space, wherever the focus is (eventFilter)
            w.installEventFilter(self)
        # the window's Edit > Undo and Redo (ui/data/data_page.py): "Ctrl+Z takes them out again" works here too,
        # and the window says what it undid
        self.addActions(list(getattr(parent, "undo_actions", ())))

    def _fit_screen(self) -> None:
        """760 x 640 where the screen has room, at most 90 % of what it leaves (a 1,024 x 614 screen too)."""
        screen = self.parentWidget().screen() if self.parentWidget() is not None else QGuiApplication.primaryScreen()
        room = screen.availableGeometry() if screen is not None else None
        if room is None or room.isEmpty():
            self.resize(760, 640)
        else:
            self.resize(min(760, room.width() * 9 // 10), min(640, room.height() * 9 // 10))

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
        self.preview.clear()  # no last frame left as if it were live: the preview says how to start again

    def _read_only(self) -> str:
        """Why nothing can be recorded into this project ("" when it can be written): said before, not after."""
        return read_only_note(self.session.project, READ_ONLY_DOING)

    def _set_enabled(self, on: bool) -> None:
        why = self._read_only()
        for button, tip in ((self.record, RECORD_TIP), (self.shot, SHOT_TIP)):
            button.setEnabled(on and not why)
            button.setToolTip(why or tip)

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

    def _name_problem(self, name: str) -> str:
        """Why a class cannot be made with this name ("" when it can, or when the class is there already): the rule
        Add class follows (project/names.py), in its words."""
        if not name.strip() or self.session.project.class_by_name(name.strip()) is not None:
            return ""
        try:
            self.session.project._check_name(name)
        except ProjectError as e:
            return sentence(str(e))
        return ""

    def _class_typed(self, name: str) -> None:
        """A name the rule refuses is said as it is typed, before anything is recorded; once put right, unsaid."""
        said, why = self.bar.message.text(), self._name_problem(name)
        if why or (said and said == self._name_said):
            self.bar.say(why)
        self._name_said = why
        self._update_counter()

    def _class_ok(self) -> bool:
        """Whether pictures can be recorded into the class chosen; if not, the panel says why."""
        why, name = self._read_only(), self.class_combo.currentText()
        if not why and not name.strip():
            why = "Choose or type the class the pictures show first."
        why = why or self._name_problem(name)
        self.bar.say(why)
        return not why

    def start_recording(self) -> None:
        if self.recording or self.bar.source is None or not self._class_ok():
            return
        self.rate.reset()
        self.recording = True
        self.record.setText("● Recording… let go to add them")

    def stop_recording(self) -> None:
        self._let_go.stop()
        if not self.recording:
            return
        self.recording = False
        self.record.setText(IDLE_WORDS)
        self._finish_burst()

    def take_one(self) -> None:
        if self.bar.source is not None and self._class_ok():
            self._shot = self._single = True  # the next frame; the burst ends with it

    def _keep(self, frame) -> None:
        burst = self._burst
        if burst is None:
            name = self.class_combo.currentText().strip()  # the burst's, whatever is chosen later
            folder = (self.session.project.root / CAMERA_STAGING /
                      f"burst-{time.strftime('%Y%m%d-%H%M%S')}-{int(time.time() * 1000) % 1000:03d}")
            split = split_for_added(self.session.project.counts())  # "train" once the project has splits
            burst = self._burst = Burst(self.pending.new_burst(name, split), folder, name, split)
        self.writer.write(burst, frame, self.crop.isChecked())
        if self._single:  # the burst ends with this frame
            self._single = False
            burst.single = True
            self._finish_burst()

    def _written(self, done: Written) -> None:
        """A frame kept is saved (in the writer's thread): it becomes a pending picture, unless it is a copy."""
        burst = done.burst
        burst.back += 1
        if done.error:
            self.bar.say(f"The picture could not be saved ({done.error}). Pictures already added are kept.")
            if burst is self._burst:
                self.recording = False
                self.record.setText(IDLE_WORDS)
                self._finish_burst()
        elif self.pending.has(done.sha256) or in_project(self.session.project, done.sha256):
            done.path.unlink(missing_ok=True)  # the same picture is stored once
            if burst.single:
                self.bar.say("That picture is in the project already (the camera saw exactly the same picture).")
        else:
            burst.files.append(done.path)
            pic = self.pending.add(burst.id, done.path, done.width, done.height, done.size_bytes, time.time(),
                                   done.sha256)
            self.frame_kept.emit(pic, done.image)
            self._update_counter()
            self.frame_saved.emit(len(burst.files))
        if burst.done:
            self._close_burst(burst)

    def _finish_burst(self) -> None:
        """No frame goes into the burst being recorded any more; it is imported once its frames are saved."""
        burst, self._burst = self._burst, None
        if burst is not None:
            burst.ended = True
            if burst.done:
                self._close_burst(burst)

    def _close_burst(self, burst: Burst) -> None:
        burst.closed = True
        if burst.files:
            self._waiting.append((burst.folder, burst.class_name, burst.files, burst.id, burst.split))
            self._import_next()
        else:
            shutil.rmtree(burst.folder, ignore_errors=True)
            self._settle(burst.id)

    def _import_next(self) -> None:
        if self.importing is not None or not self._waiting:
            return
        _folder, name, files, _burst, split = self._waiting[0]
        self.importing = TaskThread(import_paths, self.session.project, files, class_name=name, split=split,
                                    one_transaction=True, parent=self)
        self.importing.succeeded.connect(self._imported)
        self.importing.errored.connect(lambda msg, _tb: self._import_failed(msg))
        self.importing.finished.connect(self._import_done)
        self.importing.start()

    def _settle(self, burst: int) -> None:
        self.pending.settle(burst)
        self.burst_settled.emit(burst)

    def _imported(self, report) -> None:
        folder, name, _files, burst, split = self._waiting[0]
        self._settle(burst)  # first: the imported rows replace the pending ones with the reload the command brings
        if report.imported:
            made = name.casefold() in {c.casefold() for c in report.classes_created}
            command = CameraBurstCommand(self.session, report.imported, name, made)
            self.session.guard.push(self.session.undo_stack, command)
        if report.classes_created:  # said only then: every listener of a class change would redo its work
            self.session.classes_changed.emit()
        self.saved_total += len(report.imported)
        if report.imported:
            self.status.emit(burst_words(len(report.imported), name, split))
            self._said = command
            self._unsplit.extend(report.imported)
            self._update_split_note()
        shutil.rmtree(folder, ignore_errors=True)  # imported (or already there): the staging copy goes
        self.burst_imported.emit(report)

    def _undo_moved(self, index: int) -> None:
        """The burst the status bar was last told of taken out again (Undo, wherever it came from): its "… Ctrl+Z
        takes them out again" is no longer true, so it goes at once, not 8 seconds later (the window's Undo then
        says what it undid)."""
        stack = self.session.undo_stack
        if self._said is not None and all(stack.command(i) is not self._said for i in range(index)):
            self._said = None
            self.status.emit("")

    def _import_failed(self, message: str) -> None:
        burst = self._waiting[0]
        self._settle(burst[3])
        self._failed.append(burst)  # its files stay staged until Try again adds them
        n = sum(len(b[2]) for b in self._failed)
        self.bar.say(sentence(f"{counted(n, 'picture')} could not be added: {message}") +
                     " Press Try again once that is put right.")
        self.retry.setVisible(True)
        self.burst_imported.emit(None)

    def try_again(self) -> None:
        """Import the bursts that failed again, in the order they were recorded."""
        failed, self._failed = self._failed, []
        self.retry.setVisible(False)
        self.bar.say("")
        self._waiting.extend(failed)
        self._import_next()

    def _import_done(self) -> None:
        self.importing.deleteLater()
        self.importing = None
        self._waiting.pop(0)
        self._update_counter()
        self._import_next()

    def _update_split_note(self, *_args) -> None:
        """Say NO_SPLIT_NOTE while a picture a burst added is in the project with no split (not when read-only:
        that note stays)."""
        if not self._unsplit or self._read_only():
            return
        project = self.session.project
        records = project.records(self._unsplit)
        # those given a split or deleted for good are forgotten (then no query at all); trashed ones may come back
        self._unsplit = [r.id for r in records if r.split is None]
        trashed = project.in_trash(self._unsplit)
        unsplit = any(r.split is None and r.id not in trashed for r in records)
        self.note.setText(NO_SPLIT_NOTE if unsplit else "")
        self.note.setVisible(unsplit)

    def _update_counter(self) -> None:
        name = self.class_combo.currentText().strip()
        info = self.session.project.class_by_name(name) if name else None
        pending = self.pending.count(name) if name else 0
        have = (sum(self.session.counts().get(info.id, {}).values()) if info else 0) + pending
        text = f"{name}: {have} picture{'s' if have != 1 else ''}" if name else "Choose a class"
        self.counter.setText(text + (f" ({pending} being added)" if pending else ""))

    # ------------------------------------------------------------------ keys and closing
    def _typing(self, widget) -> bool:
        """Whether ``widget`` (or what holds it, inside the panel) is a text field, where Space is a space."""
        while widget is not None and widget is not self:
            if types_text(widget):
                return True
            widget = widget.parentWidget()
        return False

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        """Space records whichever part of the panel has the focus (a clicked checkbox or button would take it
        for itself), except in a text field: held down it records, let go it ends the burst; repeats do nothing."""
        kind = event.type()
        if (kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease) and event.key() == Qt.Key.Key_Space
                and not event.modifiers() and isinstance(watched, QWidget) and not self._typing(watched)):
            if not event.isAutoRepeat():
                if kind == QEvent.Type.KeyRelease:
                    if self.recording:
                        self._let_go.start()  # ends the burst unless Space is down again at once (a late repeat)
                else:
                    self._let_go.stop()  # down again in time: the same burst goes on
                    self.start_recording()
            return True
        return super().eventFilter(watched, event)

    def busy(self) -> bool:
        return self.importing is not None or bool(self._waiting)

    def shutdown(self) -> None:
        """Stop the camera; a burst being imported finishes first (nothing kept is lost)."""
        self.stop_recording()
        self.bar.stop()
        self.writer.wait_idle()  # the frames kept are saved: each burst is then imported
        QCoreApplication.sendPostedEvents()
        self.writer.stop()
        while self.importing is not None:  # each burst waiting starts when the one before is over
            importing = self.importing
            if not importing.wait(60_000):
                break
            QCoreApplication.sendPostedEvents()
            if self.importing is importing:  # its signals were not delivered: do not wait for it again
                break

    def closeEvent(self, event) -> None:  # noqa: N802
        self.stop_recording()
        self.bar.stop()
        super().closeEvent(event)

    def reject(self) -> None:
        self.stop_recording()
        self.bar.stop()
        super().reject()
