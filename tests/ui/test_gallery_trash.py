"""The project's trash in the gallery: "Trash (N)" shows it, Restore (Ctrl+R) brings pictures back as one undo
step, "Empty trash…" asks, deletes them for good and drops the undo steps that were only about them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from cnnstudio.project import ImageFilter
from cnnstudio.ui.data.trash_bar import TRASH
from tests.ui.conftest import open_data_page


@pytest.fixture
def data(window, tmp_path):
    return open_data_page(window, tmp_path, ("cat", "dog"), per_class=8)


def _select(view, rows) -> None:
    sel = view.selectionModel()
    sel.clearSelection()
    for r in rows:
        sel.select(view.model().index(r), QItemSelectionModel.SelectionFlag.Select)
    sel.setCurrentIndex(view.model().index(rows[0]), QItemSelectionModel.SelectionFlag.NoUpdate)


def _show_trash(gallery) -> None:
    gallery.split_filter.setCurrentIndex(gallery.split_filter.findData(TRASH))


def _answer(button_text: str | None, asked: list) -> None:
    """Answer the next message box with its button named ``button_text`` (None: Cancel); note what it asked."""
    def press():
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox), box
        asked.append(box.text())
        if button_text is None:
            box.button(QMessageBox.StandardButton.Cancel).click()
        else:
            next(b for b in box.buttons() if b.text() == button_text).click()
    QTimer.singleShot(0, press)


def test_trashed_pictures_are_shown_in_the_trash_where_keys_say_why_they_do_nothing(data, qtbot):
    gallery = data.workspace.data.gallery
    view, p = gallery.list, data.session.project
    ids = view.model().ids()
    view.setFocus()
    _select(view, [0, 1, 2])
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    said = data.statusBar().currentMessage()
    assert said.startswith("Moved 3 pictures to the project's trash. Ctrl+Z brings them back")
    assert "“Trash” in the split filter" in said  # where to find them later
    assert gallery.split_filter.itemText(gallery.split_filter.findData(TRASH)) == "Trash (3)"
    assert gallery.trash.isHidden()
    _show_trash(gallery)
    assert view.model().ids() == ids[:3] and not gallery.trash.isHidden()
    assert gallery.count_label.text() == "3 trashed"  # whole beside the filters at 1,024 px
    assert not gallery.trash.restore_button.isEnabled() and gallery.trash.empty_button.isEnabled()
    _select(view, [0])
    assert gallery.trash.restore_button.isEnabled()
    assert "Ctrl+R" in gallery.trash.restore_button.toolTip()
    qtbot.keyClick(view, Qt.Key.Key_1)  # a labelling key: the picture keeps its class, and the status bar says why
    assert p.image(ids[0]).class_id is None and data.session.undo_stack.undoText() == "Trash 3 pictures"
    assert "keep their class" in data.statusBar().currentMessage()
    data.session.label([ids[0]], p.classes()[0].id)  # nor does any other way of labelling
    assert p.image(ids[0]).class_id is None
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert "in the trash already" in data.statusBar().currentMessage() and p.count(ImageFilter(trashed=True)) == 3
    gallery.class_filter.setCurrentIndex(gallery.class_filter.findText("cat"))
    assert view.model().rowCount() == 0 and not gallery.nothing_shown.isHidden()
    assert "No picture in the trash is of this class" in gallery.nothing_shown.text()
    gallery.show_all()
    assert view.model().rowCount() == 5 and gallery.trash.isHidden()  # 8 pictures, 3 in the trash


def test_restore_brings_pictures_back_as_one_undoable_step(data, qtbot):
    gallery = data.workspace.data.gallery
    view, p = gallery.list, data.session.project
    ids = view.model().ids()
    data.session.delete_images(ids[:4])
    _show_trash(gallery)
    view.setFocus()
    _select(view, [1, 3])
    qtbot.keyClick(view, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert view.model().ids() == [ids[0], ids[2]] and p.count() == 6
    assert data.statusBar().currentMessage().startswith("Brought 2 pictures back from the trash.")
    assert gallery.split_filter.itemText(gallery.split_filter.findData(TRASH)) == "Trash (2)"
    assert data.undo_action.text() == "&Undo Bring 2 pictures back from the trash"
    data.undo_action.trigger()
    assert view.model().ids() == ids[:4] and p.count() == 4
    data.redo_action.trigger()
    assert view.model().ids() == [ids[0], ids[2]]
    _select(view, [0])
    gallery.trash.restore_button.click()  # the button does what the key does
    assert view.model().ids() == [ids[2]] and p.count() == 7


def test_empty_trash_asks_deletes_for_good_and_drops_the_undo_steps_about_those_pictures(data, qtbot):
    gallery = data.workspace.data.gallery
    view, s, p = gallery.list, data.session, data.session.project
    ids = view.model().ids()
    cat = p.classes()[0].id
    s.label(ids[:2], cat)  # a step about two pictures that will be deleted for good
    s.label([ids[5]], cat)  # a step about a picture that stays
    s.delete_images(ids[:3])
    s.restore_images([ids[2]])
    s.delete_images([ids[4]])  # the newest step: only about a picture deleted for good
    files = [p.image_path(i) for i in ids]
    _show_trash(gallery)
    asked: list[str] = []
    _answer(None, asked)
    gallery.trash.empty_button.click()
    assert asked == ["Delete 3 pictures for good? This cannot be undone."]
    assert p.count(ImageFilter(trashed=True)) == 3 and all(f.exists() for f in files)  # Cancel: nothing
    _answer("Delete for good", asked)
    gallery.trash.empty_button.click()
    assert len(asked) == 2 and p.count(ImageFilter(trashed=True)) == 0
    assert [f.exists() for f in files[:6]] == [False, False, True, True, False, True]
    said = data.statusBar().currentMessage()
    assert said.startswith("Deleted 3 pictures for good: ") and said.endswith("of disk space freed.")
    assert view.model().rowCount() == 0 and "The trash is empty" in gallery.nothing_shown.text()
    assert gallery.split_filter.itemText(gallery.split_filter.findData(TRASH)) == "Trash (0)"
    assert not gallery.trash.empty_button.isEnabled()
    # "Trash 1 picture" (ids[4]) is gone; "Trash 3 pictures" is about ids[2] alone now; the label step about the
    # two deleted pictures does nothing now: it goes when Undo reaches it
    stack = s.undo_stack
    assert [stack.command(i).text() for i in range(stack.count())] == [
        "Label 2 pictures as “cat”", "Label 1 picture as “cat”", "Trash 1 picture",
        "Bring 1 picture back from the trash"]
    assert [stack.command(i).isObsolete() for i in range(stack.count())] == [True, False, False, False]
    stack.undo()
    assert p.in_trash([ids[2]]) == {ids[2]}
    stack.undo()  # the trash step now only about ids[2]: it comes back, the deleted ones stay deleted
    assert p.in_trash([ids[2]]) == set() and p.count() == 5
    stack.undo()
    assert p.image(ids[5]).class_id is None
    assert not stack.canUndo()  # the label step about the two deleted pictures was dropped, not a do-nothing Ctrl+Z
    stack.redo()
    stack.redo()
    assert p.in_trash([ids[2]]) == {ids[2]} and p.count() == 4
    stack.redo()
    assert p.in_trash([ids[2]]) == set() and p.count() == 5 and not stack.canRedo()


def test_a_restore_undone_then_emptied_leaves_no_redo_that_does_nothing(data):
    s, p = data.session, data.session.project
    ids = p.ids()
    s.delete_images(ids[:2])
    s.restore_images(ids[:2])
    s.undo_stack.undo()  # back in the trash
    assert s.undo_stack.canRedo()
    emptied = s.empty_trash()
    assert sorted(emptied.ids) == ids[:2] and emptied.freed_bytes > 0
    assert not s.undo_stack.canRedo() and not s.undo_stack.canUndo()
    assert s.empty_trash() == ((), 0, "")  # nothing left: nothing deleted, no file refused


def test_the_trash_buttons_are_in_the_tab_order_and_the_pictures_menu_only_while_the_trash_is_shown(data, qtbot):
    gallery = data.workspace.data.gallery
    view = gallery.list
    data.session.delete_images(view.model().ids()[:2])
    menu = lambda: [a.text() for a in view.actions() if a.isVisible()]  # noqa: E731 - the right-click menu
    # out of the trash: what the keys do (ui/data/picture_menu.py) and the split (ui/data/split_menu.py)
    assert menu() == ["Label as", "Move to trash\tDelete", "Move to split"]
    _show_trash(gallery)
    assert menu() == ["Restore", "Empty trash…"]
    data.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is data)
    gallery.size_slider.setFocus()
    qtbot.keyClick(gallery.size_slider, Qt.Key.Key_Tab)  # the restore button has no selection: disabled, passed over
    assert QApplication.focusWidget() is gallery.trash.empty_button
    qtbot.keyClick(gallery.trash.empty_button, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is view
    gallery.split_filter.setCurrentIndex(0)
    assert menu() == ["Label as", "Move to trash\tDelete", "Move to split"]
    assert not gallery.trash.restore_action.isEnabled()


def test_a_camera_burst_undone_then_emptied_from_the_trash_leaves_no_redo_that_does_nothing(data):
    from cnnstudio.ui.camera.camera_panel import CameraBurstCommand

    s, p = data.session, data.session.project
    ids = p.ids()
    s.label([ids[4]], p.classes()[0].id)
    s.undo_stack.push(CameraBurstCommand(s, ids[:3], "cat"))  # as the camera's import of a burst pushes it
    s.undo_stack.undo()  # the burst's pictures go to the trash; Redo would bring them back
    assert p.in_trash(ids) == set(ids[:3]) and s.undo_stack.canRedo()
    assert s.empty_trash().ids == tuple(ids[:3])
    assert not s.undo_stack.canRedo()  # nothing left to bring back: the step is gone
    assert s.undo_stack.undoText() == "Label 1 picture as “cat”"


def test_a_file_the_disk_will_not_delete_is_named_after_emptying_the_trash(data, qtbot):
    """The pictures leave the project; the file the disk refused (here a folder in its place, real even as root) is
    named in the status bar with why, and is deleted at the next opening (project/store.py's pending files)."""
    gallery = data.workspace.data.gallery
    s, p = data.session, data.session.project
    ids = gallery.list.model().ids()
    s.delete_images(ids[:2])
    stuck = p.image_path(ids[0])
    stuck.unlink()
    (stuck / "inside").mkdir(parents=True)  # unlink of a non-empty folder fails
    _show_trash(gallery)
    _answer("Delete for good", [])
    gallery.trash.empty_button.click()
    assert p.count(ImageFilter(trashed=True)) == 0
    said = data.statusBar().currentMessage()
    assert said.startswith("Deleted 2 pictures for good: ") and "could not be deleted" in said, said
