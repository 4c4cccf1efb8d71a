"""The bundled sample project: the sample dataset imported once into the user's data folder, then split with its
copies and near copies of a picture kept in one split (the groups found by the caller:
:func:`cnnstudio.engine.runs.split_groups.find_split_groups`; this package cannot import the engine), so the sample
opens with no picture in training whose copy is in validation or test.

A sample whose making was stopped (or failed) is finished the next time it is opened: it is made once it is split.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable, Sequence

from .errors import ProjectError
from .importer import import_paths
from .store import Project, is_project

SAMPLE_RATIOS = (70, 15, 15)  # the sample's split, in per cent of each class: train, validation, test
SAMPLE_SEED = 0
STOPPED = "You stopped making the sample project: open it again to finish it."
#: ``find_groups(project, progress, stop)``: the groups of image ids that must share a split
GroupsFinder = Callable[[Project, Callable | None, threading.Event | None], Sequence[Sequence[int]]]


class SampleStopped(ProjectError):
    """Making the sample was stopped: the project is closed, finished the next time it is opened."""


def sample_is_made(target: Path) -> bool:
    """Whether the sample at ``target`` is made: it holds pictures and was split (an import stopped half-way has
    pictures and no split yet)."""
    if not is_project(target):
        return False
    project = Project.open(target)
    try:
        return project.count() > 0 and project.meta("split_settings") is not None
    finally:
        project.close()


def open_sample_project(dataset_dir: Path, target: Path, progress=None, find_groups: GroupsFinder | None = None,
                        stop: threading.Event | None = None) -> Project:
    """Open the sample project at ``target``, making it from ``dataset_dir`` on first use: imported (``progress``),
    then split by :data:`SAMPLE_RATIOS` with the groups ``find_groups`` finds kept in one split (None: none looked
    for). ``stop`` set: the project is closed and :class:`SampleStopped` raised (nothing is split)."""
    if is_project(target):
        project = Project.open(target)
        if project.count() > 0 and project.meta("split_settings") is not None:
            return project
    else:
        project = Project.create(target)
    try:
        resumed = project.count() > 0  # a making stopped before: its pictures are there, the rest come in
        import_paths(project, [dataset_dir], labels_from_folders=True, progress=progress, cancel=stop,
                     remembered=not resumed)
        _stopped(stop)
        groups = find_groups(project, progress, stop) if find_groups is not None else ()
        _stopped(stop)
        project.assign_splits(SAMPLE_RATIOS, seed=SAMPLE_SEED, groups=groups)
    except BaseException:
        project.close()
        _stopped(stop)
        raise
    return project


def _stopped(stop: threading.Event | None) -> None:
    if stop is not None and stop.is_set():
        raise SampleStopped(STOPPED)
