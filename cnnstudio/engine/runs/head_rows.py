"""What a run's rows (metrics.jsonl, the Train page's points) are, in words a beginner reads: epochs of training, or,
for a frozen pretrained backbone whose last layer is fitted exactly (engine/runs/frozen_run.py: ``uses_frozen_path``
and ``has_linear_head``), the strengths of regularisation it tried (strong to weak, one row each: the best on the
validation pictures is kept), then, when it is fine-tuned afterwards, the fine-tuning's epochs. Which rows are which is
the advice's rule, :func:`~.advice_reading.training_rows` (the head's rows have no learning rate), not a copy of it.

The Train page (its progress line, best, finished line, plot axes) and the run's report (its curves) say the rows
with these words, so "7 of 7 epochs trained" and "★ best epoch (7)" are never said of strengths (QA transfer #7).
Qt-free, torch-free."""

from __future__ import annotations

from dataclasses import dataclass

from ...project.counting import counted
from .advice_reading import training_rows, trains_by_epochs

STRENGTHS = "strengths of regularisation"
# the x axis of a head fitted exactly (strong to weak), and of one fine-tuned after it: whole under a plot 150 pixels
# wide on the Train page
STRENGTH_AXIS = "strength (weaker →)"
MIXED_AXIS = "strength, then epoch"


@dataclass(frozen=True)
class HeadRows:
    """A run of a frozen backbone's head fitted exactly: its first ``head`` rows are strengths, and when
    ``fine_tuned``, the rows after them the fine-tuning's epochs."""
    head: int
    fine_tuned: bool

    def axis(self) -> str:
        return MIXED_AXIS if self.fine_tuned else STRENGTH_AXIS

    def row(self, n: int) -> str:
        """Row ``n`` (1-based, as the metrics number it) in words: "strength 3", "fine-tuning epoch 2"."""
        return f"strength {n}" if n <= self.head else f"fine-tuning epoch {n - self.head}"

    def is_head(self, n: int) -> bool:
        return n <= self.head


def head_rows(config: dict | None, metrics: list[dict] | None = None, planned: int | None = None) -> HeadRows | None:
    """``config`` (a run's config.json) fits a frozen head exactly: which rows are its strengths; None for a run that
    trains by epochs from its first row (or a config that cannot be read). ``metrics``: its rows so far (the head's
    are those before the first with a learning rate); ``planned``: the rows the run planned (RunStarted's
    ``epochs``), for a run whose head is still being fitted: its strengths are those less the fine-tuning's epochs."""
    if not isinstance(config, dict) or training_rows(config, [])[1]:
        return None
    fine_tuned = trains_by_epochs(config)  # an exact head trains by epochs only when fine-tuned after it
    rows = list(metrics or [])
    epochs, by_epochs = training_rows(config, rows)
    head = len(rows) - len(epochs) if by_epochs else len(rows)
    if not by_epochs and planned is not None:  # still fitting the head, or never fine-tuned: its planned strengths
        ft = _fine_tune_epochs(config) if fine_tuned else 0
        head = max(head, planned - ft)
    return HeadRows(head, fine_tuned)


def _fine_tune_epochs(config: dict) -> int:
    st = config.get("settings") if isinstance(config.get("settings"), dict) else {}
    n = st.get("fine_tune_epochs")
    return n if isinstance(n, int) and n > 0 else 0


def fitted_words(rows: HeadRows, total: int, best: int | None) -> str:
    """What a finished (or ended) run of a head fitted exactly did, ``total`` rows in all, row ``best`` kept: "the
    last layer fitted at 7 strengths of regularisation, the best on validation kept"; fine-tuned, "…, then 2
    fine-tuning epochs; the best on validation kept: fine-tuning epoch 1", or "…; the last layer alone kept:
    fine-tuning did not do better on validation"."""
    head = min(rows.head, total)
    fitted = f"the last layer fitted at {counted(head, 'strength')} of regularisation"
    if not rows.fine_tuned or total <= head:
        return fitted + (", the best on validation kept" if head > 1 else "")
    said = f"{fitted}, then {counted(total - head, 'fine-tuning epoch')}"
    if isinstance(best, int) and best > head:
        return f"{said}; the best on validation kept: fine-tuning epoch {best - head}"
    return f"{said}; the last layer alone kept: fine-tuning did not do better on validation"


def rows_json(rows: HeadRows, done: int, best: int | None, metrics: list[dict] | None = None) -> dict:
    """What ``cnnstudio train --json`` and ``cnnstudio runs --json`` say of such a run's rows, ``done`` of them
    trained, row ``best`` kept (the numbers of metrics.jsonl, which count the head's strengths as rows), so that no
    strength is given as an epoch: ``"epochs"``, the fine-tuning's epochs trained (0: none, a head alone);
    ``"best_epoch"``, the fine-tuning epoch kept, counted as ``"epochs"`` is (null: the head's own fit kept, or no
    row yet); ``"head"``: ``{"strengths", "chosen", "kept"}``, the strengths of regularisation tried, the one whose
    fit was kept or fine-tuned from (numbered strong to weak as the Train page says "strength 3"; null when
    ``metrics``, the run's rows, do not say it), and whether the model kept is that fit (the fine-tuning did not beat
    it, or there was none)."""
    head = min(rows.head, done)
    tuned = isinstance(best, int) and best > head
    chosen = best if isinstance(best, int) and 1 <= best <= head else _head_best(metrics or [], head)
    return {"epochs": max(0, done - head), "best_epoch": best - head if tuned else None,
            "head": {"strengths": head, "chosen": chosen, "kept": chosen is not None and not tuned}}


def _head_best(metrics: list[dict], head: int) -> int | None:
    """The head's best strength among the run's first ``head`` rows: the last it marked best (an exact fit marks each
    better one: head_fit.py); None when the rows do not say."""
    marked = [m.get("epoch") for m in metrics[:head] if isinstance(m, dict) and m.get("is_best")]
    return next((n for n in reversed(marked) if isinstance(n, int) and 1 <= n <= head), None)


def progress_words(rows: HeadRows, planned: int, done: int, epoch: int = 0, batch: int = 0, batches: int = 0,
                   ended: bool = False) -> str:
    """The progress of such a run as the Train page's line under the status says it, in place of "3 of 7 epochs
    trained": ``planned`` rows in all, ``done`` finished, row ``epoch`` in progress at ``batch`` of ``batches``."""
    head = min(rows.head, planned)
    if done < head or not rows.fine_tuned:
        if ended or done >= head:
            return f"last layer fitted at {counted(min(done, head), 'strength')} of regularisation"
        return f"fitting the last layer: {done} of {head} {STRENGTHS}"
    ft, ft_done = planned - head, done - head
    text = f"last layer fitted; {ft_done} of {counted(ft, 'fine-tuning epoch')} trained"
    if not ended and done < epoch <= planned:
        now = epoch - head
        text += f", epoch {now} at batch {batch} of {batches}" if batch else f", epoch {now} starting"
    return text


__all__ = ["MIXED_AXIS", "STRENGTHS", "STRENGTH_AXIS", "HeadRows", "fitted_words", "head_rows", "progress_words",
           "rows_json"]
