"""QA (beginner, shot 74): after an advice's "Raise the learning rate to 0.009", "Recommended settings" put the field
back to 0.003 while the Train page still said "…with the learning rate at 0.009. Press Start to train it." The set-up
sentence lasts only while the form shows the settings it was said for (train/set_up_line.py)."""

from __future__ import annotations

import pytest

from cnnstudio.engine.runs.advice import Advice
from cnnstudio.engine.runs.advice_actions import action, for_run, set_up_words
from cnnstudio.engine.train.settings import TrainSettings
from cnnstudio.project.run_records import find_run
from tests.ui.test_training_view import open_trained


def test_the_set_up_sentence_goes_once_the_settings_change(window, qtbot, tmp_path):
    run_id = open_trained(window, qtbot, tmp_path)
    window.workspace.show_step(2)
    page = window.workspace.train_page
    form = page.settings_form
    before = page.status.text()
    act = for_run(action("raise_lr", TrainSettings(epochs=1, lr=0.003), too_high=None), run_id)
    page.advice.set_advice([Advice("lr_low", "medium", "The loss barely moved.", {}, act)])
    (button,) = page.advice.buttons
    button.click()
    said = set_up_words(find_run(window.session.project, run_id).name, act)
    assert "with the learning rate at 0.009" in said
    assert page.status.text() == said and form.lr.value() == pytest.approx(0.009)

    form.recommended.click()  # the field goes back to the recipe's 0.003
    assert form.lr.value() == pytest.approx(0.003)
    assert page.status.text() == before and "0.009" not in page.status.text()

    button.click()  # said again, then a field changed by hand
    assert page.status.text() == said
    form.epochs.setValue(form.epochs.value() + 1)
    assert page.status.text() == before


def test_every_settings_field_says_it_changed_and_takes_the_line_back(window, qtbot, tmp_path):
    """A reviewer: the set-up line listed the form's 15 fields by name, so a field added later would not take the
    line back. The form says one ``edited`` for all its fields; each field found on the form (not a list kept
    here), changed, is saved, says so, and takes the line back."""
    from PySide6.QtWidgets import QAbstractSpinBox, QCheckBox, QComboBox, QLabel

    from cnnstudio.ui.train.set_up_line import SetUpLine
    from tests.ui.test_training_view import make_project

    assert window.open_project(make_project(tmp_path))
    form = window.workspace.train_page.settings_form
    fields = [w for kind in (QAbstractSpinBox, QComboBox, QCheckBox) for w in form.findChildren(kind)]
    assert len(fields) == len(form.values()) == 15
    status = QLabel("The line before.")
    line = SetUpLine(form, status)
    for w in fields:
        line.say("Set up from run “x”. Press Start to train it.")
        values = form.values()
        with qtbot.waitSignal(form.edited, timeout=1000):
            if isinstance(w, QCheckBox):
                w.setChecked(not w.isChecked())
            elif isinstance(w, QComboBox):
                w.addItem("another", "another") if w.count() < 2 else None  # one device only: a second to choose
                w.setCurrentIndex((w.currentIndex() + 1) % w.count())
            else:
                w.setValue(w.minimum() if w.value() != w.minimum() else w.maximum())
        assert form.values() != values, w
        assert status.text() == "The line before.", w
