"""A change the disk refuses (full, the folder gone) never stays on Undo or Redo, and Undo never opens the crash
dialog because a write failed: real tmpfs, real SQLite, real Qt."""

from __future__ import annotations


import pytest
from PySide6.QtCore import QTimer

from cnnstudio.project import Project, import_paths
from cnnstudio.project.disk import DiskError
from cnnstudio.ui.session import ProjectSession
from tests.disk_helpers import fill_disk, small_disk, write_noise_images


def test_a_change_that_fails_on_a_full_disk_is_not_kept_and_undo_waits_for_room(tmp_path, qtbot, reporter):
    src = write_noise_images(tmp_path / "src", 2, 16)
    with small_disk(tmp_path / "disk", "3m") as disk:
        with Project.create(disk / "G") as p:
            import_paths(p, [src], labels_from_folders=True)
        project = Project.open(disk / "G")
        session = ProjectSession(project)
        try:
            ids = project.ids()
            session.label(ids[:1], None)  # saved while there is room: one step
            assert session.undo_stack.count() == 1
            filler = fill_disk(disk)
            with pytest.raises(DiskError) as refused:
                session.add_class("zz")
            assert str(refused.value).startswith("the disk holding G is full (")  # no Qt words in front
            with pytest.raises(DiskError):
                session.label(ids[1:3], None)
            assert session.undo_stack.count() == 1 and session.undo_stack.index() == 1  # no phantom steps
            assert session.undo_stack.undoText() == "Remove the label from 1 picture"

            # Undo of the saved step on the full disk: a message, not the crash dialog; the step stays to undo
            with qtbot.waitSignal(reporter.message_shown, timeout=5000) as shown:
                QTimer.singleShot(0, session.undo_stack.undo)  # as the Edit menu runs it
            text = shown.args[0].text()
            assert text.startswith("The disk holding G is full (") and "Error calling" not in text
            assert reporter.dialog is None and reporter.reports == []
            assert session.undo_stack.index() == 1 and session.undo_stack.canUndo()
            assert project.records(ids[:1])[0].class_id is None  # the change is still there, as Undo still says
            assert session.undo_stack.count() == 1

            filler.unlink()  # room again: the same Undo now works, and Redo after it
            session.undo_stack.undo()
            assert session.undo_stack.index() == 0 and project.records(ids[:1])[0].class_id is not None
            session.add_class("zz")
            assert session.undo_stack.count() == 1 and session.undo_stack.undoText() == "Add class “zz”"

            # a Redo that fails puts the stack back too
            session.undo_stack.undo()
            assert project.class_by_name("zz") is None
            filler = fill_disk(disk)
            QTimer.singleShot(0, session.undo_stack.redo)
            qtbot.waitUntil(lambda: len(reporter.problems) == 2, timeout=5000)
            assert reporter.problems[1].startswith("the disk holding G is full (")
            assert session.undo_stack.index() == 0 and session.undo_stack.canRedo()
            assert project.class_by_name("zz") is None and reporter.dialog is None
            filler.unlink()
            session.undo_stack.redo()
            assert project.class_by_name("zz") is not None and session.undo_stack.index() == 1
        finally:
            project.close()


def test_a_project_folder_deleted_under_the_window_is_said_and_nothing_lands_on_undo(window, qtbot, reporter,
                                                                                      tmp_path, qapp):
    import shutil

    from PySide6.QtCore import Qt

    src = write_noise_images(tmp_path / "src", 2, 16)
    with Project.create(tmp_path / "vanish3") as p:
        import_paths(p, [src], labels_from_folders=True)
    assert window.open_project(tmp_path / "vanish3")
    session = window.session
    ids = session.project.ids()
    shutil.rmtree(tmp_path / "vanish3")
    gone = (f"The project folder {tmp_path / 'vanish3'} is gone (moved, renamed or its drive removed): nothing more "
            "can be saved to it. Put it back, or open it where it is now.")
    with qtbot.waitSignal(reporter.message_shown, timeout=5000) as shown:
        QTimer.singleShot(0, lambda: session.label(ids[:2], None))  # as a click runs it
    assert shown.args[0].text() == gone
    for change in (lambda: session.add_class("zz"), lambda: session.delete_images(ids[:1])):
        QTimer.singleShot(0, change)
    qtbot.waitUntil(lambda: len(reporter.problems) == 3, timeout=5000)
    assert reporter.dialog is None and session.undo_stack.count() == 0
    assert not window.workspace.data.gallery.model.rowCount() == 0  # what was open can still be looked at

    qapp.applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)  # back in the window: said at once
    workspace = window.workspace  # in place of the step's page (workspace.check_folder)
    assert workspace.pages.currentWidget() is workspace.gone and workspace.gone.words.text() == gone
    window.close_project()
    assert window.workspace is None


