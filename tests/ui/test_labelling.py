"""Keyboard labelling in the gallery, undo/redo, delete, classes and splits through the views."""

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from cnnstudio.project import UNLABELLED, ImageFilter, import_paths
from tests.conftest import write_dataset
from tests.ui.conftest import open_data_page


@pytest.fixture
def data(window, tmp_path):
    return open_data_page(window, tmp_path, ("cat", "dog", "bird"), per_class=12)


def _select_row(view, row):
    view.selectionModel().setCurrentIndex(view.model().index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect)


def test_number_keys_label_and_move_on(data, qtbot):
    view = data.workspace.data.gallery.list
    p = data.session.project
    ids = view.model().ids()
    view.setFocus()
    _select_row(view, 0)
    for key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_1):
        qtbot.keyClick(view, key)
    cat, dog, bird = (c.id for c in p.classes())
    assert [p.image(i).class_id for i in ids[:5]] == [cat, dog, bird, cat, None]
    assert view.currentIndex().row() == 4  # moved on after each key
    qtbot.keyClick(view, Qt.Key.Key_9)  # no class 9: nothing happens, the status bar explains
    assert p.image(ids[4]).class_id is None
    assert "no class with the key 9" in data.statusBar().currentMessage()
    # 0 / Backspace clear
    _select_row(view, 0)
    qtbot.keyClick(view, Qt.Key.Key_0)
    assert p.image(ids[0]).class_id is None
    # undo / redo through the Edit menu actions
    data.undo_action.trigger()
    assert p.image(ids[0]).class_id == cat
    data.undo_action.trigger()  # undoes the 4th label (cat on image 4)
    data.undo_action.trigger()  # undoes the 3rd (bird on image 3)
    assert p.image(ids[3]).class_id is None and p.image(ids[2]).class_id is None
    data.redo_action.trigger()
    assert p.image(ids[2]).class_id == bird and p.image(ids[3]).class_id is None


def test_multi_select_labels_all(data, qtbot):
    view = data.workspace.data.gallery.list
    view.selectAll()
    qtbot.keyClick(view, Qt.Key.Key_2)
    dog = data.session.project.class_by_name("dog").id
    assert data.session.project.count(ImageFilter(class_id=dog)) == 12
    assert data.workspace.data.classes.tree.topLevelItem(1).text(6) == "12"


def test_unlabelled_filter_shrinks_as_you_label(data, qtbot):
    panel = data.workspace.data.gallery
    panel.show_class(UNLABELLED)
    view = panel.list
    assert view.model().rowCount() == 12
    _select_row(view, 0)
    second = view.model().image_id(1)
    qtbot.keyClick(view, Qt.Key.Key_1)
    assert view.model().rowCount() == 11
    assert view.currentIndex().data(Qt.ItemDataRole.UserRole + 1) == second  # the next image is current
    data.undo_action.trigger()
    assert view.model().rowCount() == 12


def test_delete_images_and_undo(data, qtbot):
    view = data.workspace.data.gallery.list
    _select_row(view, 0)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert data.session.project.count() == 11 and view.model().rowCount() == 11
    data.undo_action.trigger()
    assert data.session.project.count() == 12 and view.model().rowCount() == 12


def test_class_panel_rename_delete_merge_with_undo(data, qtbot, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    panel = data.workspace.data.classes
    p = data.session.project
    cat = p.class_by_name("cat").id
    view = data.workspace.data.gallery.list
    _select_row(view, 0)
    qtbot.keyClick(view, Qt.Key.Key_1)  # one cat image
    panel.select_class(cat)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("kitten", True))
    panel.buttons["rename"].click()
    assert p.class_by_name("kitten").id == cat
    assert panel.tree.topLevelItem(0).text(1) == "kitten"
    panel.select_class(cat)
    panel.buttons["merge"].click()  # the real dialog says what happens to the class
    dialog = panel.merge_dialog
    assert dialog.isVisible() and dialog.comboBoxItems() == ["dog", "bird"]
    assert "every picture of “kitten”" in dialog.labelText() and "“kitten” is then removed" in dialog.labelText()
    dialog.setTextValue("dog")
    dialog.accept()
    assert p.class_by_name("kitten") is None and p.count(ImageFilter(class_id=p.class_by_name("dog").id)) == 1
    data.undo_action.trigger()
    assert p.count(ImageFilter(class_id=cat)) == 1
    panel.select_class(cat)
    panel.buttons["delete"].click()  # a class with a picture: asked first (test_delete_class_asks.py)
    panel.delete_box.button(QMessageBox.StandardButton.Cancel).click()
    assert p.class_by_name("kitten") is not None
    panel.buttons["delete"].click()
    next(b for b in panel.delete_box.buttons() if b.text() == "Delete").click()
    assert p.class_by_name("kitten") is None and p.count(ImageFilter(class_id=UNLABELLED)) == 12
    data.undo_action.trigger()
    assert p.class_by_name("kitten") is not None and p.count(ImageFilter(class_id=cat)) == 1


