"""A run's files on a disk that says no (full, read-only, its folder moved or its drive removed): the run fails with
the sentence of :mod:`cnnstudio.project.disk` and resumes from its last whole checkpoint once there is room again.

- :func:`append_line`: a metrics line is written whole or not at all (a torn last line would hide the ones
  after it from :func:`~cnnstudio.engine.runs.lifecycle.read_metrics`).
- :func:`record_failure`: ``error.txt`` and the database row, each tried; on a full disk the write-ahead log is
  checkpointed once to make room in it. A run that could not even be marked stays "running" with no process,
  which is resumable too.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ...project import run_abandoned, run_records
from ...project.disk import DiskError, disk_error, is_disk_problem
from ...project.run_checkpoint import resume_kept
from ...project.run_records import ERROR
from ...project.store import Project

#: What the run layer catches as "the disk said no" (then :func:`disk_reason` decides).
DISK_ERRORS = (OSError, sqlite3.OperationalError, DiskError)


def disk_reason(e: BaseException, project: Project, folder: Path) -> str | None:
    """The failure reason for ``e`` when it is the disk's doing, else None (a bug: let it through). ``folder``: the
    run's, whose checkpoint says what resuming it does."""
    if isinstance(e, DiskError):
        return str(e)
    if not is_disk_problem(e):
        return None
    return str(disk_error(e, project.root, "train", resume_kept(folder)))


def append_line(path: Path, line: str) -> None:
    """Append one line, whole or not at all: a full disk cuts the file back to where it was."""
    with open(path, "ab") as f:
        size = f.tell()
        try:
            f.write((line + "\n").encode("utf-8"))
            f.flush()
        except OSError:
            try:
                f.truncate(size)
            except OSError:
                pass
            raise


def record_failure(project: Project, folder: Path, run_id: str, text: str) -> None:
    """``error.txt`` and the row (status failed, the first line as the error); never raises for the disk."""
    try:
        (folder / ERROR).write_text(text + "\n", encoding="utf-8")
    except OSError:
        try:
            (folder / ERROR).unlink(missing_ok=True)  # never half a reason
        except OSError:
            pass
    for attempt in range(2):
        try:
            run_records.update_run(project, run_id, status="failed",
                                   summary=_failure_summary(project, folder, run_id, text))
            return
        except (OSError, sqlite3.Error, DiskError):
            if attempt:
                return
            try:  # a full disk: the write-ahead log cannot grow, but after a checkpoint it is reused from its start
                project._con().execute("PRAGMA wal_checkpoint(RESTART)")
            except sqlite3.Error:
                return


def _failure_summary(project: Project, folder: Path, run_id: str, text: str) -> dict:
    """The failed row's error (the first line of ``text``) and, when its checkpoint is behind the epochs it recorded
    (a process killed between two checkpoint writes, a checkpoint a full disk refused), the epoch Resume goes on
    from: ``last_epoch`` and the best epoch are the checkpoint's, and the error says which epochs are trained again
    (run_abandoned.resume_point)."""
    first = text.splitlines()[0] if text else ""
    info = run_records.find_run(project, run_id)
    trained = info.summary.get("last_epoch") if info is not None else None
    as_saved, words = run_abandoned.resume_point(folder, trained)
    if as_saved is None or not isinstance(trained, int) or as_saved["last_epoch"] >= trained:
        return {"error": first}  # nothing was lost: the reason says all
    return {**as_saved, "error": f"{first}; {words}" if first else words}
