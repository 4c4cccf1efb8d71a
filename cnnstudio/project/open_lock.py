"""Who has a project open: a small lock file in the project folder, so a second window can be told.

Two copies of the app (or the app and the CLI) may work on one project at once: SQLite in WAL mode keeps
every committed change of both (see ``tests/project/test_disk_errors.py``). But two *windows* each with
their own undo history and views are confusing, so the GUI writes ``.cnnstudio-open`` (pid, host, when)
while it has a project open, and a second GUI is offered to open it read-only or anyway. The lock is
advice, not enforcement: the CLI does not take it, and a lock whose process is gone (same host, pid not
running) is stale and ignored.

A folder copied while open carries the lock along (QA: the copy "is open in another CNN Studio window"). So the lock
also records the folder it was taken for (:func:`_identity`: its real path, device and inode), and a lock taken for
another folder is stale too (:func:`_for_this_folder`), replaced without a question when this window takes its own.
The same folder is its device and inode on this computer (moved or renamed while open, it is still the one), and on
another computer (a shared drive, where devices are numbered differently) its inode, or its real path where the disk
numbers no inodes. A lock written before the folder was recorded is taken at its word, as before. Qt-free and
torch-free; the dialog is in ``ui/``.
"""

from __future__ import annotations

import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from .processes import alive

LOCK_NAME = ".cnnstudio-open"


@dataclass(frozen=True)
class Holder:
    """Who holds the lock."""

    pid: int
    host: str
    since: float

    def describe(self) -> str:
        where = "this computer" if self.host == socket.gethostname() else self.host
        when = time.strftime("%H:%M", time.localtime(self.since)) if self.since else "a while"
        return f"another CNN Studio window (process {self.pid} on {where}, since {when})"


def _identity(root: str | os.PathLike) -> dict:
    """What tells ``root`` from a copy of it: its real path, device and inode (OSError where it cannot be read)."""
    real = os.path.realpath(root)
    st = os.stat(real)
    return {"folder": real, "device": st.st_dev, "inode": st.st_ino}


def _for_this_folder(data: dict, root: str | os.PathLike, host: str) -> bool:
    """Whether the lock ``data`` (written on ``host``) was taken for ``root`` itself, not for a folder ``root`` was
    copied from, on this computer (where its device and inode tell). A lock without the folder (an older app's), a
    folder that cannot be read, and a lock from another computer are taken at their word: a network share may show the
    same folder with other inode numbers and paths on each computer, and two computers writing one database over it
    could damage it (a copy taken to another computer keeps its lock until the app there says the holder is gone)."""
    if "folder" not in data:
        return True
    try:
        here = _identity(root)
    except OSError:
        return True
    if host != socket.gethostname():
        return True  # a shared drive shows other inodes and paths on each computer: two writers would damage it
    return (data.get("device"), data.get("inode")) == (here["device"], here["inode"])


def holder(root: str | os.PathLike) -> Holder | None:
    """The live holder of ``root``'s lock other than this process, or None (no lock, stale, a lock copied along with
    the folder, or ours)."""
    path = Path(root) / LOCK_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        h = Holder(int(data["pid"]), str(data["host"]), float(data.get("since", 0)))
        if not _for_this_folder(data, root, h.host):
            return None  # copied along with the folder: whoever holds the original has not opened this one
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # none, or unreadable: nothing to say
    if h.host == socket.gethostname():
        if h.pid == os.getpid() or not alive(h.pid):
            return None
    return h


def take(root: str | os.PathLike) -> bool:
    """Write this process's lock (replacing a stale or overridden one). False where it cannot be written."""
    path = Path(root) / LOCK_NAME
    tmp = path.with_name(f"{LOCK_NAME}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "since": time.time(),
                                   **_identity(root)}), encoding="utf-8")
        os.replace(tmp, path)
        return True
    except OSError:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        return False


def release(root: str | os.PathLike) -> None:
    """Remove the lock if it is this process's (a window that opened anyway leaves the other one's alone)."""
    path = Path(root) / LOCK_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if int(data.get("pid", -1)) == os.getpid() and data.get("host") == socket.gethostname():
            path.unlink(missing_ok=True)
    except (OSError, ValueError, TypeError):
        pass


__all__ = ["Holder", "LOCK_NAME", "holder", "release", "take"]
