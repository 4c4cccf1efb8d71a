"""A project whose project.db is damaged (a table dropped by hand, a damaged page) opens no window of its own: the
window says the store's one sentence — damaged, and the copy kept beside it — with a button that puts that copy back
and opens the project; pressed, the project opens with its pictures and says once that the changes made after the
copy's time are not in it. Without it, the window stays on the welcome page,
where it was. A copy that cannot be put back is one sentence, and nothing is lost."""

from __future__ import annotations

import sqlite3
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from cnnstudio.project import Project, import_paths
from cnnstudio.project.db_backup import BACKUP_NAME, DAMAGED_NAME
from tests.disk_helpers import write_noise_images


def _project(tmp_path):
    with Project.create(tmp_path / "proj") as p:
        import_paths(p, [write_noise_images(tmp_path / "src", 2, 8)], labels_from_folders=True)
    assert (tmp_path / "proj" / BACKUP_NAME).is_file()  # the copy, written as it closed
    return tmp_path / "proj"


def _answer(seen, press):
    """Once the question is up: note its words and buttons, and press the one whose words start with ``press``."""
    def look():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            return QTimer.singleShot(10, look)
        seen.append((box.windowTitle(), box.text(), [b.text() for b in box.buttons()]))
        next(b for b in box.buttons() if b.text().startswith(press)).click()
    QTimer.singleShot(0, look)


def _put_back_words(root) -> str:
    stamp = time.strftime("%d %b %Y %H:%M", time.localtime((root / BACKUP_NAME).stat().st_mtime))
    return f"Put back the copy from {stamp}"


def test_a_project_without_its_classes_table_is_one_sentence_in_the_window(window, tmp_path):
    root = _project(tmp_path)
    con = sqlite3.connect(root / "project.db")
    con.execute("DROP TABLE classes")
    con.close()
    seen = []
    _answer(seen, "Cancel")
    assert not window.open_project(root)
    assert window.stack.currentWidget() is window.welcome and window.session is None
    ((title, text, buttons),) = seen
    assert title == "Cannot open project" and _put_back_words(root) in buttons
    assert text.startswith(f"{root / 'project.db'} is damaged or not a CNN Studio project: it has no "
                           "table “classes”: CNN Studio kept a copy of it from ")
    assert text.endswith(" are intact.") and "no such table" not in text
    assert not (root / DAMAGED_NAME).exists()  # cancelled: nothing changed


def test_a_damaged_page_is_put_back_from_the_copy_and_the_project_opens_with_its_pictures(window, tmp_path, reporter):
    root = _project(tmp_path)
    db = root / "project.db"
    good = db.read_bytes()
    db.write_bytes(good[:4096] + bytes(range(256)) * ((len(good) - 4096) // 256))  # the rows cannot be read
    damaged = db.read_bytes()
    stamp = _put_back_words(root).removeprefix("Put back the copy from ")  # the copy's time, before it is put back
    seen = []
    _answer(seen, "Put back the copy from ")
    assert window.open_project(root)
    ((title, text, buttons),) = seen
    assert text.startswith(f"{db} is damaged: it cannot be read as a project database: CNN Studio kept a copy")
    assert "malformed" not in text and f"Put back the copy from {stamp}" in buttons
    said = (f"The copy of project.db from {stamp} was put back: the changes made to the project after that time "
            "are not in it")  # once, about the whole window
    bar = window.statusBar()
    assert bar.currentMessage() == said
    window.workspace.show_step_key("train")
    assert bar.currentMessage() == said  # it stays on another step
    assert window.session is not None and window.stack.currentWidget() is window.workspace
    assert window.session.project.count() == 4 and window.workspace.data.gallery.list.model().rowCount() == 4
    assert (root / DAMAGED_NAME).read_bytes() == damaged  # kept aside, not deleted
    # the failed opening let go of the damaged file before it was set aside: one file, no write-ahead log of a
    # connection still open on it (which, closed later, could touch the names the copy put back now has)
    assert sorted(f.name for f in root.iterdir() if f.name.startswith(DAMAGED_NAME)) == [DAMAGED_NAME]
    assert reporter.problems == [] and reporter.dialog is None  # no crash dialog for a damaged database
    window.close_project()


def test_a_copy_that_cannot_be_put_back_is_one_sentence_and_nothing_is_lost(window, tmp_path, monkeypatch):
    root = _project(tmp_path)
    (root / "project.db").write_bytes(b"")
    (root / ".project.db.restoring").mkdir()  # where the copy is written first: the disk refuses it
    (root / ".project.db.restoring" / "x").write_text("x")
    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: said.append((title, text)))
    seen = []
    _answer(seen, "Put back the copy from ")
    assert not window.open_project(root)
    assert seen and window.session is None and window.stack.currentWidget() is window.welcome
    ((title, text),) = said
    assert title == "Cannot open project" and text.startswith("The copy could not be put back (")
    assert text.endswith(f"nothing was lost: {BACKUP_NAME} is still in {root} and no file was deleted.")
    assert (root / BACKUP_NAME).is_file() and (root / DAMAGED_NAME).read_bytes() == b""


def test_without_a_copy_the_sentence_alone_is_said(window, tmp_path, monkeypatch):
    root = _project(tmp_path)
    (root / BACKUP_NAME).unlink()
    (root / "project.db").write_bytes(b"")
    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: said.append((title, text)))
    assert not window.open_project(root)
    ((title, text),) = said
    assert text == (f"{root / 'project.db'} is empty: put project.db back from a backup — the pictures in "
                    f"{root / 'images'} are intact.")
