"""Predict's "Add to dataset" and the camera tab's "Add this frame": a picture added with a class into a project that
has splits goes to the training pictures (so the next run learns from it), and the message says where it went."""

from __future__ import annotations

from cnnstudio.engine.data.entries import dataset_entries
from cnnstudio.project import ImageFilter
from tests.ui.test_drop import drop
from tests.ui.test_prediction_view import _new_pictures, _trained


def _split_counts(project) -> dict[str, int]:
    _names, entries = dataset_entries(project)
    out: dict[str, int] = {}
    for e in entries:
        out[e.split] = out.get(e.split, 0) + 1
    return out


def test_a_picture_added_to_a_split_project_is_a_training_picture(window, qtbot, tmp_path):
    page = _trained(window, qtbot, tmp_path)
    project = window.session.project
    before = _split_counts(project)
    assert before.get("train") and project.count(ImageFilter(split="train"))  # trained: the project is split
    with qtbot.waitSignal(page.predicted, timeout=30_000):
        assert drop(page.list.viewport(), _new_pictures(tmp_path / "new", 2))
    with qtbot.waitSignal(page.importer.finished, timeout=20_000):
        assert page.add_to_dataset(0, "a")
    after = _split_counts(project)
    assert after == {**before, "train": before["train"] + 1}  # the next training run uses it
    assert window.statusBar().currentMessage() == ("Added to the training pictures as “a”. It is used from the next "
                                                   "training run on.")
    assert "added as a" in page.list.item(0).text()

    # a project with nothing split yet: no split (the split before training takes it), and the message says so
    project.set_split(project.ids(), None)
    assert not project.count(ImageFilter(split="train"))
    with qtbot.waitSignal(page.importer.finished, timeout=20_000):
        assert page.add_to_dataset(1, "b")
    new_id = max(project.ids())
    assert project.image(new_id).split is None
    assert window.statusBar().currentMessage() == ("Added to the dataset as “b”: it gets a split when you next train "
                                                   "or press Split.")
