"""The Predict page says when the model is unsure: its answer under 50 %, or the next class close behind."""

from __future__ import annotations

from PySide6.QtGui import QImage

from cnnstudio.engine.use.predict import BatchResult, Prediction
from cnnstudio.ui.predict.unsure import UNSURE, UNSURE_TIP, is_unsure, unsure_line
from tests.ui.test_prediction_view import _new_pictures, _trained


def test_the_rule():
    assert is_unsure({str(i): p for i, p in enumerate([0.287] + [0.0792] * 9)})  # a blue square, "1" at 28.7 %
    assert is_unsure({"cat": 0.54, "dog": 0.46})  # two classes close together
    assert not is_unsure({"cat": 0.919, "dog": 0.081}) and not is_unsure({"cat": 0.6, "dog": 0.4})
    assert not is_unsure({}) and not is_unsure({"cat": float("nan")}) and not is_unsure({"only": 1.0})
    assert unsure_line({"cat": 0.3, "dog": 0.3, "cow": 0.4}) == UNSURE and unsure_line({"cat": 1.0}) == ""
    assert UNSURE.endswith(".") and "50" in UNSURE_TIP


def test_an_unsure_answer_gets_its_line_under_the_headline(window, qtbot, tmp_path):
    page = _trained(window, qtbot, tmp_path)
    a, b = _new_pictures(tmp_path / "new", 2)
    preds = [Prediction(str(a), "a", 0, 0.52, {"a": 0.52, "b": 0.48}),
             Prediction(str(b), "b", 1, 0.97, {"a": 0.03, "b": 0.97})]
    page._got((BatchResult(preds), [QImage(), QImage()]), page._batch)
    view = page.detail
    page.list.setCurrentRow(0)
    assert view.unsure.isVisible() and view.unsure.text() == UNSURE
    page.list.setCurrentRow(1)
    assert not view.unsure.isVisible() and view.unsure.text() == ""


def test_the_folder_tab_marks_the_unsure_answers_with_the_rule_in_the_tooltip(window, qtbot, tmp_path):
    from cnnstudio.engine.use import unsure as engine_rule
    from cnnstudio.ui.predict.folder_panel import PROBLEM_COLUMN, UNSURE_COLUMN
    from cnnstudio.ui.predict.unsure import UNSURE_COLUMN_TIP, UNSURE_MARK

    assert is_unsure is engine_rule.is_unsure  # one rule, the engine's: the CSV and the CLI say the same
    page = _trained(window, qtbot, tmp_path)
    panel = page.folder_panel
    a, b = _new_pictures(tmp_path / "new", 2)
    result = BatchResult([Prediction(str(a), "a", 0, 0.52, {"a": 0.52, "b": 0.48}),
                          Prediction(str(b), "b", 1, 0.97, {"a": 0.03, "b": 0.97})],
                         [{"path": str(tmp_path / "new" / "notes.txt"), "reason": "a text file, not a picture"}])
    panel.show_rows(result)
    table = page.batch_table
    assert table.horizontalHeaderItem(UNSURE_COLUMN).text() == "Unsure"
    assert table.horizontalHeaderItem(UNSURE_COLUMN).toolTip() == UNSURE_COLUMN_TIP and UNSURE_COLUMN_TIP.endswith(".")
    assert [table.item(r, UNSURE_COLUMN).text() for r in range(3)] == [UNSURE_MARK, "", ""]
    assert table.item(0, UNSURE_COLUMN).toolTip() == f"{UNSURE}\n{UNSURE_TIP}"
    assert table.item(2, PROBLEM_COLUMN).text() == "A text file, not a picture."
