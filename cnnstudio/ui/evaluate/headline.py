"""The Evaluate page's headline over the scores: "<b>92.1%</b> of 120 validation pictures recognised correctly (likely
86–96%)", the technical numbers (top-k when it says something, loss, average F1) on a smaller second line, and its
tooltip with the glossary's plain meaning of each word. Every percentage is written by
:func:`cnnstudio.engine.use.figures.percent` (a range by ``range_text``)."""

from __future__ import annotations

from html import escape

from ...engine.use.figures import percent, range_text, top_k_says_something
from ...engine.use.intervals import accuracy_interval
from ...project.glossary import tip
from ..font_sizes import LARGER, SMALLER, font_css


def headline_html(ev: dict, split_name: str) -> str:
    """The headline of evaluation ``ev`` on ``split_name`` ("validation pictures"): the score a quarter larger than
    the body text (font_sizes), the technical numbers on a smaller second line."""
    lo, hi = accuracy_interval(ev["accuracy"], ev["images"])  # how far the score can be trusted
    top_k = top_k_says_something(ev["top_k"], len(ev["classes"]))
    top = f"top-{ev['top_k']}: {escape(percent(ev['top_k_accuracy']))} · " if top_k else ""
    return (f"<span style='{font_css(LARGER)}'><b>{escape(percent(ev['accuracy']))}</b> of {ev['images']:,} "
            f"{split_name} recognised correctly</span> (likely {range_text(lo, hi)})<br>"
            f"<span style='{font_css(SMALLER)}'>{top}loss {ev['loss']:.3f} · average F1 {ev['macro']['f1']:.2f}"
            "</span>")


def headline_tip(ev: dict, split_name: str) -> str:
    """The headline's tooltip: what each of its words means, and how far this score can be trusted."""
    lo, hi = accuracy_interval(ev["accuracy"], ev["images"])
    top_k = top_k_says_something(ev["top_k"], len(ev["classes"]))
    return (tip("accuracy", "confidence interval", *(("top-k",) if top_k else ()), "loss", "F1")
            + f"\nHere: {ev['images']:,} {split_name}, so the true accuracy is likely {range_text(lo, hi)}.")