def test_split_panel_splits_and_undoes(data, qtbot):
    view = data.workspace.data.gallery.list
    view.selectAll()
    qtbot.keyClick(view, Qt.Key.Key_1)
    splits = data.workspace.data.splits
    splits.train.setValue(50)
    assert not splits.apply.isEnabled() and "not 100" in splits.sum_label.text()
    splits.resize(splits.minimumWidth(), splits.height())  # the panel at its narrowest: the sentence whole
    QApplication.processEvents()
    label = splits.sum_label
    assert label.isVisibleTo(splits) and label.height() >= label.heightForWidth(label.width())
    assert label.width() <= splits.width()
    splits.val.setValue(25)
    splits.test.setValue(25)
    assert splits.apply.isEnabled() and not label.isVisibleTo(splits)
    splits.apply.click()
    p = data.session.project
    assert {s: p.count(ImageFilter(split=s)) for s in ("train", "val", "test")} == {"train": 6, "val": 3, "test": 3}
    heights = splits.bars["train"].opts["height"]
    assert list(heights) == [6, 0, 0]
    data.undo_action.trigger()
    assert p.count(ImageFilter(split="none")) == 12


def test_enter_opens_a_preview(data, qtbot):
    view = data.workspace.data.gallery.list
    _select_row(view, 0)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    dialog = data.workspace.data.preview_dialog
    assert dialog.isVisible() and "12 × 12 pixels" in dialog.info.text() and "No class" in dialog.info.text()
    dialog.close()


