"""QA model #1: a searched weight decay of 3.86e-06 put on the Train page ("Use these settings") became 0.00000 (the
field kept 5 decimals) and the Tune page then called it outside the range searched. The learning rate and weight decay
fields keep what they are given, show it in four significant digits, and take typed numbers in either form."""

from __future__ import annotations

from PySide6.QtCore import Qt

from .test_training_view import make_project


def test_small_learning_rate_and_weight_decay_are_kept_and_shown(window, qtbot, tmp_path):
    assert window.open_project(make_project(tmp_path))
    form = window.workspace.train_page.settings_form
    form.set_values({**form.values(), "weight_decay": 3.86e-06, "lr": 0.000123456})
    assert abs(form.values()["weight_decay"] - 3.86e-06) < 1e-12
    assert abs(form.values()["lr"] - 0.000123456) < 1e-12
    assert form.weight_decay.text() == "3.86e-06" and form.lr.text() == "0.0001235"

    for typed, value in (("2e-5", 2e-5), ("0.0005", 0.0005)):  # typed as a beginner or as the search writes it
        form.weight_decay.lineEdit().selectAll()
        qtbot.keyClicks(form.weight_decay.lineEdit(), typed)
        qtbot.keyClick(form.weight_decay, Qt.Key.Key_Return)
        assert abs(form.weight_decay.value() - value) < 1e-12, typed
    form.weight_decay.lineEdit().selectAll()
    qtbot.keyClicks(form.weight_decay.lineEdit(), "2")  # above the field's largest: not taken
    form.weight_decay.interpretText()
    assert abs(form.weight_decay.value() - 0.0005) < 1e-12
