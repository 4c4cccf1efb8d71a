"""A project whose project.db lost a table (dropped by hand) opens no window of its own: the window says the store's
one sentence — damaged, and the copy kept beside it — and stays on the welcome page, where it was."""

from __future__ import annotations

import sqlite3

from cnnstudio.project import Project, import_paths
from tests.disk_helpers import write_noise_images


def test_a_project_without_its_classes_table_is_one_sentence_in_the_window(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    with Project.create(tmp_path / "proj") as p:
        import_paths(p, [write_noise_images(tmp_path / "src", 1, 8)], labels_from_folders=True)
    con = sqlite3.connect(tmp_path / "proj" / "project.db")
    con.execute("DROP TABLE classes")
    con.close()
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append((title, text)))
    assert not window.open_project(tmp_path / "proj")
    assert window.stack.currentWidget() is window.welcome and window.session is None
    ((title, text),) = shown
    assert title == "Cannot open project"
    assert text.startswith(f"{tmp_path / 'proj' / 'project.db'} is damaged or not a CNN Studio project: it has no "
                           "table “classes”: CNN Studio kept a copy of it from ")
    assert text.endswith(" are intact.") and "no such table" not in text
