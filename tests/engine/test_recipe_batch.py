"""QA: the recommended settings kept a batch of 64 on 33 training pictures, one update per epoch. The recipe's batch
follows the training set (runs/recipe.recipe_batch_size): the largest power of two at most an eighth of the training
pictures, from 8 to 64."""

from __future__ import annotations

import pytest

from cnnstudio.engine.data.preprocess import Preprocess
from cnnstudio.engine.model.presets import make_preset
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.runs.recipe import (RECIPE_BATCHES, is_default_recipe, recipe_batch_size, recommended_settings,
                                          run_with_choice)
from cnnstudio.engine.train.settings import default_settings
from cnnstudio.engine.train.step_rules import batches_per_epoch
from cnnstudio.project import run_records
from tests.engine.test_data import make_project

PP = Preprocess(height=12, width=12, channels=1)


@pytest.mark.parametrize("train, batch", [(0, 8), (1, 8), (33, 8), (127, 8), (128, 16), (255, 16), (256, 32),
                                          (511, 32), (512, 64), (4000, 64)])
def test_the_batch_is_at_most_an_eighth_of_the_training_pictures(train, batch):
    assert recipe_batch_size(train) == batch


def test_every_size_gets_a_power_of_two_from_8_to_64_and_several_updates_an_epoch():
    assert RECIPE_BATCHES == (8, 16, 32, 64)
    before = 8
    for n in range(0, 3000):
        b = recipe_batch_size(n)
        assert b in RECIPE_BATCHES and b >= before  # more pictures, never a smaller batch
        before = b
        if n >= 64:  # an eighth: 8 updates an epoch at least (7 when a last batch of one is dropped)
            assert batches_per_epoch(n, b) >= 7
    assert batches_per_epoch(33, recipe_batch_size(33)) == 4  # QA's 33 pictures: 4 updates, not 1


def test_recommended_settings_are_the_default_recipe_with_the_batch_for_the_project():
    small = {1: {"train": 17, "val": 4}, 2: {"train": 16, "val": 4}}
    rec = recommended_settings(small, PP)
    assert rec.batch_size == 8 and rec == default_settings(PP).replace(batch_size=8)
    # nothing split yet: counted as Start splits it (70 % of 300 a class: 420 training pictures)
    assert recommended_settings({1: {None: 300}, 2: {None: 300}}, PP).batch_size == 32
    assert recommended_settings({1: {"train": 2000}, 2: {"train": 2000}}, PP).batch_size == 64
    spec = make_preset("default", 12, 12, 1)
    for counts in (small, {1: {"train": 600}}, {}):  # still the default recipe: Start may try transfer learning
        assert is_default_recipe(recommended_settings(counts, PP), spec)
    assert is_default_recipe(default_settings(PP), spec)  # the form's 64, saved before
    assert not is_default_recipe(default_settings(PP).replace(batch_size=12), spec)
    assert not is_default_recipe(default_settings(PP).replace(batch_size=128), spec)


def test_the_transfer_candidate_is_sized_to_the_same_training_pictures(tmp_path):
    with make_project(tmp_path / "p") as proj:  # 24 training pictures
        run_id = runs.create_run(proj, recommended_settings(proj.counts(), PP).replace(epochs=1, time_budget_s=1.0))
        assert runs.read_config(proj, run_id)[1].batch_size == 8
        list(run_with_choice(proj, run_id))
        other = next(r.id for r in run_records.list_runs(proj) if r.id != run_id)
        assert runs.read_config(proj, other)[1].batch_size == 8


def test_a_run_with_few_steps_an_epoch_is_advised_the_recipes_batch():
    """The same rule said of a run that trained with a batch too large for its pictures (a form saved with 64)."""
    from cnnstudio.engine.runs.advice import action_command, advise_from, apply_action
    from cnnstudio.engine.runs.advice_actions import set_up_words
    from tests.engine.test_runs import settings

    names = ["a", "b"]
    rows = [{"epoch": e, "train_loss": 1.0 / e, "train_accuracy": 0.9, "val_loss": 0.3, "val_accuracy": 0.9,
             "is_best": e == 1} for e in (1, 2, 3)]
    ev = {"val": {"accuracy": 0.9, "images": 200}}

    def found(batch, train=(17, 16), **kw):
        counts = {"train": dict(zip(names, train)), "val": {n: 100 for n in names}, "test": {}}
        st = settings(epochs=3, batch_size=batch, **kw)
        return st, advise_from(rows, ev, st, names, counts, run="r1")

    st, items = found(64)
    (few,) = [a for a in items if a.kind == "few_steps"]
    assert few.severity == "low" and "good" in [a.kind for a in items]  # worth knowing, not a verdict
    assert few.text == ("The model learned in only 1 step an epoch: each step looks at a batch of 33 pictures, and it "
                        "has 33 training pictures. Batches of 8 give it 4 steps an epoch: a small set of pictures "
                        "learns better in many small steps.")
    assert few.action["label"] == "Use batches of 8 pictures" and few.action["run"] == "r1"
    assert apply_action(st, few.action).batch_size == 8
    assert action_command(few.action) == "cnnstudio train DIR --like r1 --batch-size 8"  # the run again, batch changed
    assert set_up_words("LeNet-5 · 3 epochs", few.action).endswith("its design and settings, with batches of 8 "
                                                                   "pictures. Press Start to train it.")
    assert not [a for a in found(8)[1] if a.kind == "few_steps"]  # the recipe's batch already
    assert not [a for a in found(64, (300, 300))[1] if a.kind == "few_steps"]  # 10 steps an epoch
    assert not [a for a in found(64, auto_batch_size=True)[1] if a.kind == "few_steps"]  # Auto chose it on a card


def test_a_run_planned_without_settings_and_the_saved_pages_take_the_recipes_batch(tmp_path):
    """One rule wherever no batch was chosen: plan_run without settings (what ``create_run(project)`` trains) and a
    Train page form saved without a batch size both get the recipe's batch for the project's pictures, not 64."""
    import json

    from cnnstudio.engine.runs.recipe import project_recipe
    from cnnstudio.engine.runs.run_create import plan_run
    from cnnstudio.engine.runs.saved_pages import META_SETTINGS, saved_pages, stamped
    from cnnstudio.engine.train.settings import suggest_preprocess

    with make_project(tmp_path / "p", per_class=28) as proj:  # 32 training pictures: a batch of 8, 4 steps an epoch
        from cnnstudio.engine.data.planned_pictures import planned_pictures

        assert planned_pictures(proj.counts()).train == 32
        plan = plan_run(proj)
        assert plan.settings.batch_size == recipe_batch_size(32) == 8
        assert project_recipe(proj) == recommended_settings(proj.counts(), suggest_preprocess(proj))
        assert plan.settings == project_recipe(proj).replace(preprocess=plan.settings.preprocess)
        proj.set_meta(META_SETTINGS, json.dumps({"epochs": 2, "lr": 0.01}))  # a form saved without a batch
        pages = saved_pages(proj)
        assert pages.settings.batch_size == 8 and pages.settings.epochs == 2
        proj.set_meta(META_SETTINGS, json.dumps(stamped({"batch_size": 64})))  # one the user chose stays theirs
        assert saved_pages(proj).settings.batch_size == 64
