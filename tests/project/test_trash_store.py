"""The project's trash in the store: which pictures are in it, and emptying it says what went and the space freed."""

from __future__ import annotations

import pytest

from cnnstudio.project import ImageFilter, ProjectError, import_paths
from tests.conftest import write_dataset


def test_in_trash_names_only_the_trashed_pictures(project, tmp_path):
    ids = import_paths(project, [write_dataset(tmp_path / "src", ("x",), per_class=4)]).imported
    project.delete_images(ids[1:3])
    assert project.in_trash(ids + [10**30, -5]) == set(ids[1:3])  # unknown ids are simply not in it
    assert project.in_trash([]) == set()


def test_emptying_reports_the_ids_and_the_bytes_of_the_files_and_thumbnails(project, tmp_path):
    ids = import_paths(project, [write_dataset(tmp_path / "src", ("x",), per_class=4, size=(40, 40))]).imported
    project.delete_images(ids[:2])
    thumbs = [project.thumbnail_path(i) for i in ids[:2]]  # made (or made on import) to show the pictures
    files = [project.image_path(i) for i in ids[:2]]
    expected = sum(f.stat().st_size for f in files + thumbs)
    emptied = project.empty_trash_report()
    assert sorted(emptied.ids) == sorted(ids[:2]) and emptied.freed_bytes == expected
    assert not any(f.exists() for f in files + thumbs)
    assert project.count(ImageFilter(trashed=True)) == 0 and project.ids() == ids[2:]
    with pytest.raises(ProjectError):
        project.image(ids[0])
    assert project.empty_trash_report() == ((), 0, "")  # an empty trash: nothing to do
    assert project.empty_trash() == 0
