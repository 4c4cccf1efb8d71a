"""The picture preview of a project open for viewing only: Delete says why the picture cannot go to the trash, in the
words the gallery's own Delete uses, and the picture stays shown; nothing is tried that would then fail."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt

from cnnstudio.project import ImageFilter, Project, import_paths
from cnnstudio.ui.data.writing_controls import TRASH, refused
from tests.disk_helpers import write_noise_images


def test_delete_in_a_read_only_projects_preview_says_why_and_keeps_the_picture(window, qtbot, reporter, tmp_path):
    with Project.create(tmp_path / "proj") as p:
        import_paths(p, [write_noise_images(tmp_path / "src", 2, 8)], labels_from_folders=True)
    window._show_project(Project.open(tmp_path / "proj", read_only=True))  # as the window opens it for viewing
    p = window.session.project
    assert p.read_only
    page = window.workspace.data
    view = page.gallery.list
    view.selectionModel().setCurrentIndex(view.model().index(0), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    shown = view.model().image_id(0)
    page.preview(shown)
    dialog = page.preview_dialog
    window.statusBar().clearMessage()
    qtbot.keyClick(dialog, Qt.Key.Key_Delete)
    why = refused(p, TRASH)
    assert "opened read-only" in why and "cannot move pictures to the trash" in why
    assert window.statusBar().currentMessage() == why
    assert dialog.isVisible() and dialog.image_id == shown
    assert p.count(ImageFilter(trashed=True)) == 0 and window.session.undo_stack.count() == 0
    assert reporter.problems == [] and reporter.dialog is None  # no failed write said as a problem
    dialog.close()
    window.close_project()
