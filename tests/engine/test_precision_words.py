"""A class the model never answered has no precision: a dash and why, never "0%" (QA: "0%" for 0 of 0)."""

from __future__ import annotations

import pytest

from cnnstudio.engine.use.precision_words import (NEVER_ANSWERED_LINE, NEVER_ANSWERED_TIP, NO_PRECISION,
                                                   never_answered, precision_text)

EV = {"classes": ["circle", "square", "star"],
      "confusion_matrix": [[3, 3, 0], [0, 6, 0], [0, 2, 0]],  # no picture taken for a star
      "per_class": {"circle": {"precision": 1.0}, "square": {"precision": 6 / 11}, "star": {"precision": 0.0}}}


def test_a_class_never_answered_has_a_dash_for_its_precision_and_a_class_answered_wrongly_zero():
    assert [never_answered(EV, c) for c in EV["classes"]] == [False, False, True]
    assert [precision_text(EV, c) for c in EV["classes"]] == ["100%", "54.5%", NO_PRECISION]
    assert NO_PRECISION == "–"
    wrong = {"classes": ["a", "b"], "confusion_matrix": [[0, 2], [2, 0]],  # answered, always wrongly: 0 of 2
             "per_class": {"a": {"precision": 0.0}, "b": {"precision": 0.0}}}
    assert [precision_text(wrong, c) for c in ("a", "b")] == ["0%", "0%"]
    assert NEVER_ANSWERED_TIP == "The model never answered this class, so there is nothing to be precise about."
    assert NEVER_ANSWERED_LINE == ("precision –: the model never answered this class, so there is nothing to be "
                                   "precise about.")


def test_the_average_precision_is_over_the_classes_that_have_one():
    """QA's numbers: circle 4 of 7 answers right (57.1%), square never answered ("–"), triangle 4 of 11 (36.4%): the
    average is (57.1% + 36.4%) / 2, not a third of them with the "–" as 0 (31.2%), and the words say over how many;
    compute_metrics keeps the same figure as the evaluation's macro precision."""
    import torch

    from cnnstudio.engine.use.evaluate import compute_metrics
    from cnnstudio.engine.use.precision_words import average_precision_text, average_words, precision_average

    matrix = [[4, 0, 2], [1, 0, 5], [2, 0, 4]]  # rows: true circle, square, triangle; columns: predicted
    labels, predicted = [], []
    for true, row in enumerate(matrix):
        for guess, n in enumerate(row):
            labels += [true] * n
            predicted += [guess] * n
    probs = torch.nn.functional.one_hot(torch.tensor(predicted), 3).float() * 0.8 + 0.2 / 3
    ev = compute_metrics(labels, probs, ["circle", "square", "triangle"]).to_json()
    assert ev["confusion_matrix"] == matrix
    average, over, of = precision_average(ev)
    assert (over, of) == (2, 3) and average == pytest.approx((4 / 7 + 4 / 11) / 2)
    assert average_precision_text(ev) == "46.8%" and ev["macro"]["precision"] == pytest.approx(average)
    assert average_words(ev) == ("The average precision is over the 2 classes it is defined for: a class the model "
                                 "never answered has no precision to count.")
    matrix = [[4, 1, 2], [1, 1, 5], [2, 0, 4]]  # square answered once, rightly: every class counts
    assert average_words({**ev, "confusion_matrix": matrix}) == ""
