"""The Split & health tab for keyboard and screen reader users, and before there is anything to split (QA data2 #10,
first-run #10): Seed and the re-draw options are off with a reason, every control has a name, and Tab never stops
on the health words, which show no focus."""

from __future__ import annotations

from PySide6.QtCore import Qt

from cnnstudio.project.health import NOTHING_TO_SPLIT
from tests.ui.conftest import open_data_page


def test_seed_and_redraw_options_wait_for_a_labelled_picture(window, tmp_path):
    assert window.create_project(tmp_path / "p")
    panel = window.workspace.data.splits
    options = (panel.seed, panel.resplit_test, panel.resplit_folders)
    assert not any(w.isEnabled() for w in options)
    assert all(w.toolTip().startswith(f"{NOTHING_TO_SPLIT}\n\n") for w in options)


def test_they_come_on_with_the_first_labelled_picture(window, tmp_path):
    data = open_data_page(window, tmp_path, ("cat", "dog"), per_class=4)
    panel, s = data.workspace.data.splits, data.session
    assert not panel.seed.isEnabled()
    s.label(s.project.ids()[:1], s.project.classes()[0].id)
    assert all(w.isEnabled() for w in (panel.seed, panel.resplit_test, panel.resplit_folders))
    assert panel.seed.toolTip() == "The same seed gives the same split every time"


def test_every_control_is_named_and_tab_skips_the_health_words(window, tmp_path, qtbot):
    from PySide6.QtWidgets import QApplication

    data = open_data_page(window, tmp_path, ("cat", "dog"), per_class=4)
    panel, s = data.workspace.data.splits, data.session
    s.label(s.project.ids()[:1], s.project.classes()[0].id)  # Split is on: something to split
    assert panel.seed.accessibleName() == "Split seed"
    assert data.workspace.data.check.tree.accessibleName() == "Findings of the data check"
    bar = data.workspace.data.check.progress
    bar.setRange(0, 10)
    bar.setValue(0)
    assert bar.text() == "0%"  # as the check's own shares read ("50%"), the house's percent style
    window.activateWindow()
    panel.apply.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.apply)
    qtbot.keyClick(panel.apply, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() not in (panel.health_scroll, panel.health, None)


def test_the_carve_button_going_away_leaves_the_focus_on_the_tab(window, tmp_path, qtbot):
    """QA data2: after the carve the first class row was highlighted, nothing clicked there: the hidden button's
    focus had gone on to the class list."""
    from PySide6.QtWidgets import QApplication

    from cnnstudio.project import import_paths
    from tests.conftest import write_dataset

    assert window.create_project(tmp_path / "p")
    src = tmp_path / "src"
    write_dataset(src / "train", ("circle", "square"), per_class=8)
    write_dataset(src / "test", ("circle", "square"), per_class=2, size=(13, 13))
    import_paths(window.session.project, [src], labels_from_folders=True)
    window.session.images_changed.emit()
    data = window.workspace.data
    window.activateWindow()
    data.splits.carve.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is data.splits.carve)
    data.splits.carve.click()
    assert data.splits.carve.isHidden() and QApplication.focusWidget() is data.splits.apply
    assert data.classes.tree.currentItem() is None
