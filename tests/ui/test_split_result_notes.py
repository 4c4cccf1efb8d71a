"""A split's result says what it did not do (QA: 90/5/5 gave "train 63, validation 4, test 12" without a word): the
test pictures a re-split kept, with the option that draws them again as the panel names it, and a class left with
too few validation pictures (health.MIN_VAL_PER_CLASS)."""

from __future__ import annotations

from cnnstudio.project import import_paths
from cnnstudio.project.health import MIN_VAL_PER_CLASS
from tests.conftest import write_dataset


def _open(window, tmp_path, per_class=25):  # 50 pictures: split at once (split_task.QUICK_PICTURES)
    write_dataset(tmp_path / "src", ("circle", "square"), per_class=per_class, size=(12, 12))
    assert window.create_project(tmp_path / "proj")
    import_paths(window.session.project, [tmp_path / "src"], labels_from_folders=True)
    window.session.images_changed.emit()
    return window.workspace.data.splits


def _split(panel, train, val, test, redraw=False):
    panel.train.setValue(train), panel.val.setValue(val), panel.test.setValue(test)
    panel.resplit_test.setChecked(redraw)
    panel.do_split()
    return panel.result.text()


def test_a_resplit_that_keeps_the_test_split_says_so_and_how_to_redraw_it(window, tmp_path):
    panel = _open(window, tmp_path)
    first = _split(panel, 50, 30, 20)
    assert "kept" not in first and "Validation has fewer" not in first
    said = _split(panel, 90, 5, 5)
    assert said.startswith("Split: train 38, validation 2, test 10. Split kept the 10 test pictures you had")
    assert ("they are more than the 5% test share, so train and validation got less than the ratios ask: tick "
            "'Re-draw the test split too' and press 'Split' again to draw the test split again with them.") in said
    assert (f"Validation has fewer than {MIN_VAL_PER_CLASS} pictures of each of 2 classes (“circle” 1, “square” 1): too "
            "few to tell reliably which epoch is best; give Val a larger share and press 'Split' again, or add "
            "pictures.") in said and said.endswith("Ctrl+Z undoes it.")
    assert window.statusBar().currentMessage() == said
    redrawn = _split(panel, 90, 5, 5, redraw=True)
    assert "kept the" not in redrawn and "Validation has fewer" in redrawn
