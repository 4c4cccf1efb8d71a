"""Comparing runs on the Train page: the runs selected in the list (at most two, besides the run shown) are laid
over the plots; the plots and the runs list are the page's, the curves come from the runs' files."""

from __future__ import annotations

from . import run_files


def overlay_runs(plots, runs_panel, project, run_ids: list[str], shown: str | None) -> None:
    """Lay the first two of ``run_ids`` other than ``shown`` (the run on the plots already) over ``plots``; clear
    the slots left over."""
    chosen = [r for r in run_ids if r != shown][:2]
    for slot in range(2):
        if slot < len(chosen):
            info = runs_panel.run_info(chosen[slot])
            plots.set_overlay(slot, info.name if info else chosen[slot], run_files.metrics(project, chosen[slot]))
        else:
            plots.set_overlay(slot, None, [])
