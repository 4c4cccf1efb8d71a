"""Validation that is always there, in the GUI: the Data page's "Take 15% of train for validation" (and Split
doing the same) for a project imported from train/ and test/ folders, undoable; the Train page's "Use no
validation" check box, its status line and the runs list's "no validation"."""

from __future__ import annotations

import pytest

from cnnstudio.engine.events import RunFinished
from cnnstudio.project import import_paths
from cnnstudio.project.splits import labelled_per_split
from cnnstudio.ui.train.run_words import plain_words
from tests.conftest import write_dataset
from tests.ui.test_training_view import open_tiny, train_once


@pytest.fixture
def folders(window, tmp_path):
    """A project imported from train/ and test/ folders only: no validation pictures."""
    src = tmp_path / "src"
    write_dataset(src / "train", ("cat", "dog"), per_class=20, size=(12, 12))
    write_dataset(src / "test", ("cat", "dog"), per_class=4, size=(13, 13))
    assert window.create_project(tmp_path / "proj")
    import_paths(window.session.project, [src], labels_from_folders=True)
    window.session.images_changed.emit()
    window.session.undo_stack.clear()
    return window


def _splits(p) -> dict:
    return {i: s for i, (s, _) in p.split_snapshot().items()}


def test_take_validation_from_train_button_and_undo(folders):
    p, panel = folders.session.project, folders.workspace.data.splits
    assert not panel.carve.isHidden() and panel.carve.text() == "Take 15% of train for validation"
    assert "validation split is empty" in panel.health.text()
    before = _splits(p)
    panel.carve.click()
    after = _splits(p)
    assert labelled_per_split(p.counts()) == {"train": 34, "val": 6, "test": 8}
    assert {i for i, s in after.items() if s == "test"} == {i for i, s in before.items() if s == "test"}
    assert all(before[i] == "train" for i, s in after.items() if s == "val")
    assert panel.carve.isHidden() and "validation split is empty" not in panel.health.text()
    assert "Ctrl+Z" in folders.statusBar().currentMessage()
    folders.undo_action.trigger()
    assert _splits(p) == before and not panel.carve.isHidden()
    folders.redo_action.trigger()
    assert _splits(p) == after


def test_split_takes_validation_from_train_and_keeps_test(folders):
    p, panel = folders.session.project, folders.workspace.data.splits
    before = _splits(p)
    assert panel.ratios() == (70, 15, 15) and "test pictures stay" in panel.apply.toolTip()
    panel.apply.click()
    assert labelled_per_split(p.counts()) == {"train": 34, "val": 6, "test": 8}
    assert {i for i, s in _splits(p).items() if s == "test"} == {i for i, s in before.items() if s == "test"}
    folders.undo_action.trigger()
    assert _splits(p) == before
    # "Re-draw folder splits too" asks for a whole new split instead
    panel.resplit_folders.setChecked(True)
    assert "test pictures stay" not in panel.apply.toolTip()
    panel.apply.click()
    counts = labelled_per_split(p.counts())
    assert counts["val"] > 0 and sum(counts.values()) == 48


def test_no_validation_check_box_trains_keeping_the_last_epoch(window, qtbot, tmp_path):
    page = open_tiny(window, tmp_path)
    form = page.settings_form
    assert not form.no_validation.isChecked() and page.settings().validation is True
    assert "overfit" in form.no_validation.toolTip()
    form.no_validation.setChecked(True)
    assert page.settings().validation is False
    assert form.values()["validation"] is False
    from cnnstudio.ui.train.settings_form import SettingsForm

    again = SettingsForm(window.session)  # saved in the project
    qtbot.addWidget(again)
    assert again.no_validation.isChecked()
    messages: list[str] = []
    window.statusBar().messageChanged.connect(messages.append)
    ev = train_once(qtbot, page, epochs=2)
    assert isinstance(ev, RunFinished) and ev.best_epoch == ev.epochs == 2
    assert "No validation: the last epoch is kept." in messages
    cell = page.runs.table.item(0, 2)
    assert cell.text() == "no validation" and "test score" in cell.toolTip()
    page.runs.select([ev.run_id])
    assert "no validation" in plain_words(page.runs.details.text())
    form.reset()
    assert not form.no_validation.isChecked()


def test_the_split_chart_waits_for_a_split_picture_and_the_ratios_do_not_touch(window, qtbot, tmp_path):
    from cnnstudio.project import import_paths
    from tests.conftest import write_dataset

    assert window.create_project(tmp_path / "empty")
    panel = window.workspace.data.splits
    assert panel.chart.isHidden()  # nothing to draw: no empty 0-1.2 axis with a legend of nothing
    import_paths(window.session.project, [write_dataset(tmp_path / "src", ("cat",), per_class=4)],
                 labels_from_folders=True)
    window.session.images_changed.emit()
    assert panel.chart.isHidden()  # a class without a split picture: still nothing but zeros (QA Data step #18)
    window.session.split((0.7, 0.15, 0.15), 0, False, False)
    assert not panel.chart.isHidden()
    grid = panel.ratios_row  # Train / Val / Test, each name above its number, with a gap between the columns
    for col, split in enumerate(("train", "val", "test")):
        assert grid.itemAtPosition(0, col).widget() is panel.ratio_labels[split]
        assert grid.itemAtPosition(1, col).widget() is getattr(panel, split)
    assert grid.horizontalSpacing() >= 8
    qtbot.waitUntil(lambda: panel.test.isVisible())
    assert panel.train.geometry().right() + 8 <= panel.val.geometry().left()  # the numbers do not touch


def test_the_data_checks_carve_takes_the_val_share_as_split_does(folders):
    from cnnstudio.engine.runs.doctor_review import HEALTH_FIXES
    from cnnstudio.project.health import CARVE_VALIDATION

    panel = folders.workspace.data.splits
    panel.train.setValue(45)
    panel.val.setValue(40)
    assert HEALTH_FIXES[CARVE_VALIDATION][0] == "Take validation from train"  # no amount of its own
    folders.workspace.data._split_asked(CARVE_VALIDATION)
    assert folders.statusBar().currentMessage().startswith("Took 40% of each class's training pictures")
    assert labelled_per_split(folders.session.project.counts())["val"] == 16
