""""Use these settings" copies what the search found, not the trial's length: the Train page keeps its own epochs
(a trial's epochs are the search's budget), and the page says what was copied. A real study (Optuna, a real run)
on a tiny project, read back by the real page."""

from __future__ import annotations

import math

from cnnstudio.engine.runs.lifecycle import read_config
from cnnstudio.engine.tune.study import prepare, tune
from tests.ui.test_tune_page import open_tune

SPACE = {"epochs": 2, "params": {"lr": {"low": 1e-3, "high": 3e-2, "log": True}, "batch_size": {"choices": [4, 8]}}}


def test_use_these_settings_keeps_the_train_pages_epochs_and_says_what_it_copied(window, qtbot, tmp_path):
    page = open_tune(window, qtbot, tmp_path)
    form = window.workspace.train_page.settings_form
    form.epochs.setValue(0)  # Auto
    project = window.session.project
    setup = prepare(project, settings=window.workspace.train_page.settings().replace(threads=1),
                    spec=page.designer.spec().to_json(), space=SPACE, study="used", pruning=False, final=False)
    list(tune(project, setup, trials=1))
    page.study_list.load(select="used")
    qtbot.waitUntil(lambda: page.state.study == "used" and 0 in page.state.rows, timeout=30_000)
    page.table.select_number(0)
    assert page.use_button.isEnabled()
    page.use_button.click()
    _cfg, settings = read_config(project, page.state.rows[0]["run"])
    assert settings.epochs == 2  # the trial trained the search's 2 epochs...
    assert form.epochs.value() == 0  # ...and the Train page's next training stays Auto
    assert math.isclose(form.lr.value(), settings.lr, abs_tol=1e-5) and form.batch_size.value() == settings.batch_size
    said = page.status.text()
    assert "Trial 1's settings (learning rate, batch size) are on the" in said, said
    assert "The Train page keeps its own epochs (Auto): a trial's length was the search's budget" in said, said
