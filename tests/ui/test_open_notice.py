"""What the window says once as a project opens: pictures whose class was gone (its row removed by hand) were made
unlabelled, said in the status bar for the whole window, once; a project open for viewing only says why it cannot be
changed. The rule (ui/open_notice.py) is Qt-free; the window shows it. Real project folders, real SQLite."""

from __future__ import annotations

import sqlite3
import time

import pytest

from cnnstudio.project import Project, import_paths
from cnnstudio.ui.open_notice import notice_on_open, viewing_only_words
from cnnstudio.ui.workspace import step_index
from tests.disk_helpers import write_noise_images

LOST = "2 pictures labelled with a class that is no longer in the project were made unlabelled: label them again"


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "proj") as p:
        import_paths(p, [write_noise_images(tmp_path / "src", 2, 8)], labels_from_folders=True)
    con = sqlite3.connect(tmp_path / "proj" / "project.db", isolation_level=None)  # foreign keys off, as in any tool
    con.execute("DELETE FROM classes WHERE name = 'b'")  # its two pictures keep its id
    con.close()
    return tmp_path / "proj"


def test_the_notice_names_the_pictures_made_unlabelled_then_the_settings(project):
    with Project.open(project) as p:
        assert p.unlabelled_on_open == 2
        assert notice_on_open(p) == LOST
        assert notice_on_open(p, "the settings file cannot be written") == (
            f"{LOST}. The settings file cannot be written")
    with Project.open(project) as p:  # said once: the next opening has nothing to say
        assert notice_on_open(p) == "" and notice_on_open(p, "settings") == "Settings"
    with Project.open(project, read_only=True) as p:
        assert notice_on_open(p) == "" and notice_on_open(p, "settings") == "Settings"  # why stays above the steps
        assert viewing_only_words(p).startswith("Open for viewing only — proj was opened read-only in this window")


def test_a_project_opened_from_its_copy_put_back_says_the_copys_time_first(project):
    with Project.open(project) as p:  # its pictures made unlabelled, and (as the window sets it) opened from a copy
        p.put_back_from = time.mktime((2026, 12, 3, 8, 36, 0, 0, 0, -1))
        put_back = "The copy of project.db from 03 Dec 2026 08:36 was put back: the changes made to the project " \
                   "after that time are not in it"
        assert notice_on_open(p) == f"{put_back}. {LOST}"
        assert notice_on_open(p, "settings") == f"{put_back}. {LOST}. Settings"
    with Project.open(project) as p:  # opened again: the copy is not said
        assert p.put_back_from is None and notice_on_open(p) == ""


def test_the_window_says_once_that_pictures_were_made_unlabelled(window, project):
    assert window.open_project(project)
    bar = window.statusBar()
    assert bar.currentMessage() == LOST
    window.workspace.show_step(step_index("train"))
    assert bar.currentMessage() == LOST  # about the whole window: it stays on another step
    assert "2 with no class" in window.status_label.text()
    window.close_project()
    bar.clearMessage()
    assert window.open_project(project)  # opened again: nothing to say
    assert bar.currentMessage() == ""
    window.close_project()
