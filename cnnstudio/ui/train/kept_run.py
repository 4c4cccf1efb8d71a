"""The default recipe kept another run than the one the Train page watched (engine/runs/recipe.py: the events of
the run trained from scratch, then the kept transfer-learning run's :class:`RunFinished`). So that the page
describes one run at the end, its plots show the kept run's epochs and the line under the status says which run
they are and where the other one is. Qt-free: the words are tested on their own, the plots are the page's.

Also the run the page shows otherwise: the one it opens on (:func:`run_to_open`), the one it shows when the run it
showed was deleted (:func:`run_after_delete`), and a run clicked in the runs list,
shown on its own: the epochs it plots (:func:`saved_metrics`: not those a killed run lost), how far its x axis goes
(:func:`plot_epochs`) and the status line that names it and says how it ended
(:func:`shown_line`).
"""

from __future__ import annotations

from ...engine.runs.head_rows import head_rows
from ...project.run_checkpoint import saved_metrics  # the epochs a killed run's checkpoint kept: one rule


def kept_run_text(kept_name: str, ev, other_name: str, rows=None) -> str:
    """The line under "Finished: …" (which has the kept run's scores) when the default recipe kept ``ev``'s run (a
    RunFinished) rather than ``other_name``, the one trained while the page watched. The run named first: the
    line is elided to the page's width (its tooltip has it all). ``rows``: the kept run is a frozen head fitted
    exactly (:func:`~cnnstudio.engine.runs.head_rows.head_rows`): what it did, never "7 epochs"."""
    if rows is not None:
        from ...engine.runs.head_rows import fitted_words

        epochs = fitted_words(rows, ev.epochs, ev.best_epoch)
    else:
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
    rows = head_rows(kept.config, metrics, planned=ev.epochs)
    plots.reset()
    plots.set_rows(rows)
    plots.set_epochs(max(1, ev.epochs))
    plots.load_history(metrics, ev.best_epoch)
    plots.flush()
    return kept_run_text(kept.name or ev.run_id, ev, other.name, rows)


def plot_run(plots, project, info, run_id: str) -> None:
    """Run ``run_id``'s (``info``: its record) epochs on ``plots`` from its files: the epochs its checkpoint kept
    (not those a killed run lost), its x axis as long as when it ended (:func:`plot_epochs`), its learning rate at
    every step where its files give it (run_files.lr_points)."""
    from . import run_files

    metrics, best = run_files.history(project, run_id, 1 << 30)
    metrics = saved_metrics(info, metrics)
    plots.reset()
    plots.set_rows(head_rows(info.config if info is not None else None, metrics))
    plots.set_epochs(plot_epochs(info, metrics))
    plots.load_history(metrics, best, run_files.lr_points(project, run_id, metrics))
    plots.flush()


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


def run_after_delete(runs, best_id: str | None) -> tuple[object, str, bool] | None:
    """The run the page shows when the run it showed was deleted (from its runs list, or by another program's
    'cnnstudio runs --delete'), as ``(run, status words, followed)`` for the runs left (``runs``: RunInfo rows) and
    the best of them (``best_id``: run_records.best_run's id, None without one): the best run left, the one the
    Evaluate and Predict pages show then too ("★ best"); without one, :func:`run_to_open`'s (the newest), which the
    page follows from now on (``followed``; the best run is not followed: a newer run does not replace it). None: no
    run left."""
    best = next((r for r in runs if r.id == best_id), None) if best_id else None
    if best is not None:
        return best, f"Ready. Shown: the best run, “{best.name}”.", False
    opened = run_to_open(runs)
    return None if opened is None else (*opened, True)


def plot_epochs(info, metrics: list[dict]) -> int:
    """How many epochs the x axis of a run shown from its files covers, as it did when the run ended: the epochs it
    trained, or, for a run that did not finish (stopped, failed), the epochs it planned, which Resume goes on to (the
    runs table's "6 / 30"). ``info``: its RunInfo (None: unknown); ``metrics``: its epochs (metrics.jsonl), of which
    those a killed run lost are left out (:func:`saved_metrics`)."""
    trained = max([m["epoch"] for m in saved_metrics(info, metrics) if isinstance(m.get("epoch"), int)] + [0])
    summary = info.summary if info is not None and isinstance(info.summary, dict) else {}
    planned = summary.get("epochs_planned")
    if info is not None and info.status != "finished" and isinstance(planned, int) and planned > trained:
        return planned
    return max(1, trained)


def shown_line(info, metrics: list[dict] | None = None) -> str:
    """The status line when a run clicked in the runs list is shown on its own: its name and how it ended
    ("Shown: “Small VGG · 10 epochs”. Finished: best epoch 7 of 10, validation accuracy 92.1% (88–95%)."). The
    validation score only: test pictures are for the end. The words of :func:`~.run_words.finished_text` up to the
    score (one rule, :func:`~.run_words.finished_head`), without what is true only the moment a run ends: its speed,
    the default recipe's choice, which network the Evaluate and Predict pages offer now, the Auto epochs' note.
    ``info``: its RunInfo; ``metrics``: its rows (a frozen head's strengths are told from epochs by them)."""
    import math
    from types import SimpleNamespace

    from ...project.run_records import has_validation
    from ..sentence import sentence
    from .run_words import end_note, finished_head, run_score, stopped_text

    s = info.summary if isinstance(info.summary, dict) else {}
    best = s.get("best_epoch") if isinstance(s.get("best_epoch"), int) else 0
    last = s.get("last_epoch") if isinstance(s.get("last_epoch"), int) else 0
    if info.status == "finished":
        epochs = s.get("epochs") if isinstance(s.get("epochs"), int) else last
        val = s.get("val_accuracy")
        scored = has_validation(info) and isinstance(val, (int, float)) and math.isfinite(val)
        score = run_score(s, "val") if scored else ""
        rows = head_rows(info.config, metrics, planned=epochs)
        ended = f"{finished_head(best, epochs, score, s.get('reason'), rows)}." if best else "Finished."
        # which weights were kept (a frozen backbone's fine-tuning that did not beat its head): its rows say it
        note = end_note(s) if rows is None else ""
        ended += f" {note}" if note else ""
    elif info.status == "stopped":  # what it reads of a RunStopped; a frozen head's rows as strengths
        rows = head_rows(info.config, metrics, planned=last)
        ended = stopped_text(SimpleNamespace(epoch=last, best_epoch=best), s, rows, info.config)
    elif info.status == "failed":
        error = s.get("error")
        ended = sentence(f"Training failed: {error}") if isinstance(error, str) and error else "Training failed."
    elif info.status == "running":
        ended = "It is training now, in another window or a 'cnnstudio train' command."
    else:
        ended = "It has not trained yet."
    return f"Shown: “{info.name}”. {ended}"
