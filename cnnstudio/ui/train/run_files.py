"""What the Train page reads from a run's files: its summary, its metrics, the epochs a resumed run trained before.
Qt-free; a run whose files cannot be read gives nothing rather than an error (the runs list says what is wrong)."""

from __future__ import annotations


def summary(project, run_id: str) -> dict:
    """The run's summary from the run index ({} when it cannot be read)."""
    from ...project import run_records
    from ...project.errors import ProjectError

    try:
        return run_records.get_run(project, run_id).summary
    except (ProjectError, OSError):
        return {}


def summary_and_config(project, run_id: str) -> tuple[dict, dict]:
    """The run's summary and config (its settings and design) from one read of the run index ({}, {} when it
    cannot be read)."""
    from ...project import run_records
    from ...project.errors import ProjectError

    try:
        info = run_records.get_run(project, run_id)
    except (ProjectError, OSError):
        return {}, {}
    return info.summary, info.config or {}


def best_run(project):
    """The project's best run now (:func:`cnnstudio.project.run_records.best_run`: the one the Evaluate and Predict
    pages offer first), None when there is none or the index cannot be read (its database refused: another
    program's change half made, a disk gone)."""
    import sqlite3

    from ...project import run_records
    from ...project.errors import ProjectError

    try:
        return run_records.best_run(project)
    except (ProjectError, OSError, sqlite3.Error):
        return None


def best_run_why(project, run_id: str):
    """The project's best run now and why it was chosen over run ``run_id``
    (:func:`cnnstudio.project.run_records.best_run_why`), None when there is none or the index cannot be read."""
    import sqlite3

    from ...project import run_records
    from ...project.errors import ProjectError

    try:
        return run_records.best_run_why(project, over=run_id)
    except (ProjectError, OSError, sqlite3.Error):
        return None


def metrics(project, run_id: str) -> list[dict]:
    """The run's epochs (metrics.jsonl: EpochEnd rows), [] when there are none or they cannot be read."""
    from ...engine.errors import EngineError
    from ...engine.runs import lifecycle as runs

    try:
        return runs.read_metrics(project, run_id)
    except (EngineError, OSError, ValueError):
        return []


def history(project, run_id: str, start_epoch: int) -> tuple[list[dict], int | None]:
    """A run resumed at ``start_epoch``: the epochs it trained before (those its checkpoint covers) and its best
    epoch so far."""
    before = [m for m in metrics(project, run_id) if isinstance(m.get("epoch"), int) and m["epoch"] < start_epoch]
    return before, summary(project, run_id).get("best_epoch")


def lr_points(project, run_id: str, metrics: list[dict]):
    """The learning rate at every step of the epochs ``metrics`` keep, as the live plot drew it, from the run's
    settings and the epochs it planned (engine/train/lr_curve.py); None when that cannot be known."""
    from ...engine.train.lr_curve import schedule_points

    info_summary, config = summary_and_config(project, run_id)
    return schedule_points(config.get("settings"), info_summary.get("epochs_planned"), metrics)
