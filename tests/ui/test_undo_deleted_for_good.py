"""Undo and Redo after pictures were deleted for good (QA data2 #3): a drawn split's Redo puts back the same
assignment, never a new draw; emptying the trash in the window drops a carve that was only about those pictures;
and a step whose pictures were deleted from outside the window (``cnnstudio trash DIR --empty``) acts on those left
and says how many were deleted, or is dropped with a message when none are left."""

from __future__ import annotations

import pytest

from cnnstudio.project import ImageFilter
from tests.ui.conftest import open_data_page


@pytest.fixture
def data(window, tmp_path):
    """20 pictures, 10 'cat' and 10 'dog', all in train; the undo history clear."""
    w = open_data_page(window, tmp_path, ("cat", "dog"), per_class=20)
    p = w.session.project
    ids = p.ids()
    cat, dog = (c.id for c in p.classes())
    p.set_labels(ids[:10], cat)
    p.set_labels(ids[10:], dog)
    p.set_split(ids, "train")
    w.session.splits_changed.emit()
    return w


def _val(p) -> list[int]:
    return p.ids(ImageFilter(split="val"))


def _empty_from_outside(p, ids) -> None:
    """What `cnnstudio trash DIR --empty` does to the project's files while the window is open."""
    p.delete_images(ids)
    assert sorted(p.empty_trash_report().ids) == sorted(ids)


def test_redo_of_a_carve_puts_back_the_same_pictures_even_after_some_were_deleted(data):
    s, p = data.session, data.session.project
    s.carve_validation(0.3, seed=0)
    carved = _val(p)
    assert len(carved) == 6
    data.undo_action.trigger()
    assert _val(p) == [] and data.statusBar().currentMessage() == "Undone: Take 30% of train for validation"
    others = [i for i in p.ids() if i not in carved]
    _empty_from_outside(p, [carved[0], *others[:4]])  # the train pictures a new draw would choose from change
    data.redo_action.trigger()
    assert _val(p) == carved[1:]
    assert data.statusBar().currentMessage() == ("Redone: Take 30% of train for validation. 1 picture of this "
                                                 "step was deleted for good.")


def test_emptying_the_trash_in_the_window_drops_a_carve_only_about_those_pictures(data):
    s, p = data.session, data.session.project
    s.carve_validation(0.15, seed=0)
    carved = _val(p)
    s.delete_images(carved)
    s.empty_trash()
    assert not s.undo_stack.canUndo() and not s.undo_stack.canRedo()
    assert p.summary()["splits"]["train"] == 20 - len(carved)


def test_undo_of_a_trash_emptied_from_outside_says_nothing_came_back(data):
    s, p = data.session, data.session.project
    s.label(p.ids()[:1], None)  # an earlier step, still there to undo
    s.delete_images(p.ids()[2:4])
    _empty_from_outside(p, p.ids(ImageFilter(trashed=True)))
    data.undo_action.trigger()
    assert data.statusBar().currentMessage() == "Nothing to undo for “Trash 2 pictures”: its 2 pictures were deleted " \
                                                "for good."
    assert p.count() == 18 and s.undo_stack.undoText() == "Remove the label from 1 picture"
    assert data.undo_action.text() == "&Undo Remove the label from 1 picture"


def test_undo_of_a_label_acts_on_the_pictures_left_and_counts_those_deleted(data):
    s, p = data.session, data.session.project
    ids = p.ids()[:3]
    s.label(ids, None)
    _empty_from_outside(p, ids[:1])
    data.undo_action.trigger()
    assert [r.class_id for r in p.records(ids[1:])] == [p.classes()[0].id] * 2
    assert data.statusBar().currentMessage() == ("Undone: Remove the label from 2 pictures. 1 picture of this step "
                                                 "was deleted for good.")


def test_a_step_about_pictures_counts_those_left_after_some_are_deleted_for_good(data):
    """QA: "Move 12 pictures to the test split" still said 12 after 3 of them were deleted for good; so did a camera
    burst's step. Each step says its count again by its own words; a drawn split's text names no count and stays."""
    from cnnstudio.ui.camera.camera_panel import CameraBurstCommand

    s, p = data.session, data.session.project
    ids = p.ids()
    s.guard.push(s.undo_stack, CameraBurstCommand(s, ids[:5], "cat"))  # as the camera's import of a burst pushes it
    s.set_split(ids[5:17], "test")
    s.set_split(ids[17:19], "val", lambda n: f"Move {n} cop{'y' if n == 1 else 'ies'} to the validation split")
    s.set_split(ids[19:], None)
    s.carve_validation(0.5, seed=0)
    carved = [i for i in _val(p) if i not in ids[17:19]]
    assert len(carved) >= 2 and set(carved) < set(ids[:5])  # from the burst's pictures (the only ones left in train)
    stack = s.undo_stack
    assert [stack.text(i) for i in range(stack.count())] == [
        "Add 5 camera pictures to “cat”", "Move 12 pictures to the test split", "Move 2 copies to the validation split",
        "Take 1 picture out of their split", "Take 50% of train for validation"]
    burst_kept = [i for i in ids[:5] if i not in carved]
    s.delete_images([burst_kept[0], carved[0], *ids[5:8], ids[17]])  # 2 of the burst's, 1 of them carved
    s.empty_trash()
    assert [stack.text(i) for i in range(stack.count())] == [
        "Add 3 camera pictures to “cat”", "Move 9 pictures to the test split", "Move 1 copy to the validation split",
        "Take 1 picture out of their split", "Take 50% of train for validation"]
    assert stack.index() == stack.count()  # the trash step, only about the pictures deleted, was dropped
    for _ in range(3):
        data.undo_action.trigger()
    assert data.statusBar().currentMessage() == "Undone: Move 1 copy to the validation split"
    data.undo_action.trigger()
    assert data.statusBar().currentMessage() == "Undone: Move 9 pictures to the test split"
    assert p.summary()["splits"]["test"] == 0
    assert data.undo_action.text() == "&Undo Add 3 camera pictures to “cat”"
