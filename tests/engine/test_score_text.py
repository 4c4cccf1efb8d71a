"""The one way a score is written with how far it can be trusted (engine/use/figures.py: score_text)."""

from __future__ import annotations

import math

from cnnstudio.engine.use.figures import score_text
from cnnstudio.engine.use.intervals import accuracy_interval


def test_score_text_is_the_accuracy_and_its_wilson_interval():
    lo, hi = accuracy_interval(0.85, 20)
    assert score_text(0.85, 20) == f"85.0% ({lo * 100:.0f}–{hi * 100:.0f}%)" == "85.0% (64–95%)"
    assert score_text(1.0, 40) == "100% (91–100%)"  # honest at 100 %: not a point
    assert score_text(0.5, 0) == score_text(0.5, None) == "50.0%"  # the pictures not known: no interval claimed
    assert score_text(math.nan, 20) == score_text(None, 20) == "–"
