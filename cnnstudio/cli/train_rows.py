"""What ``cnnstudio train`` and ``cnnstudio runs`` call a run's rows: epochs, or, for a frozen pretrained backbone
whose last layer is fitted exactly (engine/runs/frozen_run.py: ``uses_frozen_path`` and ``has_linear_head``), the
strengths of regularisation it tried, then the fine-tuning's epochs when it is fine-tuned afterwards. Which rows are
which, and their words, are engine/runs/head_rows.py's (the Train page's too: "strength 3", "the last layer fitted at
7 strengths of regularisation, the best on validation kept"), so "epoch 3/7" and "best epoch 1 of 7" are never said
of strengths (QA: ``cnnstudio train --epochs 3`` on such a design gave 7 "epochs" without a word)."""

from __future__ import annotations

import json
from pathlib import Path


def run_config(root, run_id: str) -> dict | None:
    """Run ``run_id``'s config.json in a project or a job folder ``root`` (both keep it at runs/RUN_ID/); None when
    it cannot be read."""
    try:
        data = json.loads((Path(root) / "runs" / run_id / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError):
        return None
    return data if isinstance(data, dict) else None


def rows_of(config: dict | None, planned: int | None = None):
    """The run's :class:`~cnnstudio.engine.runs.head_rows.HeadRows` (``planned``: the rows it planned or did), or
    None for a run that trains by epochs."""
    from ..engine.runs.head_rows import head_rows

    try:
        return head_rows(config, None, planned)
    except Exception:  # noqa: BLE001 - a config that cannot be read: said as epochs, as before
        return None


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


__all__ = ["head_note", "row_label", "rows_of", "run_config", "start_words"]
