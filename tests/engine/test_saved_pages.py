"""What the Model and Train pages saved in a project, read without Qt (engine/runs/saved_pages.py)."""

from __future__ import annotations

import json

import pytest

from cnnstudio.engine.model.design import META_AUGMENT, META_PREPROCESS, META_SPEC
from cnnstudio.engine.runs.recipe import recommended_settings
from cnnstudio.engine.runs.saved_pages import (FORM_VERSION, META_SETTINGS, OLD_DEFAULT_BATCH, VERSION_KEY,
                                               SavedPagesUnreadable, form_choices, saved_pages, stamped,
                                               start_batch_size)
from cnnstudio.engine.train.settings import SAFE_AUGMENT, default_settings
from tests.engine.test_data import proj, tiny_spec  # noqa: F401 - the fixture

PAGE_INPUT = {"height": 8, "width": 8, "channels": 1, "resize": "letterbox", "normalization": "dataset"}
PAGE_FORM = {"epochs": 2, "batch_size": 16, "optimizer": "sgd", "lr": 0.05, "schedule": "cosine",
             "weight_decay": 0.0, "label_smoothing": 0.0, "class_weights": "balanced", "early_stopping_patience": 3,
             "seed": 7, "device": "cpu", "validation": True, "fine_tune_epochs": 0, "mixed_precision": True,
             "auto_batch_size": False}


def _store_pages(project, spec=None, form=PAGE_FORM, augment=None):
    project.set_meta(META_SPEC, (spec or tiny_spec()).dumps())
    project.set_meta(META_PREPROCESS, json.dumps(PAGE_INPUT))
    project.set_meta(META_AUGMENT, json.dumps(augment or {"hflip": True}))
    if form is not None:
        project.set_meta(META_SETTINGS, json.dumps(form))


def test_a_project_never_opened_in_the_window_has_none(proj):  # noqa: F811
    assert saved_pages(proj) is None


def test_the_pages_give_the_design_and_the_settings_start_would_train(proj):  # noqa: F811
    _store_pages(proj)
    pages = saved_pages(proj)
    assert pages.spec.to_json() == tiny_spec().to_json()
    s = pages.settings
    assert (s.epochs, s.batch_size, s.optimizer, s.lr, s.schedule, s.class_weights, s.seed, s.device) == (
        2, 16, "sgd", 0.05, "cosine", "balanced", 7, "cpu")
    assert s.augment.hflip is True and s.augment.rotation == 0  # the page's augmentation, not the recipe's
    pp = s.preprocess
    assert (pp.height, pp.width, pp.channels, pp.resize, pp.normalization) == (8, 8, 1, "letterbox", "dataset")
    # what the form never set is the default recipe's, as the form shows it
    assert s.time_budget_s == default_settings().time_budget_s and s.max_epochs == default_settings().max_epochs


def test_the_design_brings_its_input_size_and_a_form_never_saved_is_the_recipe(proj):  # noqa: F811
    _store_pages(proj, spec=tiny_spec(side=12, channels=3), form=None, augment=SAFE_AUGMENT.to_json())
    pages = saved_pages(proj)
    pp = pages.settings.preprocess
    assert (pp.height, pp.width, pp.channels) == (12, 12, 3)  # the spec's input is the model's
    recipe = recommended_settings(proj.counts(), pp)  # the default recipe for its pictures: 24 train on batches of 8
    assert recipe.batch_size == 8 and pages.settings.to_json() == recipe.to_json()


@pytest.mark.parametrize("key, words", [
    (META_SPEC, "the Model page's design saved in the project cannot be read"),
    (META_SETTINGS, "the Train page's settings saved in the project cannot be read (not JSON)"),
    (META_AUGMENT, "the Model page's augmentation saved in the project cannot be read (not JSON)"),
])
def test_what_cannot_be_read_is_named_in_a_sentence(proj, key, words):  # noqa: F811
    _store_pages(proj)
    proj.set_meta(key, "{not json")
    with pytest.raises(SavedPagesUnreadable) as e:
        saved_pages(proj)
    assert str(e.value).startswith(words)


def test_a_setting_out_of_range_is_refused_in_a_sentence(proj):  # noqa: F811
    _store_pages(proj, form={**PAGE_FORM, "batch_size": 0})
    with pytest.raises(SavedPagesUnreadable) as e:
        saved_pages(proj)
    assert "the training settings saved in the project cannot be used" in str(e.value)
    assert "batch_size" in str(e.value)


def test_an_old_forms_batch_of_64_was_its_default_and_follows_the_pictures(proj):  # noqa: F811
    """A form saved before the form said its batch is the user's stored every value, the batch the default 64: that
    64 is the recipe's batch for the pictures now; a form that says its batch is the user's keeps 64, and an old
    form's other batch was changed by hand, so it stays too."""
    old = {**PAGE_FORM, "batch_size": OLD_DEFAULT_BATCH}
    _store_pages(proj, form=old)
    pages = saved_pages(proj)
    recipe = recommended_settings(proj.counts(), pages.settings.preprocess).batch_size
    assert OLD_DEFAULT_BATCH == 64 and recipe == 8  # 24 training pictures
    assert pages.settings.batch_size == recipe and pages.settings.epochs == 2  # the rest of the form stays
    _store_pages(proj, form=stamped(old))  # chosen on a form that says so
    assert stamped(old)[VERSION_KEY] == FORM_VERSION and saved_pages(proj).settings.batch_size == 64
    _store_pages(proj, form={**PAGE_FORM, "batch_size": 32})  # old, but not its default: chosen
    assert saved_pages(proj).settings.batch_size == 32
    for version in (None, 1, "2", True):  # no version a form writes: old
        assert "batch_size" not in form_choices({"batch_size": 64, VERSION_KEY: version})


def test_the_batch_the_model_pages_memory_warning_counts_is_the_one_start_would_train(proj):  # noqa: F811
    """Before the Train page is opened, the Model page's memory warning counts the batch Start would train with: the
    recipe's for the pictures when nothing is stored (8 for 24 training pictures, not the engine's 64), an old form's
    default 64 likewise, a chosen batch as chosen, the engine's default where the form cannot be read."""
    from cnnstudio.engine.model.cost import DEFAULT_BATCH_SIZE

    assert start_batch_size(proj) == 8 != DEFAULT_BATCH_SIZE
    _store_pages(proj, form={**PAGE_FORM, "batch_size": OLD_DEFAULT_BATCH})
    assert start_batch_size(proj) == 8
    _store_pages(proj, form=stamped({**PAGE_FORM, "batch_size": 256}))
    assert start_batch_size(proj) == 256
    proj.set_meta(META_SETTINGS, "not JSON")
    assert start_batch_size(proj) == DEFAULT_BATCH_SIZE
