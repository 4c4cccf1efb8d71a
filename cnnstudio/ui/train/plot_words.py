"""The Train page's plots in words, for a screen reader (Qt-free; :mod:`..readable_plot` puts them on the plots):
"Loss: epoch 6 of 8, training 0.61, validation 0.12; best epoch 6"."""

from __future__ import annotations

import math


def loss_text(v: float) -> str:
    return f"{v:.3g}"


def epoch_words(title: str, xs: list, train: list, val: list, epochs: int | None, best: int | None, text,
                rows=None) -> str:
    """The newest epoch's training and validation figures (``text`` writes one), of how many, and the best epoch;
    of a frozen head fitted exactly (``rows``: :class:`~cnnstudio.engine.runs.head_rows.HeadRows`) its rows as
    strengths and fine-tuning epochs ("Loss: strength 6 of 7, …; kept: strength 6")."""
    if not xs:
        return f"{title}: no {'strength' if rows is not None else 'epoch'} finished yet"

    def said(ys: list) -> str:
        y = ys[-1] if ys else math.nan
        return text(y) if isinstance(y, (int, float)) and math.isfinite(y) else "none"

    if rows is not None:
        now = int(xs[-1])
        of = f" of {rows.head}" if rows.is_head(now) else (f" of {epochs - rows.head}" if epochs else "")
        words = f"{title}: {rows.row(now)}{of}, training {said(train)}, validation {said(val)}"
        return words + (f"; kept: {rows.row(best)}" if best is not None else "")
    of = f" of {epochs}" if epochs else ""
    words = f"{title}: epoch {int(xs[-1])}{of}, training {said(train)}, validation {said(val)}"
    return words + (f"; best epoch {best}" if best is not None else "")


def rate_words(rates: list, none: bool) -> str:
    """The learning rate now and its highest, or why there is none."""
    if none:
        return "Learning rate: none, the last layer was fitted exactly"
    finite = [r for r in rates if isinstance(r, (int, float)) and math.isfinite(r)]
    if not finite:
        return "Learning rate: no step yet"
    return f"Learning rate: now {finite[-1]:.3g}, highest {max(finite):.3g}"
