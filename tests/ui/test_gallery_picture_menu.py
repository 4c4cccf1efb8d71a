"""The gallery's right-click menu does what its keys do (ui/data/picture_menu.py): "Label as ▸" each class with its
number key beside it and "No class", and "Move to trash" (Delete), each one undoable step; off with nothing
selected. Real project, real SQLite, real Qt."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel

from cnnstudio.project import ImageFilter, import_paths
from cnnstudio.ui.data.picture_menu import class_entry
from tests.conftest import write_dataset


def _select(gallery, rows):
    sel = gallery.list.selectionModel()
    sel.clearSelection()
    for r in rows:
        sel.select(gallery.model.index(r), QItemSelectionModel.SelectionFlag.Select)


def test_the_menu_labels_and_trashes_the_selected_pictures_as_the_keys_do(window, qtbot, tmp_path):
    assert window.create_project(tmp_path / "p")
    s = window.session
    p = s.project
    import_paths(p, [write_dataset(tmp_path / "src", ("cat", "dog"), per_class=3)], labels_from_folders=True)
    s.images_changed.emit()
    s.classes_changed.emit()
    s.undo_stack.clear()
    gallery = window.workspace.data.gallery
    menu = gallery.picture_menu
    assert all(a in gallery.list.actions() for a in menu.actions)  # the right-click menu (ActionsContextMenu)
    assert not menu.label_action.isEnabled() and not menu.trash_action.isEnabled()  # nothing selected
    _select(gallery, [0, 1])
    ids = gallery.list.selected_ids()
    assert menu.label_action.isEnabled() and menu.trash_action.isEnabled()
    menu.label_menu.aboutToShow.emit()
    entries = [a.text() for a in menu.label_menu.actions() if not a.isSeparator()]
    assert entries == [class_entry(1, "cat"), class_entry(2, "dog"), "No class\t0"] == ["cat\t1", "dog\t2",
                                                                                          "No class\t0"]
    dog = p.class_by_name("dog").id
    menu.label_menu.actions()[1].trigger()
    assert {r.class_id for r in p.records(ids)} == {dog}
    assert "Labelled 2 pictures as “dog”" in window.statusBar().currentMessage()
    s.undo_stack.undo()
    assert {r.class_id for r in p.records(ids)} != {dog}
    _select(gallery, [0, 1])
    ids = gallery.list.selected_ids()
    menu.trash_action.trigger()
    assert sorted(p.ids(ImageFilter(trashed=True))) == sorted(ids)
    s.undo_stack.undo()
    assert p.count(ImageFilter(trashed=True)) == 0


def test_a_class_name_with_an_ampersand_shows_it():
    assert class_entry(3, "R&B") == "R&&B\t3" and class_entry(None, "late") == "late"


def _menu_opened_by(qtbot, view, key, modifier) -> tuple[list[str], object]:
    """Press ``key`` in the grid; the entries and top-left corner of the menu it opens (closed again), or ([], None)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    seen: list = [[], None]

    def look():
        popup = QApplication.activePopupWidget()
        if popup is not None:
            seen[0] = [a.text() for a in popup.actions() if a.isVisible() and not a.isSeparator()]
            seen[1] = popup.pos()
            popup.close()

    QTimer.singleShot(0, look)  # runs inside the menu's own event loop, or at once when none opened
    qtbot.keyClick(view, key, modifier)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
    QApplication.processEvents()
    return seen[0], seen[1]


def test_shift_f10_opens_the_menu_at_the_current_picture(window, qtbot, tmp_path):
    from PySide6.QtCore import Qt

    assert window.create_project(tmp_path / "p")
    s = window.session
    import_paths(s.project, [write_dataset(tmp_path / "src", ("cat", "dog"), per_class=6)], labels_from_folders=True)
    s.images_changed.emit()
    s.classes_changed.emit()
    gallery = window.workspace.data.gallery
    view = gallery.list
    view.setFocus()
    view.selectionModel().setCurrentIndex(gallery.model.index(4), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    # the page has its width (the scroll area round the pages sizes it after the project opened): tiles side by side
    qtbot.waitUntil(lambda: view.viewport().width() > 2 * view.visualRect(gallery.model.index(0)).width())
    entries, at = _menu_opened_by(qtbot, view, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    assert entries[:3] == ["Label as", "Move to trash\tDelete", "Move to split"]
    tile = view.visualRect(gallery.model.index(4))
    assert at == view.viewport().mapToGlobal(tile.center())  # at the current picture, as the Menu key puts it
    assert _menu_opened_by(qtbot, view, Qt.Key.Key_F10, Qt.KeyboardModifier.NoModifier) == ([], None)  # F10 alone
