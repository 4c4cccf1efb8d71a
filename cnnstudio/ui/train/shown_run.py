"""The run the Train page shows when the run it showed was deleted (from its runs list, or by another program's
'cnnstudio runs --delete'): the best run left, the one the Evaluate and Predict pages show then too (run_records
.best_run's rule: "★ best"); without one (no finished run with a model), the run the page opens on
(:func:`.kept_run.run_to_open`: the newest); with no run left, none. Qt-free: tested on its own; the page shows it.
"""

from __future__ import annotations

from .kept_run import run_to_open


def run_after_delete(runs, best_id: str | None) -> tuple[object, str, bool] | None:
    """``(run, status words, followed)`` for the runs left (``runs``: RunInfo rows) and the best of them
    (``best_id``: run_records.best_run's id, None without one); ``followed``: the page follows the newest run from
    now on (run_to_open's choice), not for the best run, which a newer run does not replace. None: no run left."""
    best = next((r for r in runs if r.id == best_id), None) if best_id else None
    if best is not None:
        return best, f"Ready. Shown: the best run, “{best.name}”.", False
    opened = run_to_open(runs)
    return None if opened is None else (*opened, True)
