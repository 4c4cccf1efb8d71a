"""The Train page's run events, as the training thread yields them (in the GUI thread): the plots, the clock, the
status line and the runs list follow each one; the end event stops the clock. A mixin of
:class:`~cnnstudio.ui.train.train_page.TrainPage` (which holds the widgets named here)."""

from __future__ import annotations

from ...engine.events import RunFinished, RunStopped
from ...engine.runs.head_rows import head_rows
from ...engine.train.clock import preparing, trained_before
from . import run_files
from .kept_run import show_kept_run
from .run_words import best_epoch_text, finished_text, started_text, stopped_text, validation_sentence
from ..sentence import sentence


class RunEvents:
    def _on_event(self, ev) -> None:
        from ...engine import events as E
        from ...engine.runs import recipe

        self.last_event = ev
        if isinstance(ev, E.BatchEnd):
            self.plots.add_batch(ev)
            self.clock.batch_end(ev.epoch, ev.batch, ev.batches, ev.images_per_second)
        elif isinstance(ev, E.EpochEnd):
            self.plots.add_epoch_event(ev)
            self.clock.epoch_end(ev.epoch)
            if ev.is_best:
                self._best_text = best_epoch_text(ev, self._rows, getattr(self, "_val_pictures", 0))
                self.runs.reload_run(self.run_id)  # the best so far, as the run's process recorded it
            self.runs.show_epochs(self.run_id, self.clock.table_epochs())
        elif isinstance(ev, E.DataProgress) and recipe.is_step(ev.message):  # stays while its step runs
            self.step_line.setText(sentence(ev.message))
            self.step_line.show()
        elif isinstance(ev, E.DataProgress):
            text, value, maximum = preparing(ev.done, ev.total, ev.message)
            self.progress.setRange(0, maximum)  # 0: an indeterminate bar
            self.progress.setValue(value)
            self.status.setText(text)
        elif isinstance(ev, E.RunStarted):
            self.run_id = ev.run_id
            self.runs.busy_run = ev.run_id
            self._val_pictures = ev.val_images  # what its best score's 95 % range is measured on
            self.plots.set_epochs(ev.epochs)
            earlier = run_files.metrics(self.session.project, ev.run_id) if ev.start_epoch > 1 else []
            config = run_files.summary_and_config(self.session.project, ev.run_id)[1]
            self._rows = head_rows(config, earlier, planned=ev.epochs)  # a frozen head's strengths: not epochs
            self.plots.set_rows(self._rows)
            before = self._load_history(ev.run_id, ev.start_epoch) if ev.start_epoch > 1 else 0.0
            total = self.clock.run_started(ev.start_epoch, ev.epochs, ev.batches_per_epoch, before)
            self.progress.setRange(0, total)
            self.progress.setValue(self.clock.done)
            self.status.setText(started_text(ev))
            self._say_held_out(ev.run_id)
            self._run_line = self.status.text()
            self.runs.refresh()
            self.runs.show_epochs(ev.run_id, self.clock.table_epochs())
            self.runs_changed.emit()
        elif isinstance(ev, E.RunFinished):
            from ...engine.runs.recipe import settle
            from ...project import ProjectError

            watched, self.run_id = self.run_id, ev.run_id or self.run_id
            try:  # a resumed run of the default recipe: its choice made again
                settle(self.session.project, self.run_id)
            except (OSError, ProjectError):  # a full disk: the record stays as it was written
                pass
            project = self.session.project
            self.status.setText(finished_text(ev, *run_files.summary_and_config(project, ev.run_id),
                                              run_files.best_run_why(project, ev.run_id),
                                              run_files.metrics(project, ev.run_id)))
            if watched and self.run_id != watched:  # the default recipe kept its transfer-learning run instead
                self.clock.ended()
                self.stats.setText(show_kept_run(self.plots, self.session.project, ev, watched))
        elif isinstance(ev, E.RunStopped):  # a frozen head's rows read afresh: strengths, then fine-tuning epochs
            summary, config = run_files.summary_and_config(self.session.project, ev.run_id) if ev.run_id else ({}, {})
            rows = head_rows(config, run_files.metrics(self.session.project, ev.run_id) if ev.run_id else [],
                             planned=ev.epoch)
            self.status.setText(stopped_text(ev, summary, rows, config))  # a frozen run resumed starts over
        elif isinstance(ev, E.RunFailed):
            self._show_failure(f"Training failed: {ev.reason}.", ev.advice, ev.details)
            self.status.setText("Training failed.")
        if isinstance(ev, E.TERMINAL):
            self._run_over(ev)

    def _run_over(self, ev) -> None:
        """The run's end event: the clock stops (a finished run's time and speed are its own), Pause and Stop go
        off, the runs list says how it ended."""
        finished = isinstance(ev, RunFinished)
        self.step_line.hide()  # the finished line says which network was kept
        speed = ev.images_per_second if finished else None
        if isinstance(ev, RunStopped) and ev.run_id:  # its steady speed (summary), not the newest batches'
            speed = run_files.summary_and_config(self.session.project, ev.run_id)[0].get("images_per_second")
        self._stop_clock(ev.train_seconds if finished else None, speed if isinstance(speed, (int, float)) else None)
        self.runs.refresh()
        self._update_buttons()

    def _stop_clock(self, trained: float | None = None, speed: float | None = None) -> None:
        """Once, at the end (event or thread): the stats line without a time left (a kept run: kept_run.py)."""
        if self.clock.ended_at is None:
            self.clock.ended(trained, speed)
            self.runs.busy_paused = False
            if self.run_id is not None and self.clock.epochs:
                self._show_stats()

    def _load_history(self, run_id: str, start_epoch: int) -> float:
        """A resumed run's earlier epochs on the plots; returns the seconds they took (the clock goes on)."""
        metrics, best = run_files.history(self.session.project, run_id, start_epoch)
        self.plots.load_history(metrics, best, run_files.lr_points(self.session.project, run_id, metrics))
        self.plots.flush()
        return trained_before(metrics, start_epoch)

    def _say_held_out(self, run_id: str) -> None:
        """A run without validation pictures holds some out, one with validation off keeps its last epoch."""
        from ...project import run_records

        sentence = validation_sentence(run_records.get_run(self.session.project, run_id))
        if sentence:
            self.status.setText(f"{self.status.text()} {sentence}")
            self._message(sentence)
