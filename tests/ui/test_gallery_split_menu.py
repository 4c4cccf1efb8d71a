"""QA: a picture could be put in a split by hand only with `cnnstudio move`. The gallery's right-click menu has
"Move to split ▸ Train / Validation / Test" (ui/data/split_menu.py): one undoable step, said in the status bar, off
(and why) on a project open for viewing only. Real project, real SQLite, real Qt."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt

from cnnstudio.project import Project, import_paths
from cnnstudio.ui.data.split_menu import moved_words
from tests.conftest import write_dataset


def _select(gallery, rows):
    sel = gallery.list.selectionModel()
    sel.clearSelection()
    for r in rows:
        sel.select(gallery.model.index(r), QItemSelectionModel.SelectionFlag.Select)


def test_the_words_say_what_moved():
    assert moved_words(2, 0, "val") == "Moved 2 pictures to the validation split (Ctrl+Z undoes it)."
    assert moved_words(1, 1, "test") == ("Moved 1 picture to the test split; 1 was there already (Ctrl+Z undoes "
                                         "it).")
    assert moved_words(0, 2, "train") == "The 2 pictures are in the training split already."
    assert moved_words(0, 1, "train") == "The picture is in the training split already."


def test_two_selected_pictures_move_to_validation_and_ctrl_z_puts_them_back(window, qtbot, tmp_path):
    assert window.create_project(tmp_path / "p")
    s = window.session
    p = s.project
    import_paths(p, [write_dataset(tmp_path / "src", ("cat", "dog"), per_class=3)], labels_from_folders=True)
    p.set_split(p.ids(), "train")
    s.images_changed.emit()
    s.undo_stack.clear()
    gallery = window.workspace.data.gallery
    menu = gallery.split_menu
    assert not menu.action.isEnabled() and "Select pictures first" in menu.action.toolTip()  # nothing selected
    assert menu.action in gallery.list.actions()  # the right-click menu (ActionsContextMenu) shows it
    assert gallery.list.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    assert [a.text() for a in menu.menu.actions()] == ["Train", "Validation", "Test"]
    _select(gallery, [0, 1])
    ids = gallery.list.selected_ids()
    assert len(ids) == 2 and menu.action.isEnabled()
    menu.actions["val"].trigger()
    assert {r.split for r in p.records(ids)} == {"val"}
    assert {r.split for r in p.records([i for i in p.ids() if i not in ids])} == {"train"}
    assert s.undo_stack.count() == 1 and s.undo_stack.undoText() == "Move 2 pictures to the validation split"
    assert window.statusBar().currentMessage() == "Moved 2 pictures to the validation split (Ctrl+Z undoes it)."
    qtbot.keyClick(gallery.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the window's Undo
    assert {r.split for r in p.records(ids)} == {"train"}
    _select(gallery, [0, 1])
    menu.actions["train"].trigger()  # already there: nothing to undo
    assert s.undo_stack.index() == 0 and "already" in window.statusBar().currentMessage()
    gallery.split_filter.setCurrentIndex(gallery.split_filter.count() - 1)  # the trash: no splits there
    assert not menu.action.isVisible()
    gallery.split_filter.setCurrentIndex(0)
    assert menu.action.isVisible()


def test_a_read_only_project_turns_the_move_off_and_says_why(qtbot, tmp_path):
    from PySide6.QtWidgets import QMainWindow

    from cnnstudio.ui.data.gallery_view import GalleryPanel
    from cnnstudio.ui.session import ProjectSession

    with Project.create(tmp_path / "p") as p:
        import_paths(p, [write_dataset(tmp_path / "src", ("cat", "dog"), per_class=2)], labels_from_folders=True)
    with Project.open(tmp_path / "p", read_only=True) as project:
        session = ProjectSession(project)
        window = QMainWindow()
        gallery = GalleryPanel(session)
        window.setCentralWidget(gallery)
        qtbot.addWidget(window)
        window.show()
        _select(gallery, [0, 1])
        action = gallery.split_menu.action
        said = str(project.write_refused("split the pictures"))
        assert not action.isEnabled() and action.toolTip() == said[:1].upper() + said[1:] + "."
        window.close()
