"""The Data step's keys (QA report on the Data step, items 1, 7, 8, 10, 16, 20): Edit > Split Dataset shows the Data
step first and is not the platform's Save As; F2 renames; a labelling key pressed in the class list labels the
gallery's pictures; the preview's Delete and Ctrl+Z; the words of the hint, the filter and the status line; a class
added that moves another's key says so."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QInputDialog

from cnnstudio.project import ImageFilter
from cnnstudio.ui.workspace import step_index
from tests.ui.conftest import open_data_page


@pytest.fixture
def data(window, tmp_path, qtbot):
    open_data_page(window, tmp_path, ("cat", "dog", "bird"), per_class=12)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # the keys' shortcuts act in the active window
    return window


def _select_row(view, row):
    view.selectionModel().setCurrentIndex(view.model().index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect)


def test_split_dataset_shows_the_data_step_so_its_undo_works_and_is_not_save_as(data, qtbot):
    view = data.workspace.data.gallery.list
    view.selectAll()
    qtbot.keyClick(view, Qt.Key.Key_1)  # every picture is a cat: something to split
    data.workspace.show_step(step_index("train"))
    data.split_action.trigger()
    p = data.session.project
    assert p.count(ImageFilter(split="none")) == 0  # split
    assert data.workspace.current_step() == "data"  # where it shows, and where Ctrl+Z undoes it
    assert data.undo_action.isEnabled() and "Split" in data.undo_action.text()
    data.undo_action.trigger()
    assert p.count(ImageFilter(split="none")) == 12
    assert data.split_action.shortcut() == QKeySequence("Ctrl+Shift+D")  # not Save As, pressed out of habit
    save_as = QKeySequence(QKeySequence.StandardKey.SaveAs)
    assert all(save_as not in a.shortcuts() for a in data.findChildren(type(data.split_action)))


def test_f2_renames_the_selected_class(data, qtbot, monkeypatch):
    panel = data.workspace.data.classes
    cat = data.session.project.class_by_name("cat").id
    panel.select_class(cat)
    panel.tree.setFocus()
    asked = []
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: asked.append(a) or ("kitten", True))
    qtbot.keyClick(panel.tree, Qt.Key.Key_F2)
    assert asked and "“cat”" in asked[0][2]  # the question names the class in the page's quotes
    assert data.session.project.class_by_name("kitten").id == cat
    assert "(F2)" in panel.buttons["rename"].toolTip()


def test_a_labelling_key_in_the_class_list_labels_the_gallerys_pictures(data, qtbot):
    page = data.workspace.data
    view, tree, p = page.gallery.list, page.classes.tree, data.session.project
    first = view.model().image_id(0)
    _select_row(view, 0)
    tree.setCurrentItem(tree.topLevelItem(0))
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_2)  # not Qt's type-to-search: the gallery's labelling key
    assert p.image(first).class_id == p.class_by_name("dog").id
    assert "Labelled 1 picture as “dog”" in data.statusBar().currentMessage()
    assert tree.currentItem() is tree.topLevelItem(0)
    # a class double-clicked shows its pictures, and the focus is back in the gallery for the next key
    tree.itemDoubleClicked.emit(tree.topLevelItem(1), 1)
    assert page.gallery.class_filter.currentText() == "dog" and data.focusWidget() is view


def test_the_preview_undoes_redoes_and_trashes_with_the_windows_keys(data, qtbot):
    page = data.workspace.data
    view, p = page.gallery.list, data.session.project
    model = view.model()
    first, second, third = (model.image_id(r) for r in range(3))
    _select_row(view, 0)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return)
    dialog = page.preview_dialog
    qtbot.waitUntil(dialog.isActiveWindow)
    hint = dialog.keys.text()
    assert "(1–9)" in hint and "Delete" in hint and "Ctrl+Z" in hint and hint.endswith(".")
    qtbot.keyClick(dialog, Qt.Key.Key_2)  # a wrong key: labelled, moved on
    assert p.image(first).class_id is not None and dialog.image_id == second
    qtbot.keyClick(dialog, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the window's Undo, from the preview
    assert p.image(first).class_id is None and dialog.image_id == first  # shown again, to press the right key
    assert "Undone" in data.statusBar().currentMessage()
    qtbot.keyClick(dialog, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert p.image(first).class_id == p.class_by_name("dog").id  # redone
    _select_row(view, 1)
    dialog._follow()
    assert dialog.image_id == second
    qtbot.keyClick(dialog, Qt.Key.Key_Delete)  # to the trash, and the next one is shown
    assert p.count() == 11 and second in p.ids(ImageFilter(trashed=True)) and dialog.image_id == third
    assert "trash" in data.statusBar().currentMessage()
    qtbot.keyClick(dialog, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert p.count() == 12 and dialog.image_id == second and dialog.isVisible()
    dialog.close()
    assert not dialog.actions()  # closed: the window's Undo no longer follows the preview


def test_the_page_says_no_class_and_the_hint_names_key_0(window, tmp_path, qtbot):
    open_data_page(window, tmp_path, ("0", "1", "2"), per_class=3)
    page = window.workspace.data
    assert page.gallery.class_filter.itemText(1) == "No class"
    assert "3 with no class" in window.status_label.text()
    _select_row(page.gallery.list, 0)
    page.preview(page.gallery.list.model().image_id(0))
    dialog = page.preview_dialog
    assert "(0–9)" in dialog.keys.text()
    assert "Class: <b>No class</b>" in dialog.info.text() and "Split: No split" in dialog.info.text()
    window.session.set_split([dialog.image_id], "val")
    dialog.show_image(dialog.image_id)
    assert "Split: Validation" in dialog.info.text()
    dialog.close()


def test_a_class_that_moves_another_class_key_says_so(window, tmp_path, qtbot, monkeypatch):
    open_data_page(window, tmp_path, ("bird", "cat", "dog", "a/b"), per_class=2)
    panel = window.workspace.data.classes
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("4", True))
    panel.buttons["add"].click()
    assert [panel.tree.topLevelItem(i).text(0) for i in range(5)] == ["1", "2", "3", "5", "4"]
    assert "“a/b” now has the key 5" in window.statusBar().currentMessage()
    panel.select_class(window.session.project.class_by_name("bird").id)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("finch", True))
    window.statusBar().clearMessage()
    panel.buttons["rename"].click()  # no key moves: nothing said about keys
    assert "Keys changed" not in window.statusBar().currentMessage()
    panel.select_class(window.session.project.class_by_name("cat").id)
    panel.buttons["delete"].click()  # "dog" and "a/b" move up
    message = window.statusBar().currentMessage()
    assert message.startswith("Deleted class “cat”") and "“dog” now has the key 2" in message