def test_the_preview_walks_the_gallery_and_labels_with_the_class_keys(data, qtbot):
    view = data.workspace.data.gallery.list
    model, p = view.model(), data.session.project
    _select_row(view, 0)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    dialog = data.workspace.data.preview_dialog
    first = dialog.image_id
    assert first == model.image_id(0) and dialog.keys.isVisible()
    qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget()))

    def press(key):  # where a user's key goes: the widget with the focus (the Close button), not the dialog itself
        qtbot.keyClick(QApplication.focusWidget(), key)

    press(Qt.Key.Key_Right)  # the next picture, in the dialog and in the gallery
    assert dialog.image_id == model.image_id(1) and view.selected_ids() == [model.image_id(1)]
    assert dialog.windowTitle() == p.image(model.image_id(1)).original_name
    press(Qt.Key.Key_Left)
    assert dialog.image_id == first
    dog = p.class_by_name("dog")
    press(Qt.Key.Key_2)  # labels the picture shown, as the gallery's key does, and moves on
    assert p.image(first).class_id == dog.id and dialog.image_id != first and dialog.isVisible()
    assert "Class: <b>No class</b>" in dialog.info.text() and "Split: No split" in dialog.info.text()
    assert data.session.undo_stack.count() == 1  # one undoable step, as in the gallery
    press(Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_a_large_picture_fits_a_small_screen(data, tmp_path):
    from PIL import Image

    from cnnstudio.ui.data.preview import ROOM_FOR_WORDS, PreviewDialog, picture_side

    assert picture_side(300, 2000) == 512 and picture_side(1600, 2000) == 720
    assert picture_side(1600, 614) == 614 - ROOM_FOR_WORDS  # a 1366 x 768 laptop at 125 %: Close stays in view
    Image.new("RGB", (1200, 1600), (200, 120, 40)).save(tmp_path / "tall.jpg")
    p = data.session.project
    import_paths(p, [tmp_path / "tall.jpg"])
    image_id = max(p.ids())
    dialog = PreviewDialog(data.session, image_id, data)
    screen = dialog.screen().availableGeometry().height()
    assert dialog.image.pixmap().height() == picture_side(1600, screen) and not dialog.keys.isVisible()
    dialog.close()


def test_health_warnings_are_plain_words(data):
    text = data.workspace.data.splits.health.text()
    assert "12 pictures have no class yet" in text and "unlabelled" not in text and "at least two classes" not in text


def test_the_data_page_explains_its_jargon(data):
    from cnnstudio.project.glossary import explain

    page = data.workspace.data
    assert explain("validation") in page.splits.val.toolTip()
    assert explain("validation") in page.splits.ratio_labels["val"].toolTip()
    assert explain("test") in page.splits.test.toolTip() and explain("test") in page.splits.resplit_test.toolTip()
    assert explain("test") in page.check.run.toolTip()


def test_the_split_chart_uses_the_split_colours_not_the_class_colours(data):
    from PySide6.QtGui import QColor

    from cnnstudio.project.split_style import split_color

    bars = data.workspace.data.splits.bars
    class_colors = [QColor(c.color) for c in data.session.project.classes()]
    for split in ("train", "val", "test"):
        color = bars[split].opts["brush"].color()
        assert color == QColor(split_color(split)) and color not in class_colors


def test_digit_classes_are_labelled_by_their_own_key(window, tmp_path, qtbot):
    """The digits sample: 3 gives "3" (not the 3rd class, "2"), 9 gives "9", 0 gives "0", Backspace clears."""
    assert window.create_project(tmp_path / "proj")
    p = window.session.project
    import_paths(p, [write_dataset(tmp_path / "src", ("x",), per_class=6)])
    for name in [str(d) for d in range(10)]:
        window.session.add_class(name)
    window.session.images_changed.emit()
    panel = window.workspace.data.classes
    assert [panel.tree.topLevelItem(i).text(0) for i in range(11)] == [*(str(d) for d in range(10)), "⌫"]
    view = window.workspace.data.gallery.list
    ids = view.model().ids()
    view.setFocus()
    _select_row(view, 0)
    for key in (Qt.Key.Key_3, Qt.Key.Key_9, Qt.Key.Key_0):
        qtbot.keyClick(view, key)
    assert [p.image(i).class_id for i in ids[:3]] == [p.class_by_name(n).id for n in ("3", "9", "0")]
    _select_row(view, 2)
    qtbot.keyClick(view, Qt.Key.Key_Backspace)
    assert p.image(ids[2]).class_id is None


def test_a_label_that_changes_nothing_is_no_undo_step(data, qtbot):
    view = data.workspace.data.gallery.list
    p, stack = data.session.project, data.session.undo_stack
    _select_row(view, 0)
    picture = view.selected_ids()[0]
    qtbot.keyClick(view, Qt.Key.Key_1)
    assert p.image(picture).class_id == p.class_by_name("cat").id and stack.count() == 1
    _select_row(view, view.model().row_of(picture))
    qtbot.keyClick(view, Qt.Key.Key_1)  # the same class again: it moves on, and Undo still undoes the real label
    assert stack.count() == 1 and view.selected_ids() != [picture]
    stack.undo()
    assert p.image(picture).class_id is None


def test_filters_that_match_no_picture_say_so_with_a_way_back(data, qtbot):
    gallery = data.workspace.data.gallery
    gallery.class_filter.setCurrentIndex(gallery.class_filter.findData(data.session.project.class_by_name("dog").id))
    assert gallery.model.rowCount() == 0 and gallery.nothing_shown.isVisibleTo(gallery)
    assert "No picture matches" in gallery.nothing_shown.text()
    gallery.nothing_shown.linkActivated.emit("all")
    assert gallery.model.rowCount() == 12 and not gallery.nothing_shown.isVisibleTo(gallery)
    assert gallery.class_filter.currentIndex() == 0 and gallery.split_filter.currentIndex() == 0


def test_a_number_key_with_nothing_selected_says_what_to_do_and_undo_selects_the_pictures_again(data, qtbot):
    from cnnstudio.ui.data.gallery_view import NO_SELECTION

    panel = data.workspace.data.gallery
    panel.show_class(UNLABELLED)
    view, p = panel.list, data.session.project
    view.setFocus()
    first = view.model().image_id(0)
    _select_row(view, 0)
    qtbot.keyClick(view, Qt.Key.Key_1)  # "cat": it leaves the Unlabelled filter
    view.clearSelection()
    qtbot.keyClick(view, Qt.Key.Key_2)
    assert data.statusBar().currentMessage() == NO_SELECTION
    assert p.count(ImageFilter(class_id=UNLABELLED)) == 11  # nothing happened
    data.undo_action.trigger()  # the picture is back in the filter, and selected
    assert view.selected_ids() == [first]
    qtbot.keyClick(view, Qt.Key.Key_2)  # the right key now labels it
    assert p.image(first).class_id == p.class_by_name("dog").id
    # several pictures: all of them selected again
    view.selectAll()
    qtbot.keyClick(view, Qt.Key.Key_3)
    assert view.model().rowCount() == 0
    data.undo_action.trigger()
    assert len(view.selected_ids()) == 11
    data.undo_action.trigger()  # the first picture's "dog": back in the filter, and the one selected
    assert view.selected_ids() == [first] and p.image(first).class_id is None
