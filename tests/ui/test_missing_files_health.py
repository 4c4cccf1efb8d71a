"""The Data page's health says that picture files were deleted by hand from the project folder, and its one button moves
those pictures to the trash as one step Ctrl+Z undoes (QA together #8). Real project folder, real files deleted, real
Qt."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from cnnstudio.project import Project, import_paths
from tests.disk_helpers import write_noise_images

TWO = ("2 pictures' files are missing from the project folder (deleted outside CNN Studio?); training would use them, "
       "so training cannot start: move them to the trash, or put the files back.")


def test_the_health_panel_says_the_missing_files_and_trashes_them_in_one_undoable_click(window, tmp_path, qtbot):
    with Project.create(tmp_path / "proj") as p:
        import_paths(p, [write_noise_images(tmp_path / "src", 5, 8)], labels_from_folders=True)
        gone = [p.ids()[2], p.ids()[6]]
        for i in gone:
            os.remove(p.image_path(i))
    assert window.open_project(tmp_path / "proj")
    panel = window.workspace.data.splits
    assert TWO in panel.health.text()
    assert panel.trash_missing.isVisibleTo(panel) and panel.trash_missing.isEnabled()
    assert panel.trash_missing.text() == "Move the 2 pictures to the trash"
    project = window.session.project
    qtbot.mouseClick(panel.trash_missing, Qt.MouseButton.LeftButton)
    assert project.count() == 8 and project.in_trash(gone) == set(gone)
    assert TWO not in panel.health.text() and not panel.trash_missing.isVisibleTo(panel)
    assert window.statusBar().currentMessage() == ("Moved 2 pictures whose files are missing to the project's trash. "
                                                   "Ctrl+Z brings them back.")
    window.session.undo_stack.undo()
    assert project.count() == 10 and TWO in panel.health.text() and panel.trash_missing.isVisibleTo(panel)



def test_files_deleted_while_the_window_was_elsewhere_are_said_when_it_comes_back(window, tmp_path):
    with Project.create(tmp_path / "proj") as p:
        import_paths(p, [write_noise_images(tmp_path / "src", 5, 8)], labels_from_folders=True)
    assert window.open_project(tmp_path / "proj")
    panel = window.workspace.data.splits
    project = window.session.project
    assert "missing" not in panel.health.text()
    os.remove(project.image_path(project.ids()[0]))  # by a file manager, while the window was not in front
    QApplication.instance().applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
    assert "1 picture's file is missing from the project folder" in panel.health.text()
    assert panel.trash_missing.text() == "Move it to the trash"
