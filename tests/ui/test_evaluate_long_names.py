"""Long class names on the Evaluate page's scores (scores_panel.py, score_tables.py): cut in their middle, the one
rule of names (elided_label.NAME_ELIDE: classes named alike differ at their end), whole in their tooltips; and on a
mistake's button (mistakes_tab.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from cnnstudio.ui.elided_label import NAME_ELIDE
from cnnstudio.ui.evaluate.mistakes_tab import BUTTON_CHARS
from cnnstudio.ui.evaluate.score_tables import NAME_CHARS
from cnnstudio.ui.evaluate.scores_panel import ScoresPanel
from tests.ui.test_training_view import open_trained

NAMES = ["a rather long class name of photographs taken at the north gate, number 1",
         "a rather long class name of photographs taken at the north gate, number 2", "cat"]


def _evaluation() -> dict:
    matrix = [[8, 2, 0], [1, 9, 0], [0, 0, 10]]
    per_class = {}
    for c, name in enumerate(NAMES):
        right, support, called = matrix[c][c], sum(matrix[c]), sum(row[c] for row in matrix)
        p, r = right / called, right / support
        per_class[name] = {"precision": p, "recall": r, "f1": 2 * p * r / (p + r), "support": support}
    macro = {k: sum(v[k] for v in per_class.values()) / 3 for k in ("precision", "recall", "f1")}
    return {"classes": NAMES, "confusion_matrix": matrix, "per_class": per_class, "macro": macro, "images": 30}


def _painted_cut_in_the_middle(widget, set_mode) -> bool:
    """Whether ``widget`` paints differently with names cut in the middle than cut at the end (``set_mode``: sets
    its elide mode): they are cut, and not at the end."""
    middle = widget.grab().toImage()
    set_mode(Qt.TextElideMode.ElideRight)
    end = widget.grab().toImage()
    set_mode(NAME_ELIDE)
    return middle != end and widget.grab().toImage() == middle


def test_long_class_names_are_cut_in_the_middle_and_whole_in_the_tooltips(qtbot):
    panel = ScoresPanel()
    qtbot.addWidget(panel)
    panel.resize(460, 520)  # the scores' share of a 1,024-pixel window beside the mistakes
    panel.show_scores(_evaluation())
    panel.show()
    qtbot.waitExposed(panel)

    table = panel.per_class
    assert table.textElideMode() == NAME_ELIDE
    for row, name in enumerate(NAMES):
        assert table.item(row, 0).text() == name and table.item(row, 0).toolTip() == name
    qtbot.waitUntil(lambda: 0 < table.columnWidth(0) < table.fontMetrics().horizontalAdvance(NAMES[0]))
    assert _painted_cut_in_the_middle(table.viewport(), table.setTextElideMode)

    view, model = panel.confusion, panel.confusion_model
    rows, columns = view.verticalHeader(), view.horizontalHeader()
    assert rows.textElideMode() == columns.textElideMode() == NAME_ELIDE
    # a long name does not widen the row names' column past NAME_CHARS characters: the cells keep their room
    assert 0 < rows.width() <= view.fontMetrics().averageCharWidth() * NAME_CHARS + 12
    assert rows.width() < view.fontMetrics().horizontalAdvance(NAMES[0])
    assert _painted_cut_in_the_middle(rows, rows.setTextElideMode)
    assert columns.sectionSize(0) < view.fontMetrics().horizontalAdvance(NAMES[0])
    assert _painted_cut_in_the_middle(columns, columns.setTextElideMode)
    for i, name in enumerate(NAMES):  # whole in the headers' tooltips
        assert model.headerData(i, Qt.Orientation.Vertical, Qt.ItemDataRole.ToolTipRole) == f"True class: {name}"
        assert model.headerData(i, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) == f"Predicted: {name}"


def test_a_mistakes_button_cuts_a_long_class_name_in_the_middle(window, qtbot, tmp_path):
    open_trained(window, qtbot, tmp_path, identical=True)  # every picture alike: half the validation ones are wrong
    page = window.workspace.evaluate_page
    with qtbot.waitSignal(page.evaluated, timeout=30_000):
        window.workspace.show_step(4)
    s = window.session
    wrong = page.result["misclassified"]
    predicted = wrong[0]["predicted"]
    long_name = f"{predicted}: {NAMES[0]}"
    s.rename_class(s.project.class_by_name(predicted).id, long_name)
    renamed = [{**m, "confidence": 0.97, **({"predicted": long_name} if m["predicted"] == predicted else {}),
                **({"true": long_name} if m["true"] == predicted else {})} for m in wrong]
    classes = [long_name if c == predicted else c for c in page.result["classes"]]
    # a good model, sure of its answers: one click to "Relabel as <the long name>"
    page.result = {**page.result, "misclassified": renamed, "classes": classes, "images": 100, "accuracy": 0.95,
                   "per_class": {c: {"support": 50} for c in classes}}
    page.show_all_mistakes()
    button = page.mistakes_tab.buttons[renamed[0]["id"]]
    whole = f"Relabel as “{long_name}”"
    shown = button.text()
    assert shown != whole and "…" in shown and shown.startswith("Relabel as ") and shown.endswith(whole[-6:])
    assert button.fontMetrics().horizontalAdvance(shown) <= button.fontMetrics().averageCharWidth() * BUTTON_CHARS
    assert button.toolTip().startswith(whole + "\n") and long_name in button.toolTip()
    with qtbot.waitSignal(s.labels_changed, timeout=5_000):
        button.click()
    assert s.project.image(renamed[0]["id"]).class_id == s.project.class_by_name(long_name).id
    assert "…" in button.text() and button.toolTip().startswith(f"✓ now labelled “{long_name}”\n")
