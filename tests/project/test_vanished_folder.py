"""A project folder deleted, moved or renamed while it is open: every write is refused with one sentence, none
goes into the deleted database or, unseen, into the folder's new place."""

from __future__ import annotations

import shutil

import pytest

from cnnstudio.project import Project, import_paths
from cnnstudio.project.disk import DiskError
from tests.disk_helpers import write_noise_images


def _project(tmp_path):
    src = write_noise_images(tmp_path / "src", 2, 8)
    p = Project.create(tmp_path / "MyProject")
    import_paths(p, [src], labels_from_folders=True)
    return p


def test_a_deleted_project_folder_refuses_every_write_in_one_sentence(tmp_path):
    p = _project(tmp_path)
    try:
        first = p.ids()[0]
        assert p.gone_error() is None
        shutil.rmtree(tmp_path / "MyProject")
        for write in (lambda: p.set_labels([first], None), lambda: p.add_class("c"), lambda: p.delete_images([first]),
                      lambda: p.set_meta("x", "y"), lambda: import_paths(p, [tmp_path / "src"])):
            with pytest.raises(DiskError) as refused:
                write()
            assert refused.value.kind == "gone"
            assert str(refused.value) == (
                f"the project folder {tmp_path / 'MyProject'} is gone (moved, renamed or its drive removed): nothing "
                "more can be saved to it. Put it back, or open it where it is now")
        assert p.count() == 4  # what was open can still be looked at
    finally:
        p.close()


def test_a_renamed_project_folder_gets_no_write_behind_the_users_back(tmp_path):
    p = _project(tmp_path)
    try:
        (tmp_path / "MyProject").rename(tmp_path / "Renamed")
        with pytest.raises(DiskError, match="is gone"):
            p.add_class("c")
        # a copy put back at the old place is another database: still refused, nothing written into either
        shutil.copytree(tmp_path / "Renamed", tmp_path / "MyProject")
        with pytest.raises(DiskError, match="is gone"):
            p.add_class("c")
    finally:
        p.close()
    for name in ("Renamed", "MyProject"):
        with Project.open(tmp_path / name) as q:
            assert [c.name for c in q.classes()] == ["a", "b"]
            q.add_class("c")  # opened where it is now: it saves again
            assert [c.name for c in q.classes()] == ["a", "b", "c"]
