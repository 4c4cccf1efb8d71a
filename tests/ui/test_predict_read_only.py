"""A project open for viewing only, on the Predict and Evaluate pages: "Add to dataset" and the mistakes' buttons are
off, their tooltip the project's own sentence; a pasted picture is written outside the project (in any project), and
deleted when the list is cleared."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from tests.ui.test_drop import drop
from tests.ui.test_prediction_view import _new_pictures
from tests.ui.test_read_only_pages import _open_read_only
from tests.ui.test_training_view import open_trained


def _paste(qtbot, page) -> Path:
    image = QImage(20, 20, QImage.Format.Format_RGB32)
    image.fill(QColor(200, 40, 90))
    QApplication.clipboard().setImage(image)
    with qtbot.waitSignal(page.predicted, timeout=30_000):
        assert page.paste()
    return Path(page.predictions[-1].path)


def test_read_only_add_and_relabel_are_off_and_a_paste_is_written_outside_the_project(window, qtbot, tmp_path):
    open_trained(window, qtbot, tmp_path, identical=True)  # half the pictures wrong: mistakes with buttons
    root = window.session.project.root
    window.close_project()
    _open_read_only(window, root)
    try:
        project = window.session.project
        count = project.count()
        window.workspace.show_step(5)
        page = window.workspace.predict_page
        with qtbot.waitSignal(page.predicted, timeout=30_000):
            assert drop(page.list.viewport(), _new_pictures(tmp_path / "new", 1))
        page.detail.add_class.setCurrentIndex(0)  # a class chosen: still off, and the tooltip says why
        add = page.detail.add_button
        assert not add.isEnabled()
        assert "opened read-only in this window" in add.toolTip() and "add pictures to the dataset" in add.toolTip()
        assert not page.add_to_dataset(0, page.detail.add_class.currentText()) and project.count() == count

        pasted = _paste(qtbot, page)  # never into the read-only project
        assert pasted.is_file() and not pasted.is_relative_to(root) and not (root / "cache" / "pasted").exists()
        page.clear()
        assert not pasted.exists()

        ev = window.workspace.evaluate_page
        with qtbot.waitSignal(ev.evaluated, timeout=30_000):
            window.workspace.show_step(4)
        buttons = list(ev.mistakes_tab.buttons.values())
        assert buttons and not any(b.isEnabled() for b in buttons)
        assert all("cannot change labels" in b.toolTip() for b in buttons)
    finally:
        window.close_project()


def test_a_pasted_picture_is_deleted_with_the_list_and_survives_a_change_of_model(window, qtbot, tmp_path):
    open_trained(window, qtbot, tmp_path)
    window.workspace.show_step(5)
    page = window.workspace.predict_page
    root = window.session.project.root
    pasted = _paste(qtbot, page)
    assert pasted.is_file() and not pasted.is_relative_to(root)
    with qtbot.waitSignal(page.predicted, timeout=30_000):  # predicted again with the model chosen: still there
        page.model_combo.setCurrentIndex(1)
        page.model_combo.activated.emit(1)
    assert pasted.is_file() and page.list.count() == 1
    page.clear()
    assert not pasted.exists()
