"""The Data page for a screen reader: the gallery, the class table and the size slider have names, each picture says
its class and split, and a labelling key says what it did in the status bar."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QAccessible

from cnnstudio.ui.data.picture_words import labelled_words, picture_words
from tests.ui.conftest import open_data_page

TEXT, DESCRIPTION = Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.AccessibleDescriptionRole


@pytest.fixture
def data(window, tmp_path):
    return open_data_page(window, tmp_path, ("cat", "dog", "3"), per_class=6)


def _name(widget) -> str:
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name)


def test_picture_words():
    assert picture_words("0_0000.png", "0", "train") == "0_0000.png, class 0, train split"
    assert picture_words("a.png", "", None) == "a.png, no class, no split"
    assert labelled_words(3, "3") == "Labelled 3 pictures as “3”"
    assert labelled_words(1, "cat") == "Labelled 1 picture as “cat”"
    assert labelled_words(2, None) == "Cleared the class of 2 pictures"


def test_the_data_page_widgets_have_names(data):
    page = data.workspace.data
    assert _name(page.gallery.list) == "Pictures"
    assert _name(page.classes.tree) == "Classes"
    assert _name(page.gallery.size_slider) == "Thumbnail size"


def test_a_picture_says_its_class_and_split(data):
    view = data.workspace.data.gallery.list
    model = view.model()
    p = data.session.project
    name = model.data(model.index(0), Qt.ItemDataRole.DisplayRole)
    assert model.data(model.index(0), TEXT) == f"{name}, no class, no split"
    assert "pixels" in model.data(model.index(0), DESCRIPTION)
    cat = p.classes()[0]
    data.session.label([model.image_id(0)], cat.id)
    p.assign_splits((100, 0, 0), seed=0)
    data.session.splits_changed.emit()
    assert model.data(model.index(0), TEXT) == f"{name}, class cat, train split"
    # what the accessibility tree hands a screen reader for the item
    iface = QAccessible.queryAccessibleInterface(view)
    items = [iface.child(i).text(QAccessible.Text.Name) for i in range(min(3, iface.childCount()))]
    assert f"{name}, class cat, train split" in items


def test_a_labelling_key_says_what_it_did(data, qtbot):
    view = data.workspace.data.gallery.list
    view.setFocus()
    view.selectionModel().setCurrentIndex(view.model().index(0), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    qtbot.keyClick(view, Qt.Key.Key_3)  # the class named "3"
    assert data.statusBar().currentMessage() == "Labelled 1 picture as “3”"
    view.selectAll()
    qtbot.keyClick(view, Qt.Key.Key_1)  # the first class with no digit of its own: cat
    assert data.statusBar().currentMessage() == "Labelled 6 pictures as “cat”"
    qtbot.keyClick(view, Qt.Key.Key_Backspace)
    assert data.statusBar().currentMessage() == "Cleared the class of 6 pictures"


def test_a_labelling_key_counts_the_pictures_it_changed_as_its_undo_step_does(data, qtbot):
    """QA: 1,500 selected, 500 already "square": the bar said "Labelled 1,500 pictures", Ctrl+Z "Label 1,000"."""
    view, p = data.workspace.data.gallery.list, data.session.project
    cat = p.class_by_name("cat").id
    first_two = [view.model().image_id(r) for r in range(2)]
    data.session.label(first_two, cat)
    view.setFocus()
    view.selectAll()
    qtbot.keyClick(view, Qt.Key.Key_1)  # cat
    assert data.statusBar().currentMessage() == "Labelled 4 pictures as “cat” (2 already were)"
    stack = data.session.undo_stack
    assert stack.undoText() == "Label 4 pictures as “cat”"
    stack.undo()  # the same 4 go back to no class; the 2 labelled before stay "cat"
    assert [r.class_id for r in p.records([view.model().image_id(r) for r in range(view.model().rowCount())])].count(cat) == 2
    assert labelled_words(0, "cat", already=3) == "3 pictures already are “cat”: nothing changed"
    assert labelled_words(2, None, already=1) == "Cleared the class of 2 pictures (1 had none)"
