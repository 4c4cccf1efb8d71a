"""The Tune page's part that follows a running search: each event of the study (:mod:`cnnstudio.engine.tune.events`)
into the page's state, table, plots and status line, and the progress line redrawn at most ten times a second.
A mixin of :class:`~.tune_page.TunePage`, which owns the widgets it names."""

from __future__ import annotations

import time

from ...engine.tune import events as T
from ...project.counting import counted
from .tune_state import ended_text, final_text


class SearchEvents:
    """The events of the search the page runs (GUI thread)."""

    def _on_event(self, ev) -> None:
        self.last_event = ev
        known = (self.state.summary or {}).get("epochs_per_trial")  # a continued study's, settled by its first trial
        self.state.apply(ev)
        self._dirty = True
        if isinstance(ev, T.StudyStarted):
            self.table_model.reset()
            self.plots.reset()
            self.study_list.add(ev.study)
            self._started_at = time.monotonic()  # the engine's clock starts now: the time limit counts from here
            again = f", after {counted(ev.trials_before, 'earlier trial')}" if ev.trials_before else ""
            n = ev.space.get("epochs")
            n = n if isinstance(n, int) and n > 0 else known if isinstance(known, int) and known > 0 else None
            per = counted(n, "epoch") if n else "the Train page's epochs"
            self.status.setText(f"Searching ({per} per trial{again})…")
            return
        self.table_model.sync()
        if isinstance(ev, T.TrialStarted):
            self._show_progress()
            self.runs_changed.emit()
        elif isinstance(ev, T.FinalEpoch):
            self.status.setText(final_text(ev))
        elif isinstance(ev, T.FinalStarted):
            self.status.setText(final_text(ev))
            self.runs_changed.emit()
        elif isinstance(ev, T.FinalEnded):
            self.runs_changed.emit()
        elif isinstance(ev, T.TrialEnded):
            self._show_progress()
            self.runs_changed.emit()
            if self.table.selected_number() is None and self.state.best_number() is not None:
                self.table.select_number(self.state.best_number())
        elif isinstance(ev, T.StudyEnded):
            self.status.setText(ended_text(ev.reason, ev.summary))
            self._show_result()
            best = self.state.best_number()
            if best is not None:
                self.table.select_number(best)

    def _flush(self) -> None:
        if self.state.running is not None:  # the time left moves on between events
            self._show_progress()
        if self._dirty:
            self._dirty = False
            self.plots.refresh()

    def _show_progress(self) -> None:
        """While a trial trains: which one, the trials done of the budget, the time left of its limit."""
        if self._stopping or not self.running:
            return
        elapsed = time.monotonic() - self._started_at if self._started_at is not None else None
        text = self.state.progress_text(elapsed)
        if text != self.status.text():
            self.status.setText(text)
