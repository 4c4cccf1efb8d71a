"""A project on a disk with 0 bytes free opens for looking (``cnnstudio info``, the window), as one on a read-only
disk does: SQLite's shared-memory file cannot be made there, so the database file is read alone."""

from __future__ import annotations

import pytest

from cnnstudio.project import Project, import_paths
from cnnstudio.project.disk import DiskError
from tests.cli.helpers import run
from tests.disk_helpers import fill_disk, small_disk, write_noise_images


def test_a_full_disk_opens_for_viewing_and_a_change_says_to_free_space(tmp_path, capsys):
    src = write_noise_images(tmp_path / "src", 2, 16)
    with small_disk(tmp_path / "disk", "3m") as disk:
        with Project.create(disk / "G") as p:
            import_paths(p, [src], labels_from_folders=True)
        filler = fill_disk(disk)
        code, out, err = run(capsys, "info", disk / "G")
        assert code == 0 and "4 pictures" in out and err == ""
        with Project.open(disk / "G") as p:
            assert p.read_only and p.count() == 4 and [c.name for c in p.classes()] == ["a", "b"]
            with pytest.raises(DiskError) as refused:
                p.add_class("c")
            assert refused.value.kind == "full"
            assert str(refused.value) == ("the disk holding G is full (0 bytes free), so the project was opened for "
                                          "viewing only and CNN Studio cannot save this change: free some space — "
                                          "the project can be changed the next time it is opened")
            assert "open it again" not in str(refused.value)  # the command line has nothing to open again
            first = p.ids()[0]
        code, _, err = run(capsys, "label", disk / "G", "--class", "a", first)  # the same words from the command line
        assert code == 1 and len(err.strip().splitlines()) == 1, err
        assert "is full (0 bytes free), so the project was opened for viewing only and CNN Studio cannot" in err
        assert "the project can be changed the next time it is opened" in err and "open it again" not in err
        filler.unlink()  # room again: it opens for changes
        with Project.open(disk / "G") as p:
            assert not p.read_only
            p.add_class("c")
            assert p.integrity_check() == "ok" and len(p.classes()) == 3
