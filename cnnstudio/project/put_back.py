"""Putting back the copy of project.db (:mod:`.db_backup`) as one action, for a surface that offers it when a project
does not open because its database is damaged or missing. Stdlib only.

:func:`offer` says whether to offer it (the words of the button, "" for no), :func:`put_back` does it and says, in one
sentence, why it could not, and :func:`put_back_words` what the project opened from the copy says once: that the
changes made after the copy's time are not in it. A damaged database is the store's :class:`~.errors.DamagedProjectError` however it was
met (its header, or a page once open: :func:`.open_checks.damaged_error`), so that every one is said the same way.
"""

from __future__ import annotations

from pathlib import Path

from .db_backup import BACKUP_NAME, DB_NAME, backup_path, backup_stamp, backup_time, restore_backup, usable
from .errors import DamagedProjectError, NotAProjectError
from .open_checks import lost_its_database
from .run_reindex import runs_back_words


def offer(root: Path, exc: BaseException) -> str:
    """"Put back the copy from 03 Dec 2026 08:36" when opening ``root`` failed with ``exc`` because its project.db is
    damaged (or missing from a project that still has its pictures) and a whole copy of it is there; else ""."""
    root = Path(root)
    damaged = isinstance(exc, DamagedProjectError)
    missing = (isinstance(exc, NotAProjectError) and not (root / DB_NAME).exists() and root.is_dir()
               and lost_its_database(root))
    when = backup_time(root)
    if not (damaged or missing) or when is None or not usable(backup_path(root)):
        return ""
    return f"Put back the copy from {backup_stamp(when)}"


def put_back(root: Path) -> str:
    """Put the copy back (:func:`.db_backup.restore_backup`: the damaged file is kept aside); "" when done, else why
    not, in one sentence that says nothing was lost."""
    try:
        restore_backup(Path(root))
    except (OSError, ValueError) as e:
        why = getattr(e, "strerror", None) or str(e)
        return (f"The copy could not be put back ({why}); nothing was lost: {BACKUP_NAME} is still in {root} and "
                f"no file was deleted.")
    return ""


def put_back_words(when: float, runs_back: int = 0) -> str:
    """What a project opened from the copy put back says once (``when``: the copy's time, taken before the opening,
    which may write a new copy): the changes made after it are not in the project, and how many runs found in its
    runs folder without their row were listed again (``runs_back``, :attr:`~.store.Project.runs_back`)."""
    back = runs_back_words(runs_back)
    return (f"the copy of {DB_NAME} from {backup_stamp(when)} was put back: the changes made to the project after "
            f"that time are not in it" + (f", except the trained runs: {back}" if back else ""))
