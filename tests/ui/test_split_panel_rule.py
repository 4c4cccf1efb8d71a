"""The Data page's Split follows the one rule `cnnstudio split` follows (splits.plan_split, parse_ratios): ratios
that do not add up to 100% are refused, a split that leaves validation empty says so with what to do in the
app, and the panel's words are the app's (no command-line flags)."""

from __future__ import annotations

import pytest

from cnnstudio.project import import_paths
from cnnstudio.project.splits import CARVE, RESPLIT, labelled_per_split
from tests.conftest import write_dataset


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


def _words(panel) -> str:
    return " ".join((panel.health.text(), panel.apply.toolTip(), panel.sum_label.text(), panel.carve.toolTip()))


def test_ratios_that_do_not_add_up_are_refused(folders):
    panel = folders.workspace.data.splits
    assert panel.plan().action == CARVE and panel.apply.isEnabled()
    panel.train.setValue(80)
    panel.val.setValue(20)
    panel.test.setValue(20)
    assert panel.plan() is None and not panel.apply.isEnabled()
    assert panel.sum_label.isVisible() and panel.sum_label.text() == "Ratios add up to 120%, not 100%."
    panel.do_split()  # the data check's "Split now" cannot split with refused ratios either, and says why
    assert labelled_per_split(folders.session.project.counts())["val"] == 0
    assert panel.isVisible()  # the tab in view is not named
    assert folders.statusBar().currentMessage() == "Nothing was split: ratios add up to 120%, not 100%."
    folders.workspace.data.side.setCurrentIndex(1)  # the Check data tab, whose "Split now" asks
    panel.do_split()
    assert folders.statusBar().currentMessage() == ("Nothing was split: ratios add up to 120%, not 100%. Set the "
                                                    "ratios on the Split & health tab.")
    panel.train.setValue(60)
    assert panel.apply.isEnabled() and not panel.sum_label.isVisible() and panel.plan().action == CARVE
    for ratios in ((1, 0, 0), (0, 1, 0)):  # percentages adding up to 1 are not fractions' whole (review)
        for box, v in zip((panel.train, panel.val, panel.test), ratios):
            box.setValue(v)
        assert panel.plan() is None and not panel.apply.isEnabled() and panel.sum_label.text() == (
            "Ratios add up to 1%, not 100%.")


def test_split_without_validation_says_so_in_the_apps_words(folders):
    panel, p = folders.workspace.data.splits, folders.session.project
    assert "Press 'Take 15% of train for validation' (or 'Split')" in panel.health.text()
    panel.val.setValue(40)  # the carve button and the health line take the Val share, as Split does
    assert panel.carve.text() == "Take 40% of train for validation" and "Press 'Take 40%" in panel.health.text()
    panel.val.setValue(0)
    assert panel.carve.isHidden() and "(or 'Split')" not in panel.health.text()
    assert "Give Val a share above 0%, then press 'Split' to do it." in panel.health.text()
    panel.train.setValue(85)
    panel.val.setValue(0)
    assert panel.plan().action == RESPLIT
    panel.apply.click()
    said = folders.statusBar().currentMessage()
    assert labelled_per_split(p.counts())["val"] == 0
    assert ("Validation has 0 pictures: training will have nothing to choose the best epoch with. Give Val a share "
            "above 0% and press 'Split' again.") in said
    folders.undo_action.trigger()
    # "Re-draw the test split too" keeps test/ folder pictures where they are: the message says what moves them
    panel.val.setValue(15)
    panel.train.setValue(70)
    panel.resplit_test.setChecked(True)
    assert panel.plan().action == RESPLIT
    panel.apply.click()
    assert "Tick 'Re-draw folder splits too' and press 'Split' again" in folders.statusBar().currentMessage()
    assert not any("--" in w for w in (_words(panel), folders.statusBar().currentMessage()))


def test_split_takes_validation_and_says_nothing_of_an_empty_one(folders):
    panel = folders.workspace.data.splits
    panel.apply.click()
    said = folders.statusBar().currentMessage()
    assert said.startswith("Took 15% of each class's training pictures for validation: train 34, validation 6")
    assert "Validation has 0" not in said and "validation split is empty" not in panel.health.text()


def test_refused_ratios_and_the_carve_button_keep_the_data_page_on_a_small_screen(folders):
    """The line under refused ratios and the health box's carve button both shown: the window stays 614 px tall
    (it grew to 642 px)."""
    from PySide6.QtWidgets import QApplication

    panel = folders.workspace.data.splits
    panel.train.setValue(80)  # 110 %: refused; the carve button (Val 15 %) stays
    QApplication.processEvents()
    assert panel.sum_label.isVisible() and panel.carve.isVisible()
    folders.resize(1024, 614)
    QApplication.processEvents()
    assert folders.minimumSizeHint().height() <= 614 and folders.height() == 614, folders.minimumSizeHint()
