"""How a model's numbers are written: one rounding rule, when top-k is shown, per-class 95 % ranges."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cnnstudio.engine.use.figures import class_ranges, percent, probability_percent, range_text, top_k_says_something
from cnnstudio.engine.use.intervals import wilson_interval


@pytest.mark.parametrize("value, text", [
    (1.0, "100%"), (0.0, "0%"),
    (0.9999, "> 99.9%"), (0.99951, "> 99.9%"), (1 - 1e-9, "> 99.9%"),
    (0.9994, "99.9%"), (0.995, "99.5%"), (0.5, "50.0%"), (0.123, "12.3%"),
    (0.001, "0.1%"), (0.0004, "< 0.1%"), (1e-9, "< 0.1%"),
])
def test_one_decimal_and_never_100_or_0_unless_exact(value, text):
    assert percent(value) == text


def test_percent_never_claims_certainty_it_does_not_have():
    steps = [i / 100_000 for i in range(1, 100_000)]  # every value strictly between 0 and 1
    assert all(percent(v) not in ("100%", "100.0%", "0%", "0.0%") for v in steps)


def test_a_probability_is_never_100_or_0_even_where_float32_rounds_it_there():
    """QA: a blue rectangle read "cherries 100% sure · next: apples < 0.1%": float32's softmax was exactly 1.0. A
    model's probability is never exactly 1 (two classes or more); an accuracy of exactly 100 % still reads "100%"."""
    import torch

    saturated = torch.softmax(torch.tensor([40.0, 0.0, -3.0]), dim=0).tolist()  # what the model gave, in float32
    assert saturated[0] == 1.0 and 0 < saturated[1] < 1e-9  # the very numbers that read "100%"
    assert [probability_percent(v) for v in saturated] == ["> 99.9%", "< 0.1%", "< 0.1%"]
    assert probability_percent(0.0) == "< 0.1%" and probability_percent(0.97) == percent(0.97) == "97.0%"
    assert probability_percent(0.99961) == percent(0.99961) == "> 99.9%"
    assert percent(1.0) == "100%" and percent(0.0) == "0%"  # a share (an accuracy) can be exactly 100 % or 0 %


def test_top_k_is_shown_only_when_it_can_differ_from_always():
    assert not top_k_says_something(2, 2)  # "top-2: 100.0%" with two classes
    assert not top_k_says_something(2, 3)
    assert not top_k_says_something(3, 4)
    assert top_k_says_something(3, 5)
    assert top_k_says_something(3, 10)
    assert not top_k_says_something(0, 10)


def test_class_ranges_are_wilson_intervals_of_the_matrix_counts():
    # a: 8 of 10 found, 8 of 9 called "a" were a; b: 1 of 2 found; c: no pictures, never predicted
    ev = {"classes": ["a", "b", "c"], "confusion_matrix": [[8, 2, 0], [1, 1, 0], [0, 0, 0]]}
    r = class_ranges(ev)
    assert r["a"]["recall"] == wilson_interval(8, 10)
    assert r["a"]["precision"] == wilson_interval(8, 9)
    assert r["b"]["recall"] == wilson_interval(1, 2) and r["b"]["precision"] == wilson_interval(1, 3)
    assert r["c"] == {"recall": None, "precision": None}
    lo, hi = r["a"]["recall"]
    assert lo < 0.8 < hi
    assert range_text(lo, hi) == f"{lo * 100:.0f}–{hi * 100:.0f}%"
    assert range_text(0.64, 0.95) == "64–95%"


def test_figures_need_neither_qt_nor_torch():
    code = ("import sys, cnnstudio.engine.use.figures as f; assert f.percent(0.5) == '50.0%'; "
            "assert not {'torch', 'PySide6', 'numpy'} & set(sys.modules), sorted(sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])
