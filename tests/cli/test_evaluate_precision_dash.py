"""cnnstudio evaluate prints "–" for the precision of a class the model never answered, and says why under the table,
as the Evaluate page does (QA: "0%" for 0 of 0)."""

from __future__ import annotations

from cnnstudio.cli.evaluate_cmds import _score_lines
from cnnstudio.engine.use.precision_words import NEVER_ANSWERED_LINE


def _ev(matrix: list[list[int]]) -> dict:
    classes = ["circle", "square"]
    per_class = {}
    for c, name in enumerate(classes):
        right, support, called = matrix[c][c], sum(matrix[c]), sum(row[c] for row in matrix)
        precision, recall = (right / called if called else 0.0), (right / support if support else 0.0)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[name] = {"precision": precision, "recall": recall, "f1": f1, "support": support}
    macro = {k: sum(m[k] for m in per_class.values()) / 2 for k in ("precision", "recall", "f1")}
    return {"classes": classes, "confusion_matrix": matrix, "per_class": per_class, "macro": macro,
            "images": sum(map(sum, matrix))}


def test_a_class_never_answered_reads_a_dash_and_why_and_one_answered_wrongly_reads_zero():
    lines = _score_lines(_ev([[0, 6], [0, 6]]))  # every picture called a square: no circle answered
    circle = next(line for line in lines if line.strip().startswith("circle"))
    assert circle.split()[1] == "–"  # its precision; its recall is a true 0% (none of 6 circles found)
    assert f"  {NEVER_ANSWERED_LINE}" in lines
    wrong = _score_lines(_ev([[0, 6], [3, 3]]))  # circles answered, each time wrongly: 0 of 3 right
    assert next(line for line in wrong if line.strip().startswith("circle")).split()[1] == "0%"
    assert not any(NEVER_ANSWERED_LINE in line for line in wrong)


def test_the_average_precision_leaves_a_dash_out_and_says_over_how_many_classes():
    """QA: the average counted a "–" as 0, (57.1% + 0 + 36.4%) / 3 = 31.2%: it is over the classes that have a
    precision, and a line under the table says so (the window's footer tooltip and the report say the same words)."""
    lines = _score_lines(_ev([[0, 6], [0, 6]]))  # circle never answered; square 6 of 12 answers right
    average = next(line for line in lines if line.strip().startswith("average"))
    assert average.split()[1] == "50.0%"  # not (0 + 50%) / 2 = 25.0%
    assert lines[-1] == ("  The average precision is over the class it is defined for: a class the model never "
                         "answered has no precision to count.")
    wrong = _score_lines(_ev([[0, 6], [3, 3]]))  # circles answered, each time wrongly: a true 0% that counts
    assert next(line for line in wrong if line.strip().startswith("average")).split()[1] == "16.7%"  # (0 + 3/9) / 2
    assert not any("defined for" in line for line in wrong)
