"""The one rule for an unsure answer (QA predict 9): the top class under 50 %, or the next class less than 10 points
behind. The engine holds it, so the Predict page, the folder CSV and ``cnnstudio predict`` flag the same answers."""

from __future__ import annotations

import csv

from cnnstudio.engine.use.predict import BatchResult, Prediction, write_csv
from cnnstudio.engine.use.unsure import CLOSE, RULE_WORDS, UNSURE_BELOW, is_unsure


def test_the_rule():
    assert (UNSURE_BELOW, CLOSE) == (0.5, 0.1)
    assert is_unsure({str(i): p for i, p in enumerate([0.287] + [0.0792] * 9)})  # a blue square, "1" at 28.7 %
    assert is_unsure({"cat": 0.54, "dog": 0.46})  # two classes close together
    assert is_unsure({"cat": 0.49, "dog": 0.11, "cow": 0.40})  # under a half, though far ahead of the next
    assert not is_unsure({"cat": 0.919, "dog": 0.081}) and not is_unsure({"cat": 0.6, "dog": 0.4})
    assert not is_unsure({}) and not is_unsure({"cat": float("nan")}) and not is_unsure({"only": 1.0})
    assert RULE_WORDS == ("the model's answer is under 50.0% sure, or the next class is less than 10 points "
                          "behind it")


def test_the_csv_says_which_answers_are_unsure_in_a_last_column(tmp_path):
    sure = Prediction(str(tmp_path / "sure.png"), "sky", 0, 0.9, {"sky": 0.9, "sea": 0.1})
    unsure = Prediction(str(tmp_path / "close.png"), "sea", 1, 0.54, {"sky": 0.46, "sea": 0.54})
    assert not sure.unsure and unsure.unsure
    assert sure.to_json()["unsure"] is False and unsure.to_json(top=1)["unsure"] is True
    result = BatchResult([sure, unsure], [{"path": str(tmp_path / "notes.txt"), "reason": "a text file"}])
    out = write_csv(result, ["sky", "sea"], tmp_path / "predictions.csv")
    with open(out, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["path", "label", "confidence", "sky", "sea", "error", "unsure", "unlike_training"]
    assert [(r["label"], r["error"], r["unsure"], r["unlike_training"]) for r in rows] == [
        ("sky", "", "false", ""), ("sea", "", "true", ""), ("", "a text file", "", "")]


def test_a_picture_unlike_the_training_pictures_may_be_a_guess_however_sure_and_the_csv_says_which_column(tmp_path):
    """QA 5: noise called "8" at 96 % is not an answer to take at its word. ``may_be_guessing`` is an unsure answer or
    such a picture: exactly "the CSV's unsure or unlike_training column is true"."""
    from cnnstudio.engine.use.unsure import may_be_guessing

    sure = {"8": 0.96, "6": 0.04}
    assert may_be_guessing(sure, True) and not may_be_guessing(sure, False) and not may_be_guessing(sure, None)
    assert may_be_guessing({"8": 0.54, "6": 0.46}, False) and may_be_guessing({"8": 0.54, "6": 0.46}, None)
    preds = [Prediction(str(tmp_path / f"{i}.png"), "8", 0, p["8"], p, unlike_training=u)
             for i, (p, u) in enumerate([(sure, True), (sure, False), ({"8": 0.54, "6": 0.46}, False), (sure, None)])]
    out = write_csv(BatchResult(preds), ["8", "6"], tmp_path / "predictions.csv")
    with open(out, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert [r["unsure"] == "true" or r["unlike_training"] == "true" for r in rows] == [
        may_be_guessing(p.probabilities, p.unlike_training) for p in preds] == [True, False, True, False]
