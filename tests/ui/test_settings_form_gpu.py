"""The Train page's settings for a graphics card (issue 21): mixed precision (on by default, a checkbox under
Advanced with a tooltip) and the Auto batch size, both kept in the project and passed to the run's settings."""

from __future__ import annotations

import json

from cnnstudio.engine.train.settings import TrainSettings
from cnnstudio.ui.train.settings_form import META_SETTINGS

from .test_training_view import make_project


def test_mixed_precision_and_auto_batch_are_settings_of_the_form(window, tmp_path):
    assert window.open_project(make_project(tmp_path))
    form = window.workspace.train_page.settings_form
    assert form.mixed_precision.isChecked() and not form.auto_batch.isChecked()  # the recommended values
    assert "graphics card" in form.mixed_precision.toolTip() and "32-bit" in form.mixed_precision.toolTip()
    assert "largest batch that fits" in form.auto_batch.toolTip()
    assert form.recommended_notes["mixed_precision"].text() == "recommended: on"
    form.mixed_precision.setChecked(False)
    form.auto_batch.setChecked(True)
    settings = TrainSettings().replace(**form.values())
    assert settings.mixed_precision is False and settings.auto_batch_size is True
    saved = json.loads(window.session.project.meta(META_SETTINGS))
    assert saved["mixed_precision"] is False and saved["auto_batch_size"] is True
    form.set_editable(False)
    assert not form.mixed_precision.isEnabled() and not form.auto_batch.isEnabled()
    form.set_editable(True)
    form.reset()
    assert form.mixed_precision.isChecked() and not form.auto_batch.isChecked()


def test_the_started_sentence_names_the_precision_on_a_card_only():
    from cnnstudio.engine.events import RunStarted
    from cnnstudio.ui.train.run_words import started_text

    cpu = RunStarted("r", 3, 1, 6, 96, 32, "CPU (2 threads)", 2, 1000)
    assert started_text(cpu) == ("Training on CPU (2 threads): 96 training and 32 validation pictures, "
                                 "1,000 parameters.")
    card = RunStarted("r", 3, 1, 6, 96, 32, "NVIDIA H200", 2, 1000, "bf16", "compiled (12.0 s)")
    assert started_text(card) == ("Training on NVIDIA H200 (bf16 mixed precision): 96 training and 32 validation "
                                  "pictures, 1,000 parameters. For speed: compiled (12.0 s).")


def test_the_choices_words_are_the_reports_and_mark_the_defaults(window, tmp_path):
    from cnnstudio.engine.runs.settings_words import OPTIMIZER_WORDS, SCHEDULE_WORDS
    from cnnstudio.engine.train.settings import TrainSettings
    from cnnstudio.ui.train.settings_form import RECOMMENDED

    assert window.open_project(make_project(tmp_path))
    form = window.workspace.train_page.settings_form
    d = TrainSettings()
    assert RECOMMENDED == {d.optimizer, d.schedule}
    box = form.optimizer
    assert box.itemText(box.findData(d.optimizer)) == OPTIMIZER_WORDS[d.optimizer] + " (recommended)"
    box = form.schedule
    assert [box.itemData(i) for i in range(box.count())] == list(SCHEDULE_WORDS)
    assert box.itemText(box.findData("cosine")) == "Cosine decay"
