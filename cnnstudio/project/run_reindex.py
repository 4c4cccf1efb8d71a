"""Runs whose folder is in the project's runs/ but whose row is not in project.db: a copy of project.db put back
(:mod:`.put_back`, or renamed by hand as opening a damaged project says) is older than some runs. Stdlib only.

A run's folder holds what its row needs: config.json, dataset.json (with its fingerprint) and its model's
manifest (the metrics), metrics.jsonl: :func:`index_run_folder` reads them the way ``cnnstudio import-run`` reads a
run brought home (:func:`status_and_summary` is that one rule), and :func:`reindex_runs` does it for every such
folder after a put-back. A folder that does not hold a whole run (no model, a damaged file) is left as it is.

A copy of project.db carries :data:`COPY_MARK` in its meta table (written into the copy only, by
:func:`.db_backup.keep_backup`, and by :func:`.db_backup.restore_backup` for a copy made before): the project opened
from it (whichever way it was put back) finds its runs again once, and removes the mark (:func:`after_put_back`).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from . import run_records
from .db_backup import COPY_MARK
from .errors import ProjectError
from .run_records import CONFIG, DATASET, EVALUATION, METRICS, MODEL_DIR
from .store import RUNS_DIR, Project

MANIFEST = "manifest.json"  # the model's manifest (engine/use/bundle.MANIFEST)
RUN_FILE = "run.json"  # the row of a run trained elsewhere (engine/runs/jobs.RUN_FILE)


class NotARun(Exception):
    """A folder that does not hold a whole run: why, in words."""


def status_and_summary(folder: Path, run_file: dict, manifest: dict) -> tuple[str, dict]:
    """The run's status and summary: from run.json when it was written, else from its files."""
    summary = dict(run_file.get("summary") or {}) if isinstance(run_file.get("summary"), dict) else {}
    status = run_file.get("status") if run_file.get("status") in run_records.STATUSES else None
    metrics = manifest.get("metrics") if isinstance(manifest.get("metrics"), dict) else {}
    if status is None:
        status = "finished" if (folder / EVALUATION).is_file() and "test_accuracy" in metrics else "stopped"
    if status in ("running", "created"):
        status = "stopped"  # killed while training elsewhere: resumable here from its checkpoint
    for k in ("val_accuracy", "test_accuracy", "best_epoch", "epochs", "train_seconds"):
        if k not in summary and k in metrics:
            summary[k] = metrics[k]
    if "last_epoch" not in summary:
        path = folder / METRICS
        if path.is_file():
            epochs = []
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    epochs.append(int(json.loads(line)["epoch"]))
                except (ValueError, KeyError, TypeError):
                    break
            if epochs:
                summary["last_epoch"] = max(epochs)
    summary["imported"] = True
    return status, summary


def read_json(path: Path) -> dict:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NotARun(f"{path.name} is missing from run folder {path.parent.name}") from None
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as e:
        raise NotARun(f"{path.name} of run {path.parent.name} is damaged ({e})") from None
    if not isinstance(value, dict):
        raise NotARun(f"{path.name} of run {path.parent.name} is damaged")
    return value


def index_run_folder(project: Project, folder: Path, name: str = "", manifest: dict | None = None) -> str:
    """Give the run in ``folder`` (inside the project's runs/, with no row) its row again, from its own files;
    its id. :class:`NotARun` when it does not hold a whole run; ``manifest``: its model's, already read and checked
    (``import-run``), else read here."""
    run_id = folder.name
    run_records.check_run_id(run_id)
    config, dataset = read_json(folder / CONFIG), read_json(folder / DATASET)
    if not isinstance(dataset.get("fingerprint"), str) or not isinstance(dataset.get("images"), list):
        raise NotARun(f"the dataset.json of run {run_id} is damaged")
    if manifest is None:
        if not (folder / MODEL_DIR / MANIFEST).is_file():
            raise NotARun(f"run {run_id} has no trained model")
        manifest = read_json(folder / MODEL_DIR / MANIFEST)
    run_file = read_json(folder / RUN_FILE) if (folder / RUN_FILE).is_file() else {}
    status, summary = status_and_summary(folder, run_file, manifest)
    summary.pop("imported", None)  # trained in this project: its row was lost, it was not brought from elsewhere
    created = (folder / CONFIG).stat().st_mtime
    run_records.add_run(project, run_id, name, status=status, config=config, summary=summary,
                        data_fingerprint=dataset["fingerprint"], created_at=created)
    return run_id


def reindex_runs(project: Project) -> int:
    """Give every whole run in runs/ without a row its row again (:func:`index_run_folder`); how many came back."""
    back = 0
    for folder in run_records.orphan_run_dirs(project):
        try:
            index_run_folder(project, folder)
        except (NotARun, ProjectError, OSError):
            continue  # not a whole run (a half-deleted folder, a damaged file): left as it is
        back += 1
    return back


def after_put_back(project: Project) -> tuple[float | None, int]:
    """For a project just opened where it can be written: when its project.db is a copy put back (it carries
    :data:`COPY_MARK`), find its runs again and remove the mark; (the copy's time, how many runs came back), or
    (None, 0) for a project that is not a copy put back."""
    try:
        mark = project.meta(COPY_MARK)
    except sqlite3.Error:
        return None, 0
    if mark is None:
        return None, 0
    back = reindex_runs(project)
    with project.transaction() as tx:
        tx.execute("DELETE FROM meta WHERE key = ?", (COPY_MARK,))
    try:
        return float(mark), back
    except ValueError:
        return None, back


def runs_back_words(n: int) -> str:
    """"2 runs found in runs/ were added back to the runs list" (``n`` > 0), else ""."""
    if n <= 0:
        return ""
    return (f"{n} run{'s' if n != 1 else ''} found in the project's {RUNS_DIR} folder "
            f"{'was' if n == 1 else 'were'} added back to the runs list")
