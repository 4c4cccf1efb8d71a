"""Where studies live: a journal file in the project (the default), or a database server for several machines.

- **In the project** (no URL): Optuna's journal file ``tune/studies.journal`` under the project folder. It
  survives closing the app, travels with the project, and takes several worker processes on one machine
  (the journal appends under a file lock).
- **On a server** (``--storage postgresql://...``, or any SQLAlchemy URL Optuna accepts): Optuna's RDB
  storage with a heartbeat, so that machines that each hold a packed job of the same data run trials of
  one study.

A worker killed in the middle of a trial (SIGKILL, power cut) cannot mark it: the trial stays "running".
:func:`fail_dead_trials` marks such trials failed when a study is opened again: trials whose worker ran
on this machine under a process id that no longer exists, and (server storage) trials whose heartbeat
stopped. Their runs are marked stopped, so they can be resumed or deleted like any run.
"""

from __future__ import annotations

import re
import time
import warnings
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import optuna
from optuna.storages import JournalStorage, RDBStorage
from optuna.storages.journal import JournalFileBackend, JournalFileOpenLock
from optuna.trial import FrozenTrial, TrialState

from ...project import run_records
from ...project.processes import gone, this_process
from ...project.store import TUNE_DIR, Project
from ..errors import EngineError

JOURNAL = "studies.journal"
HEARTBEAT_S = 20
GRACE_S = 60
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")

optuna.logging.set_verbosity(optuna.logging.WARNING)  # our own progress lines say what happens


class TuneError(EngineError):
    """A study cannot be started, continued or read."""


def check_study_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise TuneError(f"{name!r} is not a usable study name: use letters, digits, '-', '_' or '.' (64 at most)")
    return name


def journal_path(project: Project) -> Path:
    return project.root / TUNE_DIR / JOURNAL


def describe(project: Project, url: str | None) -> str:
    """Where the studies are, for people (a server URL without its password)."""
    if not url:
        return str(journal_path(project))
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(":" + parts.password + "@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def open_storage(project: Project, url: str | None = None, *, create: bool = True):
    """Optuna storage for ``url`` (a server) or the project's journal. ``create=False``: ``None`` when the
    project has no journal yet (reading must not write)."""
    if url:
        for attempt in range(4):
            try:
                with warnings.catch_warnings():  # the heartbeat is "experimental" in Optuna: it works, we use it
                    warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
                    return RDBStorage(url, heartbeat_interval=HEARTBEAT_S, grace_period=GRACE_S,
                                      engine_kwargs={"pool_pre_ping": True})
            except Exception as e:  # noqa: BLE001 - SQLAlchemy and drivers raise many kinds
                text = str(e).strip()
                if attempt < 3 and ("UniqueViolation" in text or "already exists" in text):
                    # several workers made Optuna's tables at the same moment: one won; use its tables
                    time.sleep(0.2 * (attempt + 1))
                    continue
                first = text.splitlines()[0] if text else type(e).__name__
                raise TuneError(f"cannot open the study storage {describe(project, url)}: {first}") from None
    path = journal_path(project)
    if not path.exists() and not create:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return JournalStorage(JournalFileBackend(str(path), lock_obj=JournalFileOpenLock(str(path))))
    except OSError as e:
        raise TuneError(f"cannot write the study file {path}: {e.strerror or e}") from None


def worker_id() -> str:
    return this_process()


WORKER_GONE = "the worker process ended in this trial"  # the reason of a trial whose process is gone
#: A running trial that names no worker this long after it started was killed between Optuna's ``ask`` and the
#: line right after it that records its worker (study.py): nobody will ever end it. (Every worker records itself
#: within milliseconds; a minute leaves room for a slow disk or server.)
UNOWNED_S = 60.0


def worker_gone(t: FrozenTrial, unowned_s: float = UNOWNED_S) -> bool:
    """True when running trial ``t``'s worker is gone: its process on this computer has ended, or it named no
    worker :data:`UNOWNED_S` seconds after it started (see there). The one rule for :func:`fail_dead_trials` (which
    marks such trials) and ``results.state_of`` (which reads them so, writing nothing)."""
    if t.state != TrialState.RUNNING:
        return False
    worker = t.user_attrs.get("worker")
    if worker:
        return gone(str(worker))
    start = t.datetime_start
    return start is not None and (datetime.now(start.tzinfo) - start).total_seconds() >= unowned_s  # Optuna: local time


def fail_dead_trials(project: Project, study: optuna.Study, unowned_s: float = UNOWNED_S) -> list[int]:
    """Mark failed the running trials whose worker is gone (:func:`worker_gone`; see the module doc); their runs:
    stopped. Returns the trial numbers."""
    if isinstance(study._storage, RDBStorage):
        optuna.storages.fail_stale_trials(study)
    failed = []
    for t in study.get_trials(deepcopy=False):
        if t.state != TrialState.RUNNING:
            if t.state == TrialState.FAIL and t.user_attrs.get("run"):
                _stop_run(project, t.user_attrs["run"])
            continue
        if worker_gone(t, unowned_s):
            study._storage.set_trial_user_attr(t._trial_id, "reason", WORKER_GONE)
            study._storage.set_trial_state_values(t._trial_id, TrialState.FAIL)
            failed.append(t.number)
            if t.user_attrs.get("run"):
                _stop_run(project, t.user_attrs["run"])
    return failed


def _stop_run(project: Project, run_id: str) -> None:
    info = run_records.find_run(project, run_id)
    if info is not None and info.status in ("running", "created"):
        run_records.update_run(project, run_id, status="stopped")
