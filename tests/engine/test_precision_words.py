"""A class the model never answered has no precision: a dash and why, never "0%" (QA: "0%" for 0 of 0)."""

from __future__ import annotations

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
