"""What ``cnnstudio train`` and ``cnnstudio runs`` call a run's rows: epochs, or, for a frozen pretrained backbone
whose last layer is fitted exactly (engine/runs/frozen_run.py: ``uses_frozen_path`` and ``has_linear_head``), the
strengths of regularisation it tried, then the fine-tuning's epochs when it is fine-tuned afterwards. Which rows are
which, and their words, are engine/runs/head_rows.py's (the Train page's too: "strength 3", "the last layer fitted at
7 strengths of regularisation, the best on validation kept"), so "epoch 3/7" and "best epoch 1 of 7" are never said
of strengths (QA: ``cnnstudio train --epochs 3`` on such a design gave 7 "epochs" without a word). Their ``--json``
(:func:`json_rows`, :data:`JSON_HELP`) counts its fine-tuning's epochs alone in ``"epochs"`` and ``"best_epoch"``
and says its strengths in ``"head"`` (head_rows.rows_json), so that no strength is given as an epoch there either."""

from __future__ import annotations

import json
from pathlib import Path


#: what ``--json`` of ``cnnstudio train`` and ``cnnstudio runs`` says of such a run (its help; json_rows makes it)
JSON_HELP = ("for a pretrained model whose last layer is fitted in one go (the transfer presets), its tries are "
             "not epochs: they are listed under \"head\" (\"strengths\": each try, \"chosen\": the one kept, "
             "\"kept\": whether the model kept is that fit), and \"epochs\" and \"best_epoch\" count only the "
             "epochs of training the whole network after it (0 and null: none)")


def run_file(root, run_id: str, name: str) -> Path:
    """The file ``name`` (:data:`~cnnstudio.project.run_records.CONFIG`, ``METRICS``) of run ``run_id`` in a project
    or a job folder ``root``: :func:`~cnnstudio.project.run_records.run_dir`, which checks the id (a job folder is a
    project too, and the run's folder is named from the root alone: no project is opened to read it)."""
    from types import SimpleNamespace

    from ..project import run_records

    return run_records.run_dir(SimpleNamespace(root=Path(root)), run_id) / name


def run_config(root, run_id: str) -> dict | None:
    """Run ``run_id``'s config.json in a project or a job folder ``root``; None when it cannot be read (missing,
    damaged, not an object; a run id that is none)."""
    from ..project import run_records
    from ..project.errors import ProjectError

    try:
        data = json.loads(run_file(root, run_id, run_records.CONFIG).read_text(encoding="utf-8"))
    except (OSError, ValueError, ProjectError):
        return None
    return data if isinstance(data, dict) else None


class RunConfigs:
    """The config.json of each run ``cnnstudio train`` shows (a project or a job folder ``root``), read once a run:
    its head note before training, its first line, its end all ask (it was read up to four times). A config not
    there yet is read again when asked again."""

    def __init__(self, root):
        self.root = root
        self._read: dict[str, dict] = {}

    def __call__(self, run_id: str) -> dict | None:
        if run_id not in self._read:
            config = run_config(self.root, run_id) if self.root is not None else None
            if config is None:
                return None
            self._read[run_id] = config
        return self._read[run_id]


def run_metrics(root, run_id: str) -> list[dict]:
    """Run ``run_id``'s rows (metrics.jsonl) in a project or a job folder ``root``, up to a line cut short; [] when
    they cannot be read."""
    from ..project import run_records
    from ..project.errors import ProjectError

    try:
        return run_records.metrics_rows(run_file(root, run_id, run_records.METRICS))
    except (OSError, ValueError, ProjectError):
        return []


def rows_of(config: dict | None, planned: int | None = None, metrics: list[dict] | None = None):
    """The run's :class:`~cnnstudio.engine.runs.head_rows.HeadRows` (``planned``: the rows it planned or did;
    ``metrics``: its rows, which say where its fine-tuning began, also when early stopping ended that before its
    planned epochs), or None for a run that trains by epochs (and one whose config or rows cannot be read: said as
    epochs, as before)."""
    from ..engine.errors import EngineError
    from ..engine.runs.head_rows import head_rows

    try:
        return head_rows(config, metrics, planned)
    except (EngineError, TypeError, ValueError):  # a damaged config or row: a number that is none
        return None


def json_rows(out: dict, rows, done, best, metrics: list[dict] | None = None) -> dict:
    """``out`` (a run's ``--json`` object, with its ``"epochs"`` and ``"best_epoch"`` as metrics.jsonl numbers
    them) with, for a frozen head fitted exactly (``rows``), those said without its strengths and its ``"head"``
    object (:func:`~cnnstudio.engine.runs.head_rows.rows_json`); as it is for any other run (``rows`` None)."""
    if rows is None or not isinstance(done, int):
        return out
    from ..engine.runs.head_rows import rows_json

    return {**out, **rows_json(rows, done, best, metrics)}


def head_note(config: dict | None) -> str:
    """The line said once before such a run trains: what it does instead of epochs, and that the Epochs and
    learning-rate settings are not used for its head (:func:`~cnnstudio.engine.runs.frozen_run.frozen_head_words`,
    the words of its details on the Train page); "" for any other run."""
    if rows_of(config) is None:
        return ""
    from ..engine.runs.frozen_run import frozen_head_words

    words = frozen_head_words(config)
    return f"note: {words}." if words else ""


def start_words(rows, planned: int, batches: int) -> str:
    """The first line's count of such a run ("7 epochs of 1 batch" of any other): "its last layer fitted at 7
    strengths of regularisation", "…, then 2 fine-tuning epochs of 3 batches"."""
    from ..project.counting import counted

    head = min(rows.head, planned)
    text = f"its last layer fitted at {counted(head, 'strength')} of regularisation"
    if rows.fine_tuned and planned > head:
        text += f", then {counted(planned - head, 'fine-tuning epoch')} of {counted(batches, 'batch', 'batches')}"
    return text


def row_label(rows, n: int, planned: int) -> str:
    """Row ``n`` of ``planned`` as a progress line starts: "strength 3/7", "fine-tuning epoch 1/2"."""
    head = min(rows.head, planned)
    return f"{rows.row(n)}/{head if rows.is_head(n) else planned - head}"


__all__ = ["JSON_HELP", "RunConfigs", "head_note", "json_rows", "row_label", "rows_of", "run_config", "run_file",
           "run_metrics", "start_words"]
