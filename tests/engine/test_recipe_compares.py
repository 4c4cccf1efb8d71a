"""Whether the default recipe's Start will try transfer learning too, said before Start (runs/recipe.compares, the
Train page's tooltip and Auto note): it counts the median class's training pictures by the one rule of the pictures
a run would train on (engine/data/planned_pictures.py), so it says what plan_choice then decides on the run itself."""

from __future__ import annotations

import pytest

from cnnstudio.engine.model.backbones import weights_status
from cnnstudio.engine.runs.lifecycle import create_run
from cnnstudio.engine.runs.recipe import (SMALL_PER_CLASS, TRANSFER_BACKBONE, compares, plan_choice,
                                          planned_per_class)
from cnnstudio.project import ImageFilter
from tests.engine.test_data import make_project
from tests.engine.test_tune import settings


@pytest.mark.parametrize("counts, per_class", [
    ({}, None),
    ({None: {None: 500, "train": 40}}, None),  # unlabelled pictures are never trained on
    # nothing split yet: as Start splits each class (70/15/15: 10 pictures give 6 training ones, not 70 % of 10)
    ({1: {None: 10}, 2: {None: 10}}, 6),
    ({1: {None: 3}, 2: {None: 20}}, 8),  # 3 and 14: the median of two classes, whole pictures
    ({1: {None: 142}, 2: {None: 142}, None: {None: 9}}, 100),  # Start makes 100 (70 % rounded was 99: "compares")
    # split without validation pictures: the run holds 15 % of each class's training pictures out (110 -> 94)
    ({1: {"train": 110, "test": 20}, 2: {"train": 110, "test": 20}}, 94),
    ({1: {"train": 8, "val": 2}, 2: {"val": 3, "test": 1}}, 8),  # a class without training pictures is not counted
    ({1: {"val": 5, "test": 5}, 2: {"val": 5}}, None),  # split, none for training: Start does not split it again
])
def test_the_median_class_is_counted_as_the_run_will_train(counts, per_class):
    assert planned_per_class(counts) == per_class
    installed = bool(weights_status(TRANSFER_BACKBONE)["installed"])
    assert compares(counts) == (per_class is not None and per_class < SMALL_PER_CLASS and installed)


@pytest.mark.parametrize("sizes, ratios", [
    ((10, 10), None), ((3, 12), None),  # as Start splits them
    ((20, 7), (80, 0, 20)), ((12, 6), (100, 0, 0)),  # split without validation pictures: some held out
    ((10, 12), (60, 20, 20)),  # a validation split
])
def test_what_is_said_before_start_is_what_the_run_decides(tmp_path, sizes, ratios):
    """Real projects: the median counted from ``Project.counts()`` beforehand is the one plan_choice reads from the
    run Start creates (the split Start makes first, the pictures the run holds out)."""
    with make_project(tmp_path / "p", classes=("a", "b"), per_class=max(sizes)) as p:
        p.set_split(p.ids(ImageFilter()), None)
        for name, size in zip(("a", "b"), sizes):  # the others of a smaller class: without a class
            cid = p.class_by_name(name).id
            p.set_labels(p.ids(ImageFilter(class_id=cid))[size:], None)
        if ratios is None:
            counts = p.counts()
            p.assign_splits((70, 15, 15), seed=0)  # what Start does (splits.AUTO_SPLIT)
        else:
            p.assign_splits(ratios, seed=0)
            counts = p.counts()
        run_id = create_run(p, settings())
        assert planned_per_class(counts) == plan_choice(p, run_id).per_class
