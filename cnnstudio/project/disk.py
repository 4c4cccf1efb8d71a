"""When the machine says no: a full disk, a read-only folder, a folder moved or renamed or its drive removed, in one
sentence, in words for every surface (a window and the command line: no menu, no command).

Every place that writes into a project (import, thumbnails, caches, checkpoints, metrics, bundles,
exports, jobs, settings) turns the :class:`OSError` (or SQLite's own "disk is full" / "readonly") it
meets into :class:`DiskError`, whose message comes from :func:`explain_os_error`: what happened, what
to do, and what was kept. The CLI prints it as its one line (it is a ``ProjectError``); the GUI shows
it as a message, not the crash dialog. Qt-free and torch-free.

:func:`check_free_space` refuses a long write up front when its size is known (an import's total, an
export, a job's unpacked size), with the numbers.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from .errors import ProjectError

FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}
READ_ONLY = {errno.EROFS}
NO_PERMISSION = {errno.EACCES, errno.EPERM}
GONE = {errno.ENODEV, errno.EIO, getattr(errno, "ENXIO", errno.ENODEV), getattr(errno, "ESTALE", errno.ENODEV)}


class DiskError(ProjectError):
    """A write failed because of the disk (full, read-only, gone); the message says what to do.

    ``kind`` is ``"full"``, ``"read-only"``, ``"permission"``, ``"gone"`` or ``"other"``.
    """

    def __init__(self, message: str, kind: str = "other"):
        super().__init__(message)
        self.kind = kind


def human_bytes(n: float) -> str:
    """12 MB, 3.4 GB, 800 KB: a size a person reads at a glance."""
    n = float(max(0, n))
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1000 or unit == "TB":
            if unit == "bytes":
                return f"{int(n)} bytes"
            return f"{n:.0f} {unit}" if n >= 10 else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.0f} TB"  # pragma: no cover


def free_bytes(where: Path) -> int | None:
    """Free space on the disk holding ``where`` (its nearest existing parent), or None if unknown."""
    p = Path(where)
    while not p.exists() and p != p.parent:
        p = p.parent
    try:
        return shutil.disk_usage(p).free
    except OSError:
        return None


def _root_name(where: Path) -> str:
    return Path(where).name or str(where)


def _kind(err: BaseException, where: Path) -> str:
    if isinstance(err, sqlite3.Error):
        text = str(err).lower()
        if "disk is full" in text or "database or disk is full" in text:
            return "full"
        if "readonly" in text or "read-only" in text:
            return "read-only" if _is_read_only_fs(where) else "permission"
        if "disk i/o error" in text or "unable to open" in text:
            exists = Path(where).exists()
            return io_error_kind(exists, free_bytes(where) if exists else None)
        return "other"
    code = getattr(err, "errno", None)
    if code in FULL:
        return "full"
    if code in READ_ONLY:
        return "read-only"
    if code in NO_PERMISSION:
        return "read-only" if _is_read_only_fs(where) else "permission"
    if code in GONE:
        return "gone"
    if code == errno.ENOENT and not Path(where).exists():
        return "gone"
    return "other"


LOW_SPACE = 1_000_000  # bytes: below this, SQLite's "disk I/O error" is the disk being full (its -shm file cannot grow)


def io_error_kind(exists: bool, free: int | None) -> str:
    """What SQLite's "disk I/O error" means: the folder gone; the disk full (it says so even when only reading a
    project: opening one makes its shared-memory file); or something else."""
    if not exists:
        return "gone"
    return "full" if free is not None and free < LOW_SPACE else "other"


def _is_read_only_fs(where: Path) -> bool:
    p = Path(where)
    while not p.exists() and p != p.parent:
        p = p.parent
    try:
        return bool(os.statvfs(p).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


def explain_os_error(err: BaseException, where: Path, doing: str, kept: str = "") -> str:
    """One sentence: what happened to the disk holding ``where`` while ``doing``, and what to do.

    ``doing`` is a verb phrase ("import", "save the checkpoint"); ``kept`` what is safe ("the 256
    pictures imported so far are kept"), added after a dash.
    """
    name = _root_name(where)
    kind = _kind(err, where)
    tail = f" — {kept}" if kept else ""
    if kind == "full":
        free = free_bytes(where)
        free_text = f" ({human_bytes(free)} free)" if free is not None else ""
        return f"the disk holding {name} is full{free_text}: free some space, then {doing} again{tail}"
    if kind == "read-only":
        # "the folder ro", not "ro": a window starts its sentence with a capital, and "Ro" names no folder
        return (f"the folder {name} is on a read-only disk, so CNN Studio cannot {doing}: copy it somewhere you can "
                f"write{tail}")
    if kind == "permission":
        return (f"CNN Studio is not allowed to write in {name}, so it cannot {doing}: check the folder's "
                f"permissions or copy it somewhere you can write{tail}")
    if kind == "gone":  # what is known: the folder is not where it was (or its drive stopped answering), not why
        if Path(where).exists():
            return (f"the drive holding {name} stopped answering (was it removed?): plug it back in, then {doing} "
                    f"again{tail}")
        return (f"the folder {name} is gone — it was moved, renamed or its drive removed: put it back where it was "
                f"(or use it where it is now), then {doing} again{tail}")
    what = getattr(err, "strerror", None) or str(err) or type(err).__name__
    return f"could not {doing} in {name}: {what}{tail}"


def disk_error(err: BaseException, where: Path, doing: str, kept: str = "") -> DiskError:
    """The :class:`DiskError` for ``err`` (raise it ``from err``)."""
    return DiskError(explain_os_error(err, where, doing, kept), _kind(err, where))


def is_disk_problem(err: BaseException) -> bool:
    """An OSError or a SQLite error that is about the disk (not a bug)."""
    if isinstance(err, DiskError):
        return True
    if isinstance(err, OSError):
        return True
    if isinstance(err, sqlite3.OperationalError):
        text = str(err).lower()
        return any(w in text for w in ("disk is full", "readonly", "read-only", "disk i/o error", "unable to open"))
    return False


@contextmanager
def disk_writes(where: Path, doing: str, kept: str | Callable[[], str] = "") -> Iterator[None]:
    """``with disk_writes(project.root, "export the model"):`` — OSErrors inside become one DiskError."""
    try:
        yield
    except DiskError as e:  # said by an inner write ("save this change"): said again for the whole task
        if e.__cause__ is None or not is_disk_problem(e.__cause__):
            raise
        raise disk_error(e.__cause__, where, doing, kept() if callable(kept) else kept) from e.__cause__
    except (OSError, sqlite3.OperationalError) as e:
        if not is_disk_problem(e):
            raise
        raise disk_error(e, where, doing, kept() if callable(kept) else kept) from e


def check_free_space(where: Path, needed: int, doing: str, what: str = "") -> None:
    """Refuse up front when ``needed`` bytes will not fit on the disk holding ``where``."""
    free = free_bytes(where)
    if free is None or needed <= free:
        return
    what = what or doing
    err = DiskError(f"the disk holding {_root_name(where)} has {human_bytes(free)} free, but {what} needs about "
                    f"{human_bytes(needed)}: free {human_bytes(needed - free)} or more, then {doing} again", "full")
    # inside a larger task (an import inside packing a job), disk_writes says it again in that task's words
    raise err from OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def writable(root: Path, *files: Path) -> bool:
    """Can this folder (and these files in it) be written? False on a read-only disk or without permission."""
    return os.access(root, os.W_OK) and all(os.access(f, os.W_OK) for f in files if Path(f).exists())


def read_only_error(root: Path, doing: str) -> DiskError:
    """The :class:`DiskError` for a write refused because ``root`` cannot be written."""
    code = errno.EROFS if _is_read_only_fs(root) else errno.EACCES
    cause = OSError(code, os.strerror(code))
    err = disk_error(cause, root, doing)
    err.__cause__ = cause
    return err


def project_root_of(path: Path) -> Path:
    """The project folder holding ``path`` (a run's checkpoints, a cache file), even when it has vanished:
    the nearest folder with a ``project.db``, else the folder above ``runs/`` or ``cache/``, else ``path``."""
    p = Path(path)
    for parent in (p, *p.parents):
        if (parent / "project.db").is_file():
            return parent
    parts = p.parts
    for marker in ("runs", "cache", "images"):
        if marker in parts:
            i = len(parts) - 1 - parts[::-1].index(marker)
            if i > 0:
                return Path(*parts[:i])
    return p


def remove_quietly(path: Path) -> None:
    """Delete a temp file after a failed write; a second error must not hide the first."""
    try:
        Path(path).unlink(missing_ok=True)
    except OSError:
        pass


__all__ = ["DiskError", "check_free_space", "disk_error", "disk_writes", "explain_os_error", "free_bytes",
           "human_bytes", "is_disk_problem", "project_root_of", "read_only_error", "remove_quietly", "writable"]
