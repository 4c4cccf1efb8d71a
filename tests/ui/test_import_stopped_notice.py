"""The window's open notice says once that an import was killed half-way, how many pictures came in and to import the
same folder again (project/import_marker.py, the words; ui/open_notice.py, where the window says them); a project open
for viewing only cannot clear the marker and says it at each opening. Real project folders, a real SIGKILL, real Qt."""

from __future__ import annotations

import shutil

import pytest

from cnnstudio.project import Project
from cnnstudio.ui.open_notice import notice_on_open
from tests.project.test_import_stopped import killed_import


@pytest.fixture(scope="module")
def killed(tmp_path_factory):
    return killed_import(tmp_path_factory.mktemp("killed"))


@pytest.fixture
def project(killed, tmp_path):
    shutil.copytree(killed[0], tmp_path / "proj")
    return tmp_path / "proj"


def _came_in(root) -> int:
    with Project.open(root, read_only=True) as p:
        return p.count()


def test_the_notice_says_it_and_a_project_open_for_viewing_says_it_each_time(project):
    n = _came_in(project)
    for _ in range(2):  # it cannot be cleared: said at each opening
        with Project.open(project, read_only=True) as p:
            notice = notice_on_open(p, "the settings file cannot be written")
            assert notice.startswith("The import of 120 pictures") and f"and {n} came in: import" in notice
            assert notice.endswith("skipped as duplicates). The settings file cannot be written")
    with Project.open(project) as p:
        assert f"{n} came in" in notice_on_open(p)
    with Project.open(project) as p:
        assert notice_on_open(p) == ""


def test_the_window_says_it_as_the_project_opens(window, project, killed):
    n = _came_in(project)
    assert window.open_project(project)
    message = window.statusBar().currentMessage()
    assert message.startswith(f"The import of 120 pictures from “{killed[1]}” started ")
    assert message.endswith(f"and {n} came in: import “{killed[1]}” again to bring in the rest (the pictures already "
                            "in are skipped as duplicates)")
