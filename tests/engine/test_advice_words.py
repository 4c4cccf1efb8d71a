"""QA first-run #3: the advice names no class alone when every class is short of pictures, writes percentages by the
app's one rounding rule (the 96.7% of the headline, not "97%"), and has no second colon after the page's
"Worth doing:"."""

from __future__ import annotations

from cnnstudio.engine.runs.advice import advise_from, few_words
from cnnstudio.engine.use.figures import percent
from tests.engine.test_advice_actions import ROWS, matrix_eval
from tests.engine.test_runs import settings

DIGITS = [str(d) for d in range(10)]


def _eval(split: str, right: int, n: int) -> dict:
    cm = [[0] * 10 for _ in range(10)]
    for i in range(n):
        c = i % 10
        cm[c][c if i < right else (c + 1) % 10] += 1
    return {"split": split, "images": n, "accuracy": right / n, "classes": DIGITS, "confusion_matrix": cm,
            "per_class": {}}


def _advice(train: dict, val=(29, 30)):
    counts = {"train": train, "val": {d: 3 for d in DIGITS}, "test": {d: 3 for d in DIGITS}}
    return advise_from(ROWS, {"val": _eval("val", *val)}, settings(epochs=4), DIGITS, counts)


def test_every_class_short_of_pictures_is_said_of_every_class():
    items = _advice({d: 14 for d in DIGITS})
    few = next(a for a in items if a.kind == "few_pictures")
    assert few.text.startswith("Every class has only 14 training pictures. 50 to 100 per class is a good start")
    assert "“0”" not in few.text and few.text.count(":") == 0
    assert few_words({"a": 14, "b": 20, "c": 50}, "a") == ("“a” and 1 other class have fewer than 30 training "
                                                           "pictures (“a” has only 14 training pictures).")
    assert few_words({"a": 1, "b": 50}, "a") == "“a” has only 1 training picture."
    assert few_words({"a": 14, "b": 20}, "a") == ("Every class has fewer than 30 training pictures (“a” has only 14 "
                                                  "training pictures).")


def test_the_score_is_written_as_the_headline_writes_it():
    items = _advice({d: 14 for d in DIGITS})
    small = next(a for a in items if a.kind == "small_validation")
    assert f"so the {percent(29 / 30)} measured could really be anywhere in 83–99%." in small.text
    assert "97%" not in small.text and percent(29 / 30) == "96.7%"
    assert all(":" not in a.text.split(".")[0] for a in items if a.kind in ("few_pictures", "imbalance"))
    unbalanced = advise_from(ROWS, {"val": matrix_eval("val", [[25, 3, 1], [3, 28, 0], [0, 0, 30]])},
                             settings(epochs=4), ["1", "2", "8"],
                             {"train": {"1": 10, "2": 40, "8": 40}, "val": {}, "test": {}})
    imbalance = next(a for a in unbalanced if a.kind == "imbalance")
    assert imbalance.text.startswith("The classes are unbalanced (“8” has 40 training pictures, “1” only 10).")
