"""A new project is refused inside another project's own folders (images/, runs/, cache/)."""

from __future__ import annotations

import pytest

from cnnstudio.project import Project
from cnnstudio.project.errors import ProjectExistsError
from cnnstudio.project.places import check_new_project_place


@pytest.mark.parametrize("inside", ["runs/sub", "images/sub", "cache/thumbs/deep/sub", "runs", "tune/x"])
def test_a_project_inside_another_projects_own_folders_is_refused(tmp_path, inside):
    Project.create(tmp_path / "p1").close()
    with pytest.raises(ProjectExistsError) as e:
        check_new_project_place(tmp_path / "p1" / inside)
    with pytest.raises(ProjectExistsError):  # what `cnnstudio new` and File > New Project call
        Project.create(tmp_path / "p1" / inside)
    assert not (tmp_path / "p1" / inside / "project.db").exists()
    folder = inside.split("/")[0]
    assert str(e.value) == (f"{tmp_path / 'p1' / inside} is inside the {folder} folder of the project "
                            f"{tmp_path / 'p1'}, where CNN Studio keeps that project's own files: choose a folder "
                            "outside it")


def test_other_places_are_fine(tmp_path):
    Project.create(tmp_path / "p1").close()
    for place in ("p2", "p1-copy/runs/sub", "elsewhere/images/sub"):
        check_new_project_place(tmp_path / place)  # beside a project, or in folders named alike elsewhere
    check_new_project_place(tmp_path / "p1" / "sub")  # not one of its own folders


def test_a_path_that_only_passes_through_a_projects_folder_is_not_inside_it(tmp_path):
    Project.create(tmp_path / "p1").close()
    check_new_project_place(tmp_path / "p1" / "images" / ".." / "new")  # that is p1/new, beside images/
