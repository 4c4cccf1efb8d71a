"""Import onto a full disk, a read-only disk: one sentence, an intact project, the rest imported later."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from cnnstudio.project import Project, import_paths, importer
from cnnstudio.project.disk import DiskError, check_free_space, explain_os_error
from cnnstudio.project.store import IMAGES_DIR, INCOMING_DIR
from tests.cli.helpers import run
from tests.disk_helpers import fill_disk, remount, small_disk, write_noise_images


def _files_without_rows(p: Project) -> list[str]:
    rows = {r[0] for r in p._con().execute("SELECT file FROM images")}
    images = p.root / IMAGES_DIR
    on_disk = {f.relative_to(p.root).as_posix() for f in images.rglob("*") if f.is_file()}
    return sorted(on_disk - rows)


def test_the_sentences(tmp_path):
    where = tmp_path / "MyProject"
    where.mkdir()
    full = explain_os_error(OSError(errno.ENOSPC, "No space left on device"), where, "import",
                            "the 256 pictures imported so far are kept")
    assert full.startswith("the disk holding MyProject is full (") and "free): free some space, then import again" \
        in full and full.endswith("— the 256 pictures imported so far are kept")
    assert "read-only disk" in explain_os_error(OSError(errno.EROFS, "Read-only file system"), where, "import")
    gone = explain_os_error(FileNotFoundError(errno.ENOENT, "No such file"), tmp_path / "Gone", "train")
    assert gone == ("the folder Gone is gone — it was moved, renamed or its drive removed: put it back where it was "
                    "(or use it where it is now), then train again")  # what is known, not a USB stick
    stopped = explain_os_error(OSError(errno.EIO, "Input/output error"), where, "train")
    assert stopped == "the drive holding MyProject stopped answering (was it removed?): plug it back in, then train again"
    with pytest.raises(DiskError, match=r"has .* free, but copying needs about 1000 TB"):
        check_free_space(where, 10**15, "copy", "copying")


def test_import_refused_up_front_when_it_cannot_fit(tmp_path, capsys):
    src = write_noise_images(tmp_path / "src", 3, 400)  # 6 x ~480 KB = ~2.9 MB on a 2 MB disk
    with small_disk(tmp_path / "disk", "2m") as disk:
        Project.create(disk / "MyProject").close()
        code, _, err = run(capsys, "import", disk / "MyProject", src)
        assert code == 1
        line = err.strip().splitlines()
        assert len(line) == 1 and "the disk holding MyProject has" in line[0] and "needs about" in line[0]
        with Project.open(disk / "MyProject") as p:
            assert p.count() == 0 and p.integrity_check() == "ok"


def test_disk_full_mid_import_keeps_what_was_imported_then_finishes(tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "CHUNK_FILES", 10)
    src = write_noise_images(tmp_path / "src", 20, 64)  # 40 x ~12 KB
    with small_disk(tmp_path / "disk", "3m") as disk:
        p = Project.create(disk / "MyProject")
        filler: list[Path] = []

        def progress(done, total, message):  # another program fills the disk while we import
            if done == 25 and not filler:
                filler.append(fill_disk(disk, leave=4096))

        with pytest.raises(DiskError) as caught:
            import_paths(p, [src], labels_from_folders=True, progress=progress, workers=1)
        message = str(caught.value)
        assert caught.value.kind == "full"
        assert message.startswith("the disk holding MyProject is full (")
        assert "free some space, then import again — the 20 pictures imported so far are kept" in message
        assert p.integrity_check() == "ok"
        assert p.count() == 20
        assert _files_without_rows(p) == []
        assert not any((p.root / IMAGES_DIR / INCOMING_DIR).iterdir())
        p.close()
        filler[0].unlink()  # space is back
        with Project.open(disk / "MyProject") as p:
            report = import_paths(p, [src], labels_from_folders=True)
            assert len(report.imported) == 20 and len(report.duplicates) == 20
            assert p.count() == 40 and p.integrity_check() == "ok"
            assert _files_without_rows(p) == []


def test_read_only_project_opens_for_viewing_and_every_write_says_why(tmp_path, capsys):
    src = write_noise_images(tmp_path / "src", 3, 16)
    with small_disk(tmp_path / "disk", "3m") as disk:
        with Project.create(disk / "MyProject") as p:
            import_paths(p, [src], labels_from_folders=True)
        remount(disk, read_only=True)
        with Project.open(disk / "MyProject") as p:
            assert p.read_only and p.count() == 6 and [c.name for c in p.classes()] == ["a", "b"]
            first = p.ids()[0]
            assert p.thumbnail_path(first).is_file() and p.image_path(first).is_file()
            for write in (lambda: p.add_class("c"), lambda: p.set_labels([first], None),
                          lambda: p.assign_splits(), lambda: p.delete_images([first]),
                          lambda: import_paths(p, [src])):
                with pytest.raises(DiskError, match="MyProject is on a read-only disk, so CNN Studio cannot .*: "
                                                    "copy it somewhere you can write"):
                    write()
            assert p.count() == 6
        code, _, err = run(capsys, "label", disk / "MyProject", "--class", "c", first)
        assert code == 1 and len(err.strip().splitlines()) == 1 and "read-only disk" in err
        remount(disk, read_only=False)
        # no -wal or -shm file left by viewing; the spare copy is from the close before the disk became read-only
        assert sorted(os.listdir(disk / "MyProject")) == ["cache", "images", "project.db", "project.db.bak", "runs"]


LABELLER = r"""
import sys
from cnnstudio.project import Project
root, cls, first, step = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
with Project.open(root) as p:
    class_id = p.class_by_name(cls).id if p.class_by_name(cls) else p.add_class(cls)
    print("ready", flush=True)
    sys.stdin.readline()  # both start together
    ids = p.ids()[first::step]
    for i in ids:  # one action = one transaction, as clicks in the app are
        p.set_labels([i], class_id)
    print(len(ids), flush=True)
