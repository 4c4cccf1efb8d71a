"""What `cnnstudio train DIR` reads back from a project (engine/runs/saved_pages.py) is what the Train page's Start
would train: the same design, input, augmentation and settings, after edits on both pages."""

from __future__ import annotations

from cnnstudio.engine.runs.saved_pages import FORM_KEYS, saved_pages

from .test_training_view import make_project


def test_the_saved_pages_are_what_start_trains(window, tmp_path):
    assert window.open_project(make_project(tmp_path))
    model = window.workspace.model_page
    train = window.workspace.train_page
    model.apply_preset("lenet5")
    model.tabs.augment_panel.hflip.setChecked(True)
    form = train.settings_form
    assert set(form.values()) == set(FORM_KEYS)  # one list of what the form keeps
    form.lr.setValue(0.02)
    form.epochs.setValue(2)
    form.balanced.setChecked(True)
    pages = saved_pages(window.session.project)
    assert pages.spec.to_json() == model.spec().to_json()
    assert pages.settings.to_json() == train.settings().to_json()
    assert pages.settings.augment.hflip and pages.settings.lr == 0.02 and pages.settings.class_weights == "balanced"
