"""A project open for viewing only says why as long as it is open (QA: the status message went after a few seconds,
then every button was off with no reason in sight, and Ctrl+I did nothing): a line above the steps, and the keys of
the window's actions that are off say why. A real read-only tmpfs, real SQLite, real Qt."""

from __future__ import annotations

from PySide6.QtCore import Qt

from cnnstudio.project import Project, import_paths
from cnnstudio.ui.workspace import step_index
from tests.disk_helpers import remount, small_disk, write_noise_images

WHY = "The folder Pets is on a read-only disk, so CNN Studio cannot"


def test_a_read_only_project_keeps_saying_why_and_its_keys_say_it_too(window, qtbot, reporter, tmp_path):
    src = write_noise_images(tmp_path / "src", 2, 16)
    with small_disk(tmp_path / "disk", "3m") as disk:
        with Project.create(disk / "Pets") as p:
            import_paths(p, [src], labels_from_folders=True)
        remount(disk, read_only=True)
        banner, bar = window.view_only.banner, window.statusBar()
        try:
            assert window.open_project(disk / "Pets") and window.session.project.read_only
            assert banner.isVisible() and banner.text() == ("Open for viewing only — the folder Pets is on a "
                                                            "read-only disk, so CNN Studio cannot save changes: copy "
                                                            "it somewhere you can write.")
            bar.clearMessage()  # the status bar's messages go; the line stays, on every step
            window.workspace.show_step(step_index("train"))
            assert banner.isVisible()
            for action, keys in ((window.import_files_action, "Ctrl+I"), (window.import_folder_action, "Ctrl+Shift+I"),
                                 (window.split_action, "Ctrl+Shift+D"), (window.add_class_action, "Ctrl+Shift+N")):
                assert not action.isEnabled() and WHY in action.toolTip()
                bar.clearMessage()
                mods, _, key = keys.rpartition("+")
                modifiers = Qt.KeyboardModifier.ControlModifier | (
                    Qt.KeyboardModifier.ShiftModifier if "Shift" in mods else Qt.KeyboardModifier.NoModifier)
                qtbot.keyClick(window, getattr(Qt.Key, f"Key_{key}"), modifiers)
                assert bar.currentMessage() == action.toolTip(), keys  # not silence
            assert reporter.problems == [] and reporter.dialog is None
        finally:
            window.close_project()
            remount(disk, read_only=False)
    assert banner.isHidden() and not any(key.isEnabled() for key, _ in window.view_only.keys)


def test_a_project_that_can_be_changed_shows_no_line(window, tmp_path):
    Project.create(tmp_path / "Pets").close()
    assert window.open_project(tmp_path / "Pets")
    assert window.view_only.banner.isHidden() and not any(key.isEnabled() for key, _ in window.view_only.keys)
    window.close_project()
