"""The one rule of how many pictures a run would train and be validated on, counted before Start
(engine/data/planned_pictures.py): by hand for the edge cases, and against what real runs of real projects plan."""

from __future__ import annotations

import pytest

from cnnstudio.engine.data.planned_pictures import PlannedPictures, planned_pictures
from cnnstudio.engine.runs.lifecycle import plan_run
from cnnstudio.project import ImageFilter
from tests.engine.test_data import make_project
from tests.engine.test_tune import settings


@pytest.mark.parametrize("counts, planned", [
    ({}, (0, 0, 0)),
    ({None: {None: 7, "train": 3}}, (0, 0, 0)),  # unlabelled pictures are never trained or validated on
    # nothing split yet: each class split as Start splits it (70/15/15 per class, every class keeps a training one)
    ({1: {None: 50}, 2: {None: 50}}, (68, 16, 0)),
    ({1: {None: 1}, 2: {None: 2}}, (3, 0, 0)),  # classes of 1 and 2 pictures: all kept for training, none held out
    ({1: {None: 3}, 2: {None: 3}}, (6, 0, 0)),
    ({1: {None: 4}, 2: {None: 4}}, (4, 2, 0)),
    ({1: {None: 3}, 2: {None: 20}}, (17, 3, 0)),
    # a validation split: its labelled pictures, nothing held out
    ({1: {"train": 40, "val": 10, "test": 5}, 2: {"train": 40, "val": 10}, None: {None: 9}}, (80, 20, 0)),
    ({1: {"train": 4, "val": 1}, 2: {"train": 4}}, (8, 1, 0)),
    # an empty validation split (train/ and test/ folders): each class of 5 training pictures or more holds 15 % out,
    # at least one; smaller classes hold none
    ({1: {"train": 20, "test": 5}, 2: {"train": 4, "test": 1}}, (21, 3, 3)),
    ({c: {"train": 6} for c in range(10)}, (50, 10, 10)),  # one each, not 15 % of all 60 (9)
    ({1: {"train": 4}, 2: {"train": 4}, 3: {"train": 4}}, (12, 0, 0)),  # too small to hold any out
    ({1: {"train": 10, None: 5}, 2: {"train": 5}}, (12, 3, 3)),  # split already: unsplit pictures are left out
    ({1: {"train": 5}, None: {"val": 3}}, (4, 1, 1)),  # unlabelled validation pictures are not judged on
    ({1: {None: 20}, 2: {None: 20}, None: {"train": 1}}, (0, 0, 0)),  # a split picture: Start splits nothing
])
def test_the_planned_pictures_of_a_project(counts, planned):
    p = planned_pictures(counts)
    assert (p.train, p.val, p.held_out) == planned
    assert p.train_without_validation == planned[0] + planned[2]  # validation off: nothing held out
    assert sum(p.per_class) == p.train and len(p.per_class) == sum(cid is not None for cid in counts)


def test_validation_off_trains_on_the_held_out_pictures_too():
    assert PlannedPictures(17, 3, 3).train_without_validation == 20
    assert PlannedPictures(80, 20, 0).train_without_validation == 80  # a validation split is not trained on


@pytest.mark.parametrize("sizes, ratios", [
    ((20, 20), None), ((3, 3), None), ((4, 4), None), ((1, 2), None), ((3, 12), None),  # as Start splits them
    ((5, 5), (100, 0, 0)), ((4, 4), (100, 0, 0)), ((20, 7), (80, 0, 20)), ((12, 6), (100, 0, 0)),  # held out
    ((10, 10), (60, 20, 20)), ((2, 2), (50, 50, 0)),  # a validation split
])
def test_a_run_trains_and_validates_on_the_pictures_counted_before_it(tmp_path, sizes, ratios):
    """Real projects, classes of different sizes: what the rule counts from ``Project.counts()`` beforehand is what
    the run's own plan (run_create.plan_run: the split Start makes first, then hold_out_validation) trains and
    validates on."""
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
        planned = planned_pictures(counts)
        run = plan_run(p, settings())
        assert planned.train == sum(e.split == "train" for e in run.entries)
        assert planned.val == sum(e.split == "val" for e in run.entries)
        assert planned.held_out == len(run.held_out)
        names = {c.id: c.name for c in p.classes()}  # class by class too, in the order of the counts
        assert list(planned.per_class) == [sum(e.split == "train" and e.label_name == names[cid] for e in run.entries)
                                           for cid in counts if cid is not None]
        unvalidated = plan_run(p, settings(validation=False))
        assert planned.train_without_validation == sum(e.split == "train" for e in unvalidated.entries)
