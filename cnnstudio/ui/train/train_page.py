"""The Train step: settings (settings_form.py), Start / Pause / Stop (start_stop.py), live plots, and the runs of the
project.

Training is :func:`cnnstudio.engine.runs.lifecycle.run` — the very generator ``cnnstudio train`` iterates — in a
child process (:mod:`cnnstudio.engine.runs.child_run`), whose events a :class:`TrainingThread` iterates. The
run is created here first (bad input is reported before any process starts). Each event arrives here as a
signal and is appended to the plots' lists; the plots redraw from a ~10 Hz timer. Stop sets the stop event,
which reaches the trainer in the child; closing the project stops the run and waits for the thread. Progress,
the time trained and the time left come from the Qt-free :class:`~cnnstudio.engine.train.clock.RunClock`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QSplitter, QVBoxLayout, QWidget

from ...engine.train.clock import RunClock
from ...project.splits import needs_auto_split
from . import run_files
from .blocked_note import BlockedNote
from .controls import RunControls, start_tip
from .compare import overlay_runs, shown_and_compared
from .failure_note import FailureNote
from .fit_column import FitColumn
from .kept_run import plot_run, run_to_open, shown_line
from .start_blocker import finder_blocker, left_out_note
from .live_text import LiveText, WrappingLabel, progress_bar
from ..session import ProjectSession
from .plots import TrainingPlots
from .run_events import RunEvents
from .run_words import READY, auto_hint, ready_words
from .runs_panel import RunsPanel
from .advice_fold import AdviceFold
from .settings_form import SettingsForm
from .set_up_line import SetUpLine
from .start_stop import StartStop
from ..advice_panel import AdvicePanel
from .first_split import FirstSplit
from .training_thread import TrainingThread


ADVICE_HEIGHT = 130  # pixels of advice before it scrolls (a 768-pixel-high screen shows the plots and six runs)
PLOT_ROOM = 160  # the advice opens by itself (a run ends, the page opens) only if the plots keep this many pixels
# (plots.PLOT_HEIGHT: at 1,280 x 800 it opens, at 1,024 x 614 it stays folded)


class TrainPage(StartStop, RunEvents, QWidget):
    run_started = Signal()  # Start or Resume: the training thread runs from now on (the Tune page's Start waits)
    run_ended = Signal(object)  # the last event (RunFinished / RunStopped / RunFailed) or None; the thread has ended
    runs_changed = Signal()
    go_to_model = Signal()
    go_to_data = Signal()
    go_to_step = Signal(str)  # a step key ("data", "model", "tune"): the page that fixes why Start is off

    def __init__(self, session: ProjectSession, designer, parent=None):
        super().__init__(parent)
        self.busy_elsewhere = lambda: ""  # why another page's work keeps Start off (the workspace sets it)
        self.session = session
        self.designer = designer
        self.thread: TrainingThread | None = None
        self.first_split = FirstSplit(session, self, self._message)  # a first run's split (the Tune page's too)
        self.copies = self.first_split.copies
        self.run_id: str | None = None
        self.last_event = None
        self._stopping = False  # Stop was pressed: Pause and Stop are off until the next run
        # every progress figure shown (status, bar, time left, the runs table's epochs) is read from this clock
        self.clock = RunClock()
        self._best_text = ""
        self._rows = None  # the run being trained is a frozen head fitted exactly: which rows are strengths
        self._run_line = ""  # the status line while the run trains (said again after a pause)
        self._pause_state = (False, False)  # (Pause pressed, the trainer waits) as the status line last said it
        self._data_reason: str | None = None  # the engine's words for why these pictures cannot be trained on
        self._counts = session.project.counts()  # pictures per class and split (start_blocker.py reads them)
        self._picked = False  # the newest run was selected once the page showed its runs (_refresh)
        self._opened: str | None = None  # the run the page opened on by itself ("the newest run"), until another
        self._settling = False  # a run has just ended: the runs list's selection is the page's, not a click
        self._recipe_tip = ""  # Start may train a second network first (recipe.py's rule), said before Start
        self.blocker = None  # why Start is off (start_blocker.Blocker) or None

        self.settings_form = SettingsForm(session)
        self.settings_form.find_lr.inputs = lambda: (self.settings(), self.designer.spec())  # "Find": Start's run
        self.settings_form.epochs.valueChanged.connect(self.update_auto_note)
        self.settings_form.fine_tune.valueChanged.connect(self.update_auto_note)  # a frozen head's note (head_note)

        # -- controls -----------------------------------------------------------------------------------
        self.controls = RunControls(self, self._start_shown, self.set_paused, self.stop)  # buttons = menu actions
        self.start_button, self.pause_button, self.stop_button = (self.controls.start_button,
                                                                  self.controls.pause_button, self.controls.stop_button)
        self.progress = progress_bar()  # not animated by the platform style (see live_text.py)
        self.step_line = WrappingLabel("")  # the default recipe's comparison: "Step 1 of 2: …" while it runs
        self.step_line.setObjectName("recipe-step")
        self.step_line.hide()
        self.status = WrappingLabel(READY)  # a long "Finished: ..." line wraps; it never widens the window
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.set_up_line = SetUpLine(self.settings_form, self.status)  # an advice's set-up, while the form shows it
        self.stats = LiveText("", lines=2)  # changes ten times a second: repaints itself only (see live_text.py)
        self.blocked_box = BlockedNote(max_lines=2)  # why Start is off (two lines: the plots keep their room), and
        # a button to the page that fixes it
        self.blocked_box.go_to.connect(self._link)
        self.blocked, self.blocked_button = self.blocked_box.label, self.blocked_box.button
        self.blocked.linkActivated.connect(self._link)
        self.left_out = WrappingLabel("")  # labelled pictures in no split, which training leaves out (not a blocker)
        self.left_out.setObjectName("left-out")
        self.left_out.setTextFormat(Qt.TextFormat.RichText)
        self.left_out.linkActivated.connect(self._link)  # "the Data step": that page, where Split is
        self.left_out.hide()
        self.failure = FailureNote()  # what went wrong, what to do, "Details…"
        self.failure.link.connect(self._link)
        self.advice = AdvicePanel()  # what the run that ended means and what to do next (advice_panel.py)
        self.plots = TrainingPlots()
        self.advice_box = AdviceFold(self.advice, ADVICE_HEIGHT, self.plots.give_room,  # folds: the plots keep room,
                                     give_way=self.plots)  # or step aside while it is open on a short screen
        controls = QHBoxLayout()
        for button in (self.start_button, self.pause_button, self.stop_button):
            controls.addWidget(button)
        controls.addWidget(self.progress, 1)
        self.plots.timer.timeout.connect(self._tick)
        self.runs = RunsPanel(session)
        self.runs.selection_changed.connect(self._runs_selected)
        self.runs.listed.connect(self._listed)  # the run shown is still there, or another is; the newest followed
        self.runs.resume_requested.connect(self.resume)
        self.runs.runs_changed.connect(self.runs_changed)

        top = FitColumn()  # its wrapped notes keep their lines: the plots below them are not cut
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addLayout(controls)
        tl.addWidget(self.blocked_box)
        tl.addWidget(self.left_out)
        tl.addWidget(self.failure)
        tl.addWidget(self.step_line)
        tl.addWidget(self.status)
        tl.addWidget(self.stats)
        tl.addWidget(self.advice_box)
        tl.addWidget(self.plots, 1)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(top)
        right.addWidget(self.runs)
        right.setStretchFactor(0, 1)  # the runs keep their room for about six rows; the plots take the rest
        right.setChildrenCollapsible(False)  # nor is the runs list ever pushed out of sight (advice opened in it)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.settings_form)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([340, 1000])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(splitter)
        for changed in (designer.validity_changed, designer.design_changed):  # Start's words name the design
            changed.connect(self._update_buttons)
        designer.design_changed.connect(self.update_auto_note)  # a frozen head fitted exactly uses no epochs
        for sig in (session.labels_changed, session.classes_changed, session.images_changed, session.splits_changed):
            sig.connect(self._data_changed)
        self._stale = True
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(300)
        self._refresh_timer.timeout.connect(self._refresh)
        self._update_buttons()

    # ================================================================== settings
    def form_values(self) -> dict:
        return self.settings_form.values()

    def settings(self):
        """TrainSettings from the form, the design's preprocessing and augmentation (raises SettingsError)."""
        return self.settings_form.defaults.replace(**self.form_values(), augment=self.designer.augment(),
                                                   preprocess=self.designer.preprocess())

    # ================================================================== what may start
    @property
    def running(self) -> bool:
        return self.thread is not None

    @property
    def live(self) -> bool:
        """A run trains and may be paused or stopped (not once Stop was pressed or the run's end event came)."""
        return self.running and not self._stopping and self.clock.ended_at is None

    def _data_changed(self, *_) -> None:
        self._stale = True
        if self.isVisible():
            self._refresh_timer.start()  # a burst of labelling is checked once

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self._refresh()
        else:
            self._update_buttons()  # the weights may have been chosen on the Model page

    def _refresh(self) -> None:
        self._refresh_timer.stop()
        self._stale = False
        self._counts = self.session.project.counts()
        self._data_reason = self._check_data()
        if not self.running:
            self.runs.refresh()
        if not self.running and not self._picked and self.runs.runs and not self.runs.selected_ids():
            self._picked = True  # the page opens on the newest run (the recipe's kept one): its curves and advice
            run, words = run_to_open(self.runs.runs)
            self._opened = run.id  # followed as the list changes (_follow_newest)
            self._show_run(run.id)
            QTimer.singleShot(0, self._open_advice)  # once the page is laid out: whether the plots keep room
            self.status.setText(words)
        self._update_buttons()
        self.update_auto_note()

    def _listed(self) -> None:
        """The runs list was read again: a run shown that is gone from it (deleted here, or by another program's
        'cnnstudio runs --delete') leaves the page for the best run left (:meth:`_shown_gone`); the newest run is
        followed while the page shows it by itself (:meth:`_follow_newest`)."""
        self._shown_gone()
        self._follow_newest()

    def _shown_gone(self) -> None:
        """The run on the plots was deleted: nothing of it stays (its curves, status line, figures, advice). The page
        shows the best run left, as the Evaluate and Predict pages do (kept_run.run_after_delete's rule), or, with
        no run left, the page as before the first run. While a run trains, the plots are the live run's (never
        deleted: runs_panel.delete_runs)."""
        from .run_files import best_run
        from .kept_run import run_after_delete

        if self.running or self.run_id is None or self.runs.run_info(self.run_id) is not None:
            return
        self.run_id = None
        self.plots.reset()
        self.plots.flush()  # its curves off the screen now (the plots' timer runs only while a run trains)
        self.advice.clear()
        self.advice_box.hide_advice()
        self.stats.setText("")
        self.failure.hide()
        best = best_run(self.session.project) if self.runs.runs else None
        shown = run_after_delete(self.runs.runs, best.id if best is not None else None)
        if shown is None:  # every run deleted
            self._opened = None
            self.status.setText(ready_words(READY, bool(self.blocker)))
            return
        run, words, followed = shown
        self._opened = run.id if followed else None  # the newest followed from now on; the best stays
        self._show_run(run.id)  # selected: overlays of runs compared with the gone one go too (_runs_selected)
        self._show_advice(run.id, decide=False)
        self.status.setText(ready_words(words, bool(self.blocker)))

    def _follow_newest(self) -> None:
        """The runs list was read again (a search's trial, a run of the CLI's, one renamed or deleted): while the page
        shows the run it opened on by itself and the user chose no other, it shows the newest run now (its plots,
        advice and the status line's “name”: kept_run.run_to_open's rule), never a stale "the newest run"."""
        if self.running or self._settling or self._opened is None:
            return
        if not set(self.runs.selected_ids()) <= {self._opened}:  # runs compared (Ctrl+click): the user's choice
            return
        opened = run_to_open(self.runs.runs)
        if opened is None:  # every run deleted
            self._opened = None
            self.status.setText(ready_words(READY, bool(self.blocker)))
            return
        run, words = opened
        if run.id != self._opened or not self.runs.selected_ids():
            self._opened = run.id
            self._show_run(run.id)
            self._show_advice(run.id, decide=False)
        self.status.setText(ready_words(words, bool(self.blocker)))

    def read_again(self, areas) -> None:
        """Another program changed the project (``areas``: project/changed_elsewhere.py): its runs (a 'cnnstudio
        train' that went on or finished, a run renamed or deleted from the command line) are the list's rows again,
        the selection kept where its runs still are, and the run shown is shown as it is now. While this window
        trains, runs changes are not reported (ui/elsewhere_watch.py): the live run is the page's."""
        if {"classes", "pictures"} & set(areas):
            self._data_changed()
        if "runs" not in areas or self.running:
            return
        self.runs.refresh()  # a run shown that was deleted leaves the page, the newest is followed (_listed)
        shown = self.run_id
        if shown is not None and shown in self.runs.selected_ids():  # as it is now: more epochs, how it ended
            self._plot_run(shown)
            info = self.runs.run_info(shown)
            # its line as it is now, whether the user chose it or the page opened it by itself: "Ready. Shown: the
            # newest run" would hide that another program is training it, or has just finished it
            self.status.setText(shown_line(info, run_files.metrics(self.session.project, shown)))
            overlay_runs(self.plots, self.runs, self.session.project,
                         shown_and_compared(self.runs.selected_ids(), shown)[1])
            self._show_advice(shown, decide=False)
        self._update_buttons()
        self.update_auto_note()

    def update_auto_note(self, *_) -> None:
        """Under Epochs: what Auto will do, by the trainer's own rule, at the newest run of this design's speed
        (:func:`.run_words.auto_hint`); Start's tooltip says when Start first compares the recipe's two designs."""
        from ...engine.errors import EngineError

        try:
            settings = self.settings()
        except EngineError:
            settings = None
        note, self._recipe_tip = auto_hint(settings, self.designer.spec().to_json(), self._counts, self.runs.runs,
                                           self.settings_form.epochs.value())
        self._update_buttons()
        self.settings_form.set_auto_note(note)

    def _needs_split(self) -> bool:
        """Labelled pictures, none of them split yet: Start splits them first (the rule the CLI follows too)."""
        return needs_auto_split(self.session.project.counts())

    def _check_data(self) -> str | None:
        """Why the project's pictures cannot be trained on, in the engine's words; None when they can.
        Also tells the runs list the data's fingerprint now (for "the data changed since...")."""
        from ...engine.data.entries import dataset_entries, fingerprint
        from .start_blocker import data_problem

        names, entries = dataset_entries(self.session.project)
        self.runs.set_fingerprint(fingerprint(entries))
        return data_problem(names, entries, self._counts)

    def reason(self) -> str:
        """Why Start is disabled ("" when it is not): the words of :func:`start_blocker`."""
        from .start_blocker import missing_weights, start_blocker

        self.blocker = start_blocker(self._counts, self._data_reason,
                                     None if self.designer.is_valid() else self.designer.reason(),
                                     self.busy_elsewhere(),  # e.g. a search on the Tune page trains its own runs
                                     missing_weights(self.designer.design.backbone), self.settings_form.read_only)
        return self.blocker.text if self.blocker else ""

    def _update_buttons(self, *_) -> None:
        running = self.running
        reason = "" if running else self.reason()
        self.controls.set_enabled(not running and not reason, self.live)  # the buttons and the Train menu
        self.controls.set_start_tip(reason or start_tip(self.designer.spec().to_json()) + self._recipe_tip)
        self.blocked_box.show_blocker(self.blocker if reason else None)
        self._show_left_out(not running)
        self.settings_form.find_lr.set_blocked(reason or finder_blocker(self.designer.spec, self.settings))  # "Find" tests Start's run
        said = ready_words(self.status.text(), bool(reason))  # not "Ready." under a note that says why Start is off
        if said != self.status.text():
            self.status.setText(said)
        self.settings_form.set_editable(not running)

    def _show_left_out(self, before_start: bool) -> None:
        """Before Start, the note on labelled pictures training leaves out for having no split (start_blocker's
        :func:`left_out_note`), "the Data step" a link to it; none while a run trains."""
        import html

        note = left_out_note(self._counts) if before_start else ""
        if note:
            words = html.escape(note).replace(html.escape("the Data step"), "the <a href='data'>Data step</a>", 1)
            if self.left_out.text() != words:
                self.left_out.setText(words)
            self.left_out.setToolTip(note)
        self.left_out.setVisible(bool(note))

    def _link(self, target: str) -> None:
        if target in ("data", "model", "tune"):
            self.go_to_step.emit(target)
        if target == "model":
            self.go_to_model.emit()
        elif target == "data":
            self.go_to_data.emit()

    # ================================================================== what went wrong and the run shown
    # (Start, Resume, Pause and Stop: start_stop.py; the run's events: run_events.py)
    def _show_failure(self, what: str, advice: str = "", details: str = "") -> None:
        self.failure.show_failure(what, advice, details)

    def _message(self, text: str) -> None:
        w = self.window()
        if hasattr(w, "statusBar"):
            w.statusBar().showMessage(text, 8000)

    def _show_run(self, run_id: str) -> None:
        """A run of the list on the plots, as they were when it ended, and selected (its advice shown)."""
        self._plot_run(run_id)
        self.runs.select([run_id])

    def _plot_run(self, run_id: str) -> None:
        """Run ``run_id``'s epochs on the plots from its files, as when it ended (:func:`.kept_run.plot_run`)."""
        plot_run(self.plots, self.session.project, self.runs.run_info(run_id), run_id)
        self.run_id = run_id

    def _open_advice(self) -> None:
        if not self.running and self.run_id is not None:
            self._show_advice(self.run_id)

    def _show_advice(self, run_id: str | None, decide: bool = True) -> None:
        """What run ``run_id`` means, under its header. When a run ends and when the page opens on a run
        (``decide``) it opens by itself if the plots keep :data:`PLOT_ROOM` pixels (on a short screen it stays
        folded); another run selected keeps it as the user left it."""
        self.advice.show_run(self.session.project, run_id)
        room = self.plots.height() - self.advice_box.plots_give() >= PLOT_ROOM
        self.advice_box.show_advice(room if decide else self.advice_box.is_open)

    # ================================================================== showing and comparing runs
    def _runs_selected(self, run_ids: list[str]) -> None:
        """One run clicked: the plots, the status line and the advice show it; more (Ctrl+click): the run shown and
        the others laid over it (compare.py). While a run trains, the plots stay the run's."""
        if self.running or self._settling:
            return
        shown, compared = shown_and_compared(run_ids, self.run_id)
        if shown is not None and shown != self.run_id:
            self._opened = None  # the user's choice: the status names it, and a newer run does not replace it
            self._plot_run(shown)
            info = self.runs.run_info(shown)
            self.status.setText(shown_line(info, run_files.metrics(self.session.project, shown))
                                if info is not None else "")
            self.stats.setText("")  # the figures of the run trained before are not this one's
            self.failure.hide()
        overlay_runs(self.plots, self.runs, self.session.project, compared)
        if shown is not None and shown != self.advice.run_id:  # the advice follows the run shown
            self._show_advice(shown, decide=False)
