"""The GUI on a disk that says no: a message, not the crash dialog, and the app stays usable."""

from __future__ import annotations

import errno
import sys

import pytest
from PySide6.QtCore import QTimer

from cnnstudio.project import Project, import_paths
from cnnstudio.ui.errors import problem_words
from tests.disk_helpers import remount, small_disk, write_noise_images


def test_disk_problems_are_sentences_and_bugs_are_not(tmp_path):
    full = OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "MyProject" / "project.db"))
    (tmp_path / "MyProject").mkdir()
    assert problem_words(full).startswith("the disk holding MyProject is full (")
    assert problem_words(ValueError("x")) == ""


def test_read_only_project_opens_for_viewing_and_a_change_says_why(window, qtbot, reporter, tmp_path):
    src = write_noise_images(tmp_path / "src", 2, 16)
    with small_disk(tmp_path / "disk", "3m") as disk:
        with Project.create(disk / "MyProject") as p:
            import_paths(p, [src], labels_from_folders=True)
        remount(disk, read_only=True)
        try:
            assert window.open_project(disk / "MyProject")
            assert "(read-only)" in window.windowTitle()
            session = window.session
            first = session.project.ids()[0]
            with qtbot.waitSignal(reporter.message_shown, timeout=5000) as shown:
                QTimer.singleShot(0, lambda: session.label([first], None))  # a slot, as a click would run it
            text = shown.args[0].text()
            assert "MyProject is on a read-only disk" in text and "copy it somewhere you can write" in text
            assert reporter.dialog is None  # not the crash dialog
            assert session.undo_stack.count() == 0 and session.project.count() == 4
            # a second refusal while the message is open does not stack up windows
            QTimer.singleShot(0, lambda: session.add_class("c"))
            qtbot.waitUntil(lambda: len(reporter.problems) == 2, timeout=5000)
            assert "read-only disk" in reporter.problems[1] and reporter.message_box is shown.args[0]
            assert window.isVisible() and window.session is session  # still usable
        finally:
            window.close_project()


def test_a_second_window_is_told_the_project_is_open_and_can_look_read_only(window, qtbot, tmp_path):
    import subprocess

    from PySide6.QtWidgets import QApplication, QMessageBox

    from cnnstudio.project.open_lock import LOCK_NAME, holder

    Project.create(tmp_path / "MyProject").close()
    other = subprocess.Popen([sys.executable, "-c", "import sys; from cnnstudio.project import open_lock; "
                              f"open_lock.take({str(tmp_path / 'MyProject')!r}); print('ok', flush=True); "
                              "sys.stdin.read()"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "ok"  # another app has it open
        seen = []

        def answer():
            box = QApplication.activeModalWidget()
            if not isinstance(box, QMessageBox):
                QTimer.singleShot(10, answer)
                return
            seen.append(box.text())
            next(b for b in box.buttons() if b.text() == "Open read-only").click()

        QTimer.singleShot(0, answer)
        assert window.open_project(tmp_path / "MyProject")
        assert "MyProject is open in another CNN Studio window (process" in seen[0]
        assert window.session.project.read_only and "(read-only)" in window.windowTitle()
        with pytest.raises(Exception, match="opened read-only in this window"):
            window.session.add_class("c")
        window.close_project()
        assert holder(tmp_path / "MyProject").pid == other.pid  # the other window's lock is left alone
    finally:
        other.stdin.close()
        other.wait(30)
    # the other app is gone: its lock is stale, the project opens without a question, and this window takes it
    assert holder(tmp_path / "MyProject") is None
    assert window.open_project(tmp_path / "MyProject") and not window.session.project.read_only
    assert (tmp_path / "MyProject" / LOCK_NAME).is_file()
    window.close_project()
    assert not (tmp_path / "MyProject" / LOCK_NAME).exists()


def test_gallery_shows_pictures_when_the_thumbnail_cache_cannot_be_written(window, qtbot, tmp_path):
    import shutil

    src = write_noise_images(tmp_path / "src", 3, 16)
    with small_disk(tmp_path / "disk", "3m") as disk:
        with Project.create(disk / "MyProject") as p:
            import_paths(p, [src], labels_from_folders=True)
        shutil.rmtree(disk / "MyProject" / "cache" / "thumbs")
        remount(disk, read_only=True)
        try:
            assert window.open_project(disk / "MyProject")
            model = window.workspace.data.gallery.model
            with qtbot.waitSignal(model.loader.notice, timeout=10000) as told:
                for row in range(model.rowCount()):
                    model.thumbnail(row)
            assert told.args[0] == ("the folder MyProject is on a read-only disk, so CNN Studio cannot keep thumbnails: copy it "
                                    "somewhere you can write — pictures are shown anyway, a little slower")
            qtbot.waitUntil(lambda: all(model.thumbnail(r) is not None for r in range(model.rowCount())),
                            timeout=10000)
            assert "shown anyway" in window.statusBar().currentMessage()
        finally:
            window.close_project()


def test_settings_that_cannot_be_saved_are_said_once_and_the_project_opens(window, tmp_path, monkeypatch):
    Project.create(tmp_path / "MyProject").close()
    with small_disk(tmp_path / "config", "1m", read_only=True) as config:
        monkeypatch.setenv("CNNSTUDIO_SETTINGS", str(config / "settings.ini"))
        assert window.open_project(tmp_path / "MyProject")
        assert window.statusBar().currentMessage() == (
            "The folder config is on a read-only disk, so CNN Studio cannot remember settings: copy it somewhere you can "
            "write "
            "— recent projects and the window's size are not remembered until then")
        window.close_project()


def test_a_folder_name_keeps_its_case_when_a_window_starts_the_sentence(tmp_path):
    from cnnstudio.ui.sentence import sentence

    with small_disk(tmp_path / "ro", "1m", read_only=True) as ro:
        with pytest.raises(OSError) as refused:
            (ro / "project.db").write_bytes(b"x")  # the disk itself says no
        said = sentence(problem_words(refused.value))
    assert said.startswith("The folder ro is on a read-only disk, so CNN Studio cannot save this change")
