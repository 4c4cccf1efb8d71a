"""The default recipe kept another run than the one the Train page watched (engine/runs/recipe.py: the events of
the run trained from scratch, then the kept transfer-learning run's :class:`RunFinished`). So that the page
describes one run at the end, its plots show the kept run's epochs and the line under the status says which run
they are and where the other one is. Qt-free: the words are tested on their own, the plots are the page's.
"""

from __future__ import annotations


def kept_run_text(kept_name: str, ev, other_name: str) -> str:
    """The line under "Finished: …" (which has the kept run's scores) when the default recipe kept ``ev``'s run (a
    RunFinished) rather than ``other_name``, the one trained while the page watched. The run named first: the
    line is elided to the page's width (its tooltip has it all)."""
    epochs = f"{ev.epochs} epoch{'s' if ev.epochs != 1 else ''}, best epoch {ev.best_epoch}"
    other = f"The other run, “{other_name}”," if other_name else "The other run"
    return f"Shown: the kept run “{kept_name}” ({epochs}). {other} is in the list below."


def show_kept_run(plots, project, ev, watched_id: str) -> str:
    """Put the kept run's (``ev.run_id``) epochs on ``plots`` in place of the watched run's; returns
    :func:`kept_run_text`."""
    from ...engine.errors import EngineError
    from ...engine.runs.lifecycle import read_metrics
    from ...project import run_records
    from ...project.errors import ProjectError

    try:
        metrics = read_metrics(project, ev.run_id)
        kept, other = run_records.get_run(project, ev.run_id), run_records.get_run(project, watched_id)
    except (EngineError, ProjectError, OSError, ValueError):
        return ""
    plots.reset()
    plots.set_epochs(max(1, ev.epochs))
    plots.load_history(metrics, ev.best_epoch)
    plots.flush()
    return kept_run_text(kept.name or ev.run_id, ev, other.name)


def run_to_open(runs) -> tuple[object, str] | None:
    """The run the Train page opens on, and the status words that say which: the newest run (by when it was made,
    whatever the list's grouping), or, when that is the default recipe's network that was not kept, the one it kept
    (the recipe makes the ready-trained network's run after the one from scratch, so the newest can be the loser).
    ``runs``: :class:`~cnnstudio.project.run_records.RunInfo` rows; None when there is none."""
    if not runs:
        return None
    newest = max(runs, key=lambda r: (r.created_at, r.id))
    recipe = newest.summary.get("recipe") if isinstance(newest.summary, dict) else None
    kept_id = recipe.get("run") if isinstance(recipe, dict) else None
    if isinstance(kept_id, str) and kept_id != newest.id:
        kept = next((r for r in runs if r.id == kept_id), None)
        if kept is not None:
            return kept, f"Ready. Shown: the run the default recipe kept, “{kept.name}”."
    return newest, f"Ready. Shown: the newest run, “{newest.name}”."
