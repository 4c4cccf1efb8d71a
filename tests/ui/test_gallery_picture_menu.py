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
