"""The Train page's Start, Resume, Pause and Stop: a run made and trained in a :class:`.training_thread.TrainingThread`
(a split first when no picture is split yet), its pause said, the ~10 Hz figures under the buttons, and the end of
the thread (the runs list read again, the run just trained shown with its advice). A mixin of
:class:`~cnnstudio.ui.train.train_page.TrainPage` (which holds the widgets and the state named here), as
:class:`.run_events.RunEvents` is."""

from __future__ import annotations

from ...engine.runs.head_rows import progress_words
from ...project.run_records import run_settings
from .compare import overlay_runs
from .live_text import set_progress, show_ended
from .run_words import RUNNING_BAR, pause_line
from .training_thread import TrainingThread


class StartStop:
    """Uses the page's ``thread``, ``clock``, ``plots``, ``runs``, ``controls``, ``status``, ``progress`` and the
    other widgets it lays out, and its ``_refresh``, ``reason``, ``settings``, ``_update_buttons``,
    ``_show_failure``, ``_message``, ``_show_advice`` and :class:`.run_events.RunEvents`' ``_on_event``."""

    def _start_shown(self) -> bool:
        """Start from the button, the Train menu or Ctrl+Return: this page is shown, and focus goes to Pause."""
        if not self.isVisible():
            self.go_to_step.emit("train")
        started = self.start()
        if started:
            self.controls.started()
        return started

    def start_from_elsewhere(self) -> bool:
        """Ctrl+Return on another step (the main window's shortcut there): the Train page shown and a run started,
        or, when Start is off, why, in the status bar (the step shown stays). False when nothing started."""
        from ..sentence import sentence

        if self.running:
            self._message("A run is training now: it can be paused or stopped on the Train step.")
            return False
        self._refresh()
        reason = self.reason()
        if reason:
            self._message(sentence(f"Training cannot start: {reason}"))
            return False
        return self._start_shown()

    def start(self) -> bool:
        """Start a new run with the form's settings and the Model page's design. False when it cannot."""
        from ...engine.runs import lifecycle as runs
        from ...engine.runs.child_run import run_in_child
        from ...engine.runs.recipe import is_default_recipe
        from ...engine.errors import EngineError

        if self.running:
            return False
        self.plots.free_x()
        self._refresh()
        reason = self.reason()
        if reason:
            self._show_failure("Training cannot start.", reason)
            return False
        if self._needs_split():  # split first, copies of a picture in one split: at once, or once they are found
            return self.first_split.split_then("train", self.start, self._not_started)
        try:
            settings = self.settings()
            spec = self.designer.spec()
        except EngineError as e:
            self._show_failure("These settings cannot be used.", str(e))
            return False
        project, name = self.session.project, self.settings_form.run_name.text().strip()
        recipe = is_default_recipe(settings, spec)  # nothing changed: may try transfer learning too

        def make(stop, pause, paused):  # in the training thread: bad input raises here, before any process starts
            run_id = runs.create_run(project, settings, spec, name=name)
            return run_in_child(project, run_id, stop=stop, pause=pause, paused=paused, recipe=recipe)

        self.plots.reset()
        self.plots.set_lr_peak(settings.lr)
        self._start_thread(make)
        return True

    def _not_started(self, text: str) -> None:
        """The split before Start was cancelled or failed: nothing was changed and no run started, said here too."""
        self.status.setText(text)
        self._message(text)

    def resume(self, run_id: str) -> bool:
        """Go on with a stopped run; one whose checkpoint is damaged or gone asks first (resume_choice.py)."""
        from ...engine.runs.child_run import run_in_child
        from ..resume_choice import how_to_resume

        if self.running:
            return False
        info = self.runs.run_info(run_id)
        project = self.session.project
        if self._training_elsewhere(run_id):
            return False
        if (how := how_to_resume(self, project, run_id)) is None:
            return False

        def make(stop, pause, paused):
            return run_in_child(project, run_id, **how, stop=stop, pause=pause, paused=paused)

        self.plots.reset()
        lr = run_settings(info.config).get("lr") if info else None  # {} for a damaged record
        if isinstance(lr, (int, float)):
            self.plots.set_lr_peak(lr)
        self._start_thread(make)
        return True

    def _training_elsewhere(self, run_id: str) -> bool:
        """Run ``run_id`` is trained now by another process (a 'cnnstudio train', another window): said by its name,
        and the list read again (it still said "stopped"); True then."""
        from ...project import ProjectError
        from ...project.run_records import find_run, training_now, training_now_words

        try:
            info = find_run(self.session.project, run_id)
        except (ProjectError, OSError):
            return False
        if info is None or not training_now(info):
            return False
        self._show_failure(f"Training could not start: {training_now_words(run_id, info.name)}.",
                           "Wait for it to end, or stop it where it trains.")
        self.read_again({"runs"})
        return True

    def _start_thread(self, make) -> None:
        self._picked = True  # the run trained now is the one shown from now on
        self._opened = None
        self.failure.hide()
        self.advice.clear()
        self.advice_box.hide_advice()  # the plots back in their place for the new run's curves
        self.last_event = None
        self.run_id = None
        self._stopping = False
        self.clock.reset()
        self._best_text, self._run_line, self._pause_state = "", "Starting…", (False, False)
        self._rows = None
        self.progress.setRange(0, 0)
        self.progress.setFormat(RUNNING_BAR)
        self.progress.setEnabled(True)
        self.status.setText("Starting…")
        self.step_line.hide()
        self.stats.setText("")
        self.thread = TrainingThread(make, self)
        self.thread.yielded.connect(self._on_event)
        self.thread.errored.connect(self._on_error)
        self.thread.finished.connect(self._thread_done)
        self.pause_button.setChecked(False)
        self.runs.busy_run, self.runs.busy_paused = None, False
        self.runs.set_training(True)  # Resume is off from now on, not only once the run has an id
        self.thread.start()
        self.plots.start()
        self._update_buttons()
        self.run_started.emit()

    def set_paused(self, on: bool) -> None:
        if self.thread is None:
            return
        self.thread.set_paused(on)
        self.controls.set_paused_text(on)
        self._say_pause(on, self.clock.paused)  # the clock goes on when the trainer does (_tick), not now

    def _say_pause(self, asked: bool, waiting: bool) -> None:
        """The status line when the Pause button or the trainer's waiting changed (run_words.pause_line)."""
        if self._stopping or self.clock.ended_at is not None or (asked, waiting) == self._pause_state:
            return
        self._pause_state = (asked, waiting)
        self.status.setText(pause_line(asked, waiting, self._run_line))

    def stop(self) -> None:
        if self.thread is not None:
            self.thread.request_stop()
            self._stopping = True
            self.pause_button.setChecked(False)
            self.status.setText("Stopping after this batch…")
            self._update_buttons()

    def shutdown(self) -> None:
        """The project closes: stop a run and wait for the thread (the last checkpoint stays resumable)."""
        if self.thread is not None:
            self.thread.stop_and_wait()
            self._thread_done()
        self.plots.stop()

    def _tick(self) -> None:
        """~10 Hz while running: the numbers under the buttons (the plots flush on the same timer)."""
        if self.thread is None or self.clock.ended_at is not None:  # the end wrote the line once
            return
        waiting = self.thread.paused_event.is_set()  # the trainer's word, read at every look (clock.py)
        if self.clock.follow_pause(waiting):
            self.runs.show_paused(self.clock.paused)  # the runs table says "paused" as the status line does
        self._say_pause(self.pause_button.isChecked(), waiting)
        if self.run_id is None:
            return
        set_progress(self.progress, self.clock.done)
        self._show_stats()

    def _show_stats(self) -> None:
        parts = self.clock.stats_parts(best=self._best_text)
        if self._rows is not None and self.clock.epochs:  # a frozen head's strengths, not "7 of 7 epochs trained"
            c = self.clock
            parts[0] = progress_words(self._rows, c.epochs, c.epochs_done, c.epoch, c.batch, c.batches,
                                      c.ended_at is not None)
        self.stats.setText(" · ".join(parts))

    def _on_error(self, message: str, tb: str) -> None:
        self._show_failure(f"Training could not start: {message}", "", tb)
        self.status.setText("Training did not start.")

    def _thread_done(self) -> None:
        if self.thread is None:
            return
        self._tick()
        self._stop_clock()  # the runs list and buttons: _refresh below
        self.thread.deleteLater()
        self.thread = None
        self.runs.busy_run = None
        self.runs.set_training(False)
        self.plots.stop()
        self.pause_button.setChecked(False)
        show_ended(self.progress, self.clock, self.last_event)  # "Stopped at 6%", greyed: not still running
        self._settling = True  # the list read again keeps the rows selected before: the run just trained stays shown
        try:
            self._refresh()
            if self.run_id:
                self.runs.select([self.run_id])
                overlay_runs(self.plots, self.runs, self.session.project, [])  # shown alone, as it was trained
        finally:
            self._settling = False
        self._update_buttons()
        self.runs_changed.emit()
        self._show_advice(self.run_id)
        self.run_ended.emit(self.last_event)