def test_edit_undo_that_fails_says_why_and_not_undone(window, qtbot, reporter, tmp_path):
    src = write_noise_images(tmp_path / "src", 2, 16)
    with small_disk(tmp_path / "disk", "3m") as disk:
        with Project.create(disk / "G") as p:
            import_paths(p, [src], labels_from_folders=True)
        assert window.open_project(disk / "G")
        try:
            session = window.session
            session.label(session.project.ids()[:1], None)
            filler = fill_disk(disk)
            window.statusBar().clearMessage()
            QTimer.singleShot(0, window.undo_action.trigger)  # Edit > Undo
            qtbot.waitUntil(lambda: len(reporter.problems) == 1, timeout=5000)
            assert not window.statusBar().currentMessage().startswith("Undone")
            assert window.undo_action.text() == "&Undo Remove the label from 1 picture"  # still there to undo
            filler.unlink()
            window.undo_action.trigger()
            assert window.statusBar().currentMessage() == "Undone: Remove the label from 1 picture"
        finally:
            window.close_project()


def test_an_import_into_a_project_folder_that_went_says_so_in_one_sentence(window, qtbot, tmp_path):
    from PySide6.QtWidgets import QApplication, QMessageBox

    src = write_noise_images(tmp_path / "src", 2, 16)
    Project.create(tmp_path / "vanish").close()
    assert window.open_project(tmp_path / "vanish")
    (tmp_path / "vanish").rename(tmp_path / "moved")
    seen = []

    def answer():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, answer)
            return
        seen.append(box.text())
        box.accept()

    QTimer.singleShot(0, answer)
    with qtbot.waitSignal(window.importer.finished, timeout=10000):
        window.importer.start([src], labels_from_folders=True)
    assert seen == [f"The import stopped: the project folder {tmp_path / 'vanish'} is gone (moved, renamed or its "
                    "drive removed): nothing more can be saved to it. Put it back, or open it where it is now."]
    assert not (tmp_path / "vanish").exists()  # not made again
    window.close_project()


def test_a_refused_change_keeps_the_redo_history(tmp_path, qtbot):
    """Review: QUndoStack.push deletes the Redo steps before it drops a failed command, so a change the disk refused
    (the folder moved away for a moment) lost the Redo history though nothing changed."""
    import os

    src = write_noise_images(tmp_path / "src", 3, 16)
    with Project.create(tmp_path / "G") as p:
        import_paths(p, [src], labels_from_folders=True)
    project = Project.open(tmp_path / "G")
    session = ProjectSession(project)
    try:
        ids = project.ids()
        session.label(ids[:1], None)
        session.label(ids[1:2], None)
        session.undo_stack.undo()
        before = (session.undo_stack.count(), session.undo_stack.index(), session.undo_stack.redoText())
        os.rename(tmp_path / "G", tmp_path / "G-moved")  # writes are refused: the folder is gone
        with pytest.raises(DiskError, match="is gone"):
            session.label(ids[2:3], None)
        os.rename(tmp_path / "G-moved", tmp_path / "G")
        assert (session.undo_stack.count(), session.undo_stack.index(), session.undo_stack.redoText()) == before
        session.undo_stack.redo()  # and Redo still does what it says
        assert project.records(ids[1:2])[0].class_id is None
    finally:
        project.close()
