"""The Data page's Split keeps a picture and its near copy in one split (ui/data/split_task.py: the copies found first,
on the GUI thread for a few pictures, in a worker with a progress dialog for more), says so in plain words, and one
Ctrl+Z undoes it all."""

from __future__ import annotations

from cnnstudio.project import ImageFilter, import_paths
from cnnstudio.ui.data import split_task
from tests.engine.test_split_groups import _dataset

KEPT = "Kept 1 pair of near-identical pictures in the same split so the test stays honest."


def _open(window, tmp_path) -> list[int]:
    """``window`` on 24 different pictures and a resized, re-compressed copy of one; the pair's ids."""
    assert window.create_project(tmp_path / "proj")
    p = window.session.project
    import_paths(p, [_dataset(tmp_path / "src")], labels_from_folders=True)
    window.session.images_changed.emit()
    window.session.undo_stack.clear()
    names = {r.original_name: r.id for r in p.records(p.ids(ImageFilter()))}
    return [names["a3.png"], names["a3 copy.jpg"]]


def _splits(window, ids) -> set:
    return {r.split for r in window.session.project.records(ids)}


def test_split_keeps_the_copy_with_its_picture_and_undo_takes_it_all_back(window, tmp_path):
    pair = _open(window, tmp_path)
    panel = window.workspace.data.splits
    panel.seed.setValue(0)
    before = window.session.project.split_snapshot()
    panel.apply.click()  # a few pictures: found at once, the split made before the click returns
    assert len(_splits(window, pair)) == 1 and None not in _splits(window, pair)
    said = window.statusBar().currentMessage()
    assert said.startswith("Split: train ") and f" {KEPT} Ctrl+Z undoes it." in said
    window.session.undo_stack.undo()
    assert window.session.project.split_snapshot() == before
    window.session.undo_stack.redo()
    assert len(_splits(window, pair)) == 1 and None not in _splits(window, pair)


def test_more_pictures_are_looked_at_in_a_worker_and_the_split_follows(window, tmp_path, qtbot, monkeypatch):
    monkeypatch.setattr(split_task, "QUICK_PICTURES", 10)  # 25 pictures count as many here
    pair = _open(window, tmp_path)
    panel = window.workspace.data.splits
    for seed in range(3):  # whichever way the draw goes, the pair shares a split
        panel.seed.setValue(seed)
        panel.resplit_test.setChecked(True)
        panel.apply.click()
        assert panel.copies.busy  # in a worker: nothing is split yet
        qtbot.waitUntil(lambda: not panel.copies.busy and not panel.copies._ending, timeout=60_000)
        assert len(_splits(window, pair)) == 1 and None not in _splits(window, pair)
        assert KEPT in window.statusBar().currentMessage()
    assert window.session.undo_stack.count() == 3  # one undoable step per split


def test_starting_a_first_run_splits_first_with_the_copy_beside_its_picture(window, tmp_path, qtbot):
    from tests.ui.test_training_view import tiny_design

    pair = _open(window, tmp_path)  # nothing split yet: Start splits first (splits.needs_auto_split)
    tiny_design(window)
    page = window.workspace.train_page
    page.settings_form.epochs.setValue(1)
    page.settings_form.batch_size.setValue(4)
    with qtbot.waitSignal(page.run_ended, timeout=120_000):
        assert page.start()
        said = window.statusBar().currentMessage()
    assert said.startswith("The labelled pictures were split first: ") and said.endswith(KEPT)
    assert len(_splits(window, pair)) == 1 and None not in _splits(window, pair)
