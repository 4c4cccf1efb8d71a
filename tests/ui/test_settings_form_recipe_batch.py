"""The Train page's "Recommended settings" and a form never saved show the default recipe's batch for the project's
pictures (engine/runs/recipe.recommended_settings: 32 training pictures -> 8), not the engine's fixed 64."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from cnnstudio.engine.data.planned_pictures import planned_pictures
from cnnstudio.engine.runs.recipe import recommended_settings
from cnnstudio.ui.session import ProjectSession
from cnnstudio.ui.train.settings_form import META_SETTINGS, SettingsForm
from tests.engine.test_data import make_project


def test_recommended_settings_show_the_recipes_batch_for_the_pictures(qtbot, tmp_path):
    with make_project(tmp_path / "p", per_class=28) as project:
        assert planned_pictures(project.counts()).train == 32
        form = SettingsForm(ProjectSession(project))
        qtbot.addWidget(form)
        assert form.batch_size.value() == 8  # nothing saved yet: the recipe's, as Start would train
        form.batch_size.setValue(64)
        assert json.loads(project.meta(META_SETTINGS))["batch_size"] == 64
        qtbot.mouseClick(form.recommended, Qt.MouseButton.LeftButton)
        assert form.batch_size.value() == 8 == recommended_settings(project.counts()).batch_size
        assert json.loads(project.meta(META_SETTINGS))["batch_size"] == 8
        project.set_meta(META_SETTINGS, json.dumps({"epochs": 3}))  # a form saved without a batch
        form.load()
        assert form.batch_size.value() == 8 and form.epochs.value() == 3
