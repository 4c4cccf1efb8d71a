"""QA: Delete on a class with pictures deleted it at once, said only in the status bar; after quitting, Undo was gone
and the labels with it. Now it asks first, naming the class and how many pictures lose it (Cancel the default,
Escape cancels); an empty class is deleted at once, and a deletion stays undoable."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from cnnstudio.project import UNLABELLED, ImageFilter
from tests.ui.conftest import open_data_page


def test_a_class_with_pictures_is_asked_for_an_empty_one_is_not(window, qtbot, tmp_path):
    open_data_page(window, tmp_path, ("circle", "triangle", "empty"), per_class=6)
    p = window.session.project
    triangle = p.class_by_name("triangle").id
    window.session.label(window.workspace.data.gallery.list.model().ids()[:3], triangle)
    panel = window.workspace.data.classes
    panel.select_class(triangle)
    panel.buttons["delete"].click()
    box = panel.delete_box
    assert box.isVisible() and box.text() == "Delete the class “triangle” and leave its 3 pictures with no class?"
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # Escape: nothing deleted
    assert not box.isVisible() and p.class_by_name("triangle") is not None
    assert p.count(ImageFilter(class_id=triangle)) == 3
    panel.buttons["delete"].click()
    qtbot.keyClick(panel.delete_box, Qt.Key.Key_Return)  # Enter takes the default: Cancel
    assert p.class_by_name("triangle") is not None
    panel.buttons["delete"].click()
    next(b for b in panel.delete_box.buttons() if b.text() == "Delete").click()
    assert p.class_by_name("triangle") is None and p.count(ImageFilter(class_id=UNLABELLED)) == 6
    assert window.statusBar().currentMessage().startswith("Deleted class “triangle”")
    window.undo_action.trigger()  # still undoable
    assert p.count(ImageFilter(class_id=p.class_by_name("triangle").id)) == 3
    panel.delete_box = None
    panel.select_class(p.class_by_name("empty").id)
    panel.buttons["delete"].click()  # no picture to lose: at once, no question
    assert panel.delete_box is None and p.class_by_name("empty") is None
