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
        assert "batch_size" not in json.loads(project.meta(META_SETTINGS))  # the recipe's: it follows the pictures
        project.set_meta(META_SETTINGS, json.dumps({"epochs": 3}))  # a form saved without a batch
        form.load()
        assert form.batch_size.value() == 8 and form.epochs.value() == 3


def test_a_batch_not_chosen_follows_the_pictures_and_a_chosen_one_stays(qtbot, tmp_path):
    """Pictures added after the form showed the recipe's batch: it becomes the recipe's for them (what Start and
    ``cnnstudio train`` then train, saved_pages counting it alike), unless the user chose one."""
    from cnnstudio.engine.runs.saved_pages import saved_pages
    from cnnstudio.project import import_paths
    from tests.engine.test_data import write_pattern_images

    with make_project(tmp_path / "p", per_class=28) as project:
        session = ProjectSession(project)
        form = SettingsForm(session)
        qtbot.addWidget(form)
        form.epochs.setValue(2)  # an edit: the form is saved, its batch (the recipe's 8) not with it
        assert form.batch_size.value() == 8 and "batch_size" not in json.loads(project.meta(META_SETTINGS))
        write_pattern_images(tmp_path / "more", ("top", "bottom"), 80, 12, seed=1)
        import_paths(project, [tmp_path / "more"], labels_from_folders=True)
        project.set_split(project.ids(), "train")  # 216 pictures, some held out: batches of 16
        session.images_changed.emit()
        train = planned_pictures(project.counts()).train
        assert form.batch_size.value() == recommended_settings(project.counts()).batch_size == 16, train
        assert saved_pages(project).settings.batch_size == 16 and saved_pages(project).settings.epochs == 2
        form.batch_size.setValue(32)  # chosen: kept, and no longer follows
        assert json.loads(project.meta(META_SETTINGS))["batch_size"] == 32
        project.set_split(project.ids()[:40], "val")
        session.splits_changed.emit()
        assert form.batch_size.value() == 32


def test_an_old_forms_64_follows_the_pictures_and_a_chosen_64_stays(qtbot, tmp_path):
    """A form saved before the form said its batch is the user's holds the old default 64: the form shows the
    recipe's batch (what Start and saved_pages train) and saves it as not chosen; a 64 chosen now is kept."""
    from cnnstudio.engine.runs.saved_pages import VERSION_KEY, saved_pages

    with make_project(tmp_path / "p", per_class=28) as project:  # 32 training pictures: batches of 8
        project.set_meta(META_SETTINGS, json.dumps({"epochs": 3, "batch_size": 64, "lr": 0.002}))
        form = SettingsForm(ProjectSession(project))
        qtbot.addWidget(form)
        assert form.batch_size.value() == 8 == saved_pages(project).settings.batch_size
        assert form.epochs.value() == 3 and form.lr.value() == 0.002
        form.epochs.setValue(4)  # saved again: the version says that its batch (none: the recipe's) is the user's
        stored = json.loads(project.meta(META_SETTINGS))
        assert "batch_size" not in stored and stored[VERSION_KEY] == 2 and stored["epochs"] == 4
        form.batch_size.setValue(64)  # chosen now
        form.load()
        assert form.batch_size.value() == 64 == saved_pages(project).settings.batch_size
        again = SettingsForm(ProjectSession(project))
        qtbot.addWidget(again)
        assert again.batch_size.value() == 64
