"""What changed since a run was trained: a renamed class is told as a rename, never as pictures relabelled."""

from __future__ import annotations

import pytest

from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.runs.data_changes import renamed_classes
from cnnstudio.engine.train.settings import TrainSettings
from cnnstudio.engine.data.preprocess import Preprocess
from cnnstudio.project import UNLABELLED, ImageFilter
from tests.engine.test_data import make_project, tiny_spec


@pytest.fixture
def proj_run(tmp_path):
    settings = TrainSettings(epochs=1, batch_size=8, lr=0.02, threads=1,
                             preprocess=Preprocess(height=8, width=8, channels=1, normalization="dataset"))
    with make_project(tmp_path / "proj") as p:  # a real run's files and row (created, not trained)
        run_id = runs.create_run(p, settings, tiny_spec())
        assert runs.data_changed(p, run_id) is False
        yield p, run_id


def test_a_renamed_class_is_a_rename_not_a_relabel(proj_run):
    p, run_id = proj_run
    top = p.class_by_name("top")
    p.rename_class(top.id, "up")
    msg = runs.data_changed(p, run_id)
    assert msg == ("a class name changed since this model was trained: class 'top' is now called 'up' "
                   "(this model still calls it 'top')")
    assert "relabelled" not in msg and "data changed" not in msg
    p.rename_class(p.class_by_name("bottom").id, "down")
    assert runs.data_changed(p, run_id).startswith("class names changed since this model was trained: "
                                                   "class 'bottom' is now called 'down'")
    p.rename_class(p.class_by_name("down").id, "bottom")
    p.rename_class(top.id, "top")  # back to the names it trained with: nothing changed
    assert runs.data_changed(p, run_id) is False


def test_a_rename_and_a_relabel_are_both_told(proj_run):
    p, run_id = proj_run
    top = p.class_by_name("top")
    p.rename_class(top.id, "up")
    one = p.records(p.ids(ImageFilter(split="train", class_id=top.id))[:1])[0]
    p.set_labels([one.id], p.class_by_name("bottom").id)
    msg = runs.data_changed(p, run_id)
    assert msg == ("the data changed since this model was trained: class 'top' is now called 'up' "
                   "(this model still calls it 'top'), 1 image relabelled")


def test_a_merge_is_a_relabel(proj_run):
    p, run_id = proj_run  # 'top' merged into 'bottom': 'bottom' was a class of the run, so no rename
    top, bottom = p.class_by_name("top"), p.class_by_name("bottom")
    n = len(p.ids(ImageFilter(class_id=top.id)))
    p.merge_classes(top.id, bottom.id)
    assert runs.data_changed(p, run_id) == f"the data changed since this model was trained: {n} images relabelled"


def test_a_deleted_class_leaves_its_pictures_without_a_class_not_removed(proj_run):
    p, run_id = proj_run
    top = p.class_by_name("top")
    n = len(p.ids(ImageFilter(class_id=top.id)))
    p.delete_class(top.id)  # its pictures stay in the project, unlabelled
    assert runs.data_changed(p, run_id) == (f"the data changed since this model was trained: {n} images now without "
                                            "a class or a split")
    p.delete_images(p.ids(ImageFilter(class_id=UNLABELLED))[:1])  # one of them to the trash: that one is removed
    assert runs.data_changed(p, run_id) == (f"the data changed since this model was trained: 1 image removed, "
                                            f"{n - 1} images now without a class or a split")


def test_renamed_classes_rule():
    then = {"a": ("cat", "train"), "b": ("cat", "test"), "c": ("dog", "train")}
    assert renamed_classes(then, {"a": ("kitty", "train"), "b": ("kitty", "test"), "c": ("dog", "train")},
                           ["cat", "dog"], ["kitty", "dog"]) == {"cat": "kitty"}
    # the old name is still a class of the project: its pictures were relabelled, not renamed
    assert renamed_classes(then, {"a": ("kitty", "train"), "b": ("kitty", "test"), "c": ("dog", "train")},
                           ["cat", "dog"], ["cat", "kitty", "dog"]) == {}
    # the new name was a class of the run (a merge): no rename
    assert renamed_classes(then, {"a": ("dog", "train"), "b": ("dog", "test"), "c": ("dog", "train")},
                           ["cat", "dog"], ["dog"]) == {}
    # two classes cannot both have become one new name
    both = renamed_classes(then, {k: ("pet", s) for k, (_, s) in then.items()}, ["cat", "dog"], ["pet"])
    assert both == {"cat": "pet"}
