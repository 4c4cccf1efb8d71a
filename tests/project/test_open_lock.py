"""The open lock follows the folder it was taken for: a folder copied while open carries ``.cnnstudio-open`` along,
and the copy is not "open in another CNN Studio window" (QA); the original still is, moved or not."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from contextlib import contextmanager

from cnnstudio.project import Project
from cnnstudio.project.open_lock import LOCK_NAME, holder, release, take


@contextmanager
def held_elsewhere(root):
    """Another live process of this computer holds ``root``'s lock, taken as the app takes it."""
    other = subprocess.Popen([sys.executable, "-c", "import sys; from cnnstudio.project import open_lock; "
                              f"print(open_lock.take({str(root)!r}), flush=True); sys.stdin.read()"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "True"
        yield other
    finally:
        other.stdin.close()
        other.wait(30)


def test_a_folder_copied_while_open_is_not_open_elsewhere(tmp_path):
    Project.create(tmp_path / "proj").close()
    with held_elsewhere(tmp_path / "proj") as other:
        shutil.copytree(tmp_path / "proj", tmp_path / "copy")  # the lock file comes along
        assert (tmp_path / "copy" / LOCK_NAME).read_bytes() == (tmp_path / "proj" / LOCK_NAME).read_bytes()
        assert holder(tmp_path / "proj").pid == other.pid  # the original: still a second window's to be told
        assert holder(tmp_path / "copy") is None  # the copy: nobody has it open
        # this window takes the copy's lock, replacing the one copied along, and leaves the original's alone
        assert take(tmp_path / "copy")
        lock = json.loads((tmp_path / "copy" / LOCK_NAME).read_text(encoding="utf-8"))
        assert lock["pid"] == os.getpid() and lock["folder"] == os.path.realpath(tmp_path / "copy")
        assert holder(tmp_path / "proj").pid == other.pid
        release(tmp_path / "copy")
        assert not (tmp_path / "copy" / LOCK_NAME).exists()

        # the original moved or reached through a link while open: the same folder, still open elsewhere
        os.rename(tmp_path / "proj", tmp_path / "renamed")
        assert holder(tmp_path / "renamed").pid == other.pid
        (tmp_path / "link").symlink_to(tmp_path / "renamed")
        assert holder(tmp_path / "link").pid == other.pid

        # a lock an older app wrote (pid, host, since: no folder) is taken at its word while its process lives
        old = {k: v for k, v in json.loads((tmp_path / "renamed" / LOCK_NAME).read_text(encoding="utf-8")).items()
               if k in ("pid", "host", "since")}
        (tmp_path / "copy" / LOCK_NAME).write_text(json.dumps(old), encoding="utf-8")
        assert holder(tmp_path / "copy").pid == other.pid
    assert holder(tmp_path / "copy") is None and holder(tmp_path / "renamed") is None  # its process has ended


def test_a_lock_from_another_computer_is_taken_at_its_word(tmp_path):
    """A lock written on another computer holds whatever its folder and inode say: a network share shows the same
    folder with other inode numbers and paths on each computer (review: ignoring it there would let two computers
    write one database over the share and damage it)."""
    root = tmp_path / "proj"
    Project.create(root).close()
    st = os.stat(root)
    lock = {"pid": 4242, "host": socket.gethostname() + "-elsewhere", "since": 0,
            "folder": "/Volumes/share/proj", "device": st.st_dev + 1, "inode": st.st_ino}
    (root / LOCK_NAME).write_text(json.dumps(lock), encoding="utf-8")
    assert holder(root).pid == 4242  # the same folder, mounted elsewhere there
    (root / LOCK_NAME).write_text(json.dumps({**lock, "folder": os.path.realpath(root), "inode": st.st_ino + 1}),
                                  encoding="utf-8")
    assert holder(root).pid == 4242  # another inode there: still the other computer's word
