"""Showing and comparing runs on the Train page. One run selected in the list is shown on its own (its curves, how it
ended, its advice); two or more (Ctrl+click) are compared: one is shown, up to two more are laid over the plots. The
plots and the runs list are the page's, the curves come from the runs' files."""

from __future__ import annotations

from . import run_files
from .kept_run import saved_metrics

MOST_COMPARED = 2  # runs laid over the one shown (the plots have a colour for each)


def shown_and_compared(run_ids: list[str], shown: str | None) -> tuple[str | None, list[str]]:
    """Which of the selected ``run_ids`` the plots show and which they lay over it, ``shown`` being the run on them
    now: one selected is shown alone; of several, the run shown stays shown if it is one of them (Ctrl+click adds a
    run to compare with it), else the first is; nothing selected leaves the run shown as it is, alone."""
    if not run_ids:
        return shown, []
    if len(run_ids) == 1:
        return run_ids[0], []
    first = shown if shown in run_ids else run_ids[0]
    return first, [r for r in run_ids if r != first][:MOST_COMPARED]


def overlay_runs(plots, runs_panel, project, compared: list[str]) -> None:
    """Lay the runs ``compared`` (at most :data:`MOST_COMPARED`) over ``plots``, each with the epochs it plots when
    shown alone (kept_run.saved_metrics); clear the slots left over."""
    for slot in range(MOST_COMPARED):
        if slot < len(compared):
            info = runs_panel.run_info(compared[slot])
            metrics = saved_metrics(info, run_files.metrics(project, compared[slot]))  # not what a killed run lost
            plots.set_overlay(slot, info.name if info else compared[slot], metrics)
        else:
            plots.set_overlay(slot, None, [])