"""


def test_two_processes_labelling_one_project_keep_every_label(tmp_path):
    import subprocess
    import sys

    src = write_noise_images(tmp_path / "src", 30, 8, classes=("x",))
    with Project.create(tmp_path / "MyProject") as p:
        import_paths(p, [src])
        assert p.count() == 30
    procs = [subprocess.Popen([sys.executable, "-c", LABELLER, str(tmp_path / "MyProject"), cls, str(first), "2"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parents[2])
             for cls, first in (("cat", 0), ("dog", 1))]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready"
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    outs = [proc.communicate(timeout=60)[0].strip() for proc in procs]
    assert outs == ["15", "15"] and all(proc.returncode == 0 for proc in procs)
    with Project.open(tmp_path / "MyProject") as p:
        names = {c.id: c.name for c in p.classes()}
        labels = [names.get(r.class_id) for r in p.records(p.ids())]
        assert labels.count("cat") == 15 and labels.count("dog") == 15 and p.integrity_check() == "ok"


def test_sqlites_disk_io_error_on_a_full_disk_is_called_full():
    """Opening a project on a full disk fails with SQLite's "disk I/O error" (its -shm file cannot be made): that
    is the disk being full, said so, not "not a readable project database" (checked by hand on a 3 MB tmpfs)."""
    from cnnstudio.project.disk import LOW_SPACE, io_error_kind

    assert io_error_kind(True, 0) == "full" and io_error_kind(True, LOW_SPACE - 1) == "full"
    assert io_error_kind(True, 10 * LOW_SPACE) == "other" and io_error_kind(True, None) == "other"
    assert io_error_kind(False, None) == "gone"


def test_a_project_deleted_while_it_imports_stops_it_and_is_not_made_again(tmp_path):
    import shutil

    pictures = write_noise_images(tmp_path / "pics", 100, 16)
    p = Project.create(tmp_path / "proj")
    root = p.root
    seen = []

    def progress(done, total, _message):  # the user deletes the project folder once some pictures are in
        seen.append(done)
        if done == 100:
            shutil.rmtree(root)

    with pytest.raises(DiskError) as e:
        import_paths(p, [pictures], progress=progress, workers=1)
    p.close()
    assert e.value.kind == "gone" and f"the project folder {root} is gone (moved, renamed" in str(e.value)
    assert "kept" not in str(e.value)  # nothing is kept: the project is gone
    assert not root.exists()  # no half project made again under the user's rm -rf
