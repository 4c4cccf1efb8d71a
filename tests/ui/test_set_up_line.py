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
