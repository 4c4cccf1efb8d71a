"""A project closed uncleanly (its last changes still in project.db-wal) on a disk that became read-only: viewing it
shows every committed change, and writes nothing beside it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cnnstudio.project import Project, import_paths
from cnnstudio.project.records import ImageFilter
from cnnstudio.project.run_records import add_run, get_run
from tests.cli.helpers import run
from tests.disk_helpers import remount, small_disk, write_noise_images

#: changes the app commits, then the process ends without closing the project (killed): they stay in the log
KILLED_AFTER_CHANGES = r"""
import os, sys
from cnnstudio.project import Project
from cnnstudio.project.run_records import add_run, update_run
p = Project.open(sys.argv[1])
p.add_class("c")
p.set_labels(p.ids()[:2], p.class_by_name("c").id)
update_run(p, "20260101-000000-0001", status="failed")
add_run(p, "20260101-000000-0002", "newest", status="finished")
os._exit(0)
"""


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    return {f.name: (f.stat().st_size, f.stat().st_mtime_ns) for f in folder.iterdir()}


@pytest.fixture
def left_behind():
    """Private copies left in the temporary folder: one by an app that was killed, one by an app still running."""
    import shutil
    import tempfile

    from cnnstudio.project.store_disk import VIEW_PREFIX

    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    folders = {"gone": Path(tempfile.mkdtemp(prefix=f"{VIEW_PREFIX}{ended.pid}-")),
               "running": Path(tempfile.mkdtemp(prefix=f"{VIEW_PREFIX}{os.getppid()}-"))}
    for folder in folders.values():
        (folder / "project.db").write_bytes(b"")
    yield folders
    for folder in folders.values():
        shutil.rmtree(folder, ignore_errors=True)


def test_a_read_only_project_shows_the_changes_left_in_its_log(tmp_path, capsys, left_behind):
    src = write_noise_images(tmp_path / "src", 3, 16)
    with small_disk(tmp_path / "disk", "3m") as disk:
        root = disk / "MyProject"
        with Project.create(root) as p:
            import_paths(p, [src], labels_from_folders=True)
            add_run(p, "20260101-000000-0001", "first", status="running")
        subprocess.run([sys.executable, "-c", KILLED_AFTER_CHANGES, str(root)], check=True)
        assert os.path.getsize(root / "project.db-wal") > 0  # the changes wait in the log, not in project.db
        remount(disk, read_only=True)
        before = _files(root)
        with Project.open(root) as p:
            assert p.read_only
            assert [c.name for c in p.classes()] == ["a", "b", "c"]
            assert p.count(ImageFilter(class_id=p.class_by_name("c").id)) == 2
            assert get_run(p, "20260101-000000-0001").status == "failed"  # not "running"
            assert get_run(p, "20260101-000000-0002").name == "newest"
            copy = p._view_copy.db.parent
            assert copy.is_dir() and not copy.is_relative_to(disk)
        assert not copy.exists()  # the private copy is deleted on close
        assert not left_behind["gone"].exists() and left_behind["running"].is_dir()  # a killed app's copy goes
        code, out, _ = run(capsys, "runs", root)  # the command line reads the same
        assert code == 0 and "newest" in out and "running" not in out
        assert _files(root) == before  # nothing written beside the project
        remount(disk, read_only=False)


def test_a_read_only_project_without_changes_in_its_log_reads_the_file_alone(tmp_path):
    src = write_noise_images(tmp_path / "src", 2, 16)
    with small_disk(tmp_path / "disk", "3m") as disk:
        with Project.create(disk / "MyProject") as p:
            import_paths(p, [src], labels_from_folders=True)
        remount(disk, read_only=True)
        with Project.open(disk / "MyProject") as p:
            assert p.read_only and p.count() == 4 and p._view_copy is None
        remount(disk, read_only=False)
