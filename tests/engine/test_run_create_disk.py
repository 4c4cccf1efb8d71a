"""A new run on a disk that says no (read-only, full, the project folder gone): lifecycle.create_run, what the Train
page's Start and `cnnstudio train` call, says it in the project's one DiskError sentence, never "[Errno 30]" or
"unable to open database file", and leaves no run folder and no row behind. Real tmpfs disks and real projects."""

from __future__ import annotations

import shutil

import pytest

from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.project import Project, import_paths, run_records
from cnnstudio.project.disk import DiskError
from tests.disk_helpers import fill_disk, remount, small_disk
from tests.engine.test_data import tiny_spec, write_pattern_images
from tests.engine.test_runs import settings


def _project(folder, src_root) -> Project:
    src = write_pattern_images(src_root / "src", per_class=10)
    p = Project.create(folder / "MyProject")
    import_paths(p, [src], labels_from_folders=True)
    p.assign_splits((60, 20, 20), seed=0)
    return p


def test_a_read_only_project_says_it_cannot_train(tmp_path):
    with small_disk(tmp_path / "disk", "8m") as disk:
        _project(disk, tmp_path).close()
        remount(disk, read_only=True)
        with Project.open(disk / "MyProject") as p:
            with pytest.raises(DiskError) as e:
                runs.create_run(p, settings(epochs=1), tiny_spec())
            assert str(e.value).endswith("MyProject is on a read-only disk, so CNN Studio cannot train: copy it "
                                         "somewhere you can write")  # the words of project/disk.py
            assert run_records.list_runs(p) == []


def test_a_full_disk_says_so_and_leaves_no_run_behind(tmp_path):
    with small_disk(tmp_path / "disk", "8m") as disk:
        p = _project(disk, tmp_path)
        try:
            filler = fill_disk(disk)
            with pytest.raises(DiskError) as e:
                runs.create_run(p, settings(epochs=1), tiny_spec())
            assert "the disk holding MyProject is full (" in str(e.value)
            assert str(e.value).endswith(": free some space, then train again")
            assert "Errno" not in str(e.value)
            assert not (p.root / "runs").exists() or not any((p.root / "runs").iterdir())
            filler.unlink()
            assert run_records.list_runs(p) == []
            run_id = runs.create_run(p, settings(epochs=1), tiny_spec())  # room again: it works
            assert run_records.get_run(p, run_id).status == "created"
        finally:
            p.close()


def test_a_project_folder_gone_says_so(tmp_path):
    p = _project(tmp_path, tmp_path)
    try:
        shutil.rmtree(p.root)
        with pytest.raises(DiskError) as e:
            runs.create_run(p, settings(epochs=1), tiny_spec())
        assert "MyProject" in str(e.value) and "gone" in str(e.value) or "no longer there" in str(e.value)
        assert "unable to open" not in str(e.value) and "Errno" not in str(e.value)
    finally:
        p.close()
