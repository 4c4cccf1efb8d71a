"""The Evaluate page's per-class table: a class the model never answered (0 of 0 pictures called it) has "–" for its
precision, and its tooltip says why (QA: it read "0%", as if every answer had been wrong)."""

from __future__ import annotations

from cnnstudio.engine.use.precision_words import NEVER_ANSWERED_TIP
from cnnstudio.ui.evaluate.score_tables import PerClassTable
from tests.cli.test_evaluate_precision_dash import _ev


def test_a_class_never_answered_shows_a_dash_with_why_and_one_answered_wrongly_zero(qtbot):
    table = PerClassTable()
    qtbot.addWidget(table)
    table.set_scores(_ev([[0, 6], [0, 6]]))  # every picture called a square
    assert table.item(0, 0).text() == "circle" and table.item(0, 1).text() == "–"
    assert table.item(0, 1).toolTip() == NEVER_ANSWERED_TIP
    assert table.item(1, 1).text() == "50.0%" and table.item(1, 1).toolTip() != NEVER_ANSWERED_TIP
    table.set_scores(_ev([[0, 6], [3, 3]]))  # circles answered, each time wrongly
    assert table.item(0, 1).text() == "0%" and table.item(0, 1).toolTip() != NEVER_ANSWERED_TIP


def test_the_average_precision_leaves_a_dash_out_and_its_tooltip_says_over_how_many_classes(qtbot):
    """QA: the footer's average counted a "–" as 0 ((57.1% + 0 + 36.4%) / 3 = 31.2%): it is over the classes that have
    a precision, as cnnstudio evaluate and the report say it, and its tooltip says so."""
    table = PerClassTable()
    qtbot.addWidget(table)
    table.set_scores(_ev([[0, 6], [0, 6]]))  # circle never answered; square 6 of 12 answers right
    cell = table.footer.item(0, 1)
    assert table.footer.item(0, 0).text() == "Average" and cell.text() == "50.0%"  # not (0 + 50%) / 2
    assert cell.toolTip() == ("The average precision is over the class it is defined for: a class the model never "
                              "answered has no precision to count.")
    table.set_scores(_ev([[0, 6], [3, 3]]))  # every class answered: its own average, no such words
    assert table.footer.item(0, 1).text() == "16.7%" and "defined for" not in table.footer.item(0, 1).toolTip()
