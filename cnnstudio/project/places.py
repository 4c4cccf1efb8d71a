"""Where a new project may be made (stdlib only): not inside another project's own folders (images/, runs/,
cache/), where CNN Studio keeps its pictures, runs and caches by its own names. A project made there would be
copied, moved or deleted with the other one's files, and its files taken for the other's (an orphan run folder,
a stray picture)."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import ProjectExistsError
from .store import CACHE_DIR, IMAGES_DIR, RUNS_DIR, TUNE_DIR, is_project

INTERNAL = (IMAGES_DIR, RUNS_DIR, CACHE_DIR, TUNE_DIR)


def check_new_project_place(path: str | os.PathLike) -> None:
    """Refuse, with one sentence, a new project inside one of another project's own folders."""
    found = internal_folder_of(path)
    if found is not None:
        parent, inside = found
        raise ProjectExistsError(f"{path} is inside the {inside} folder of the project {parent}, where CNN Studio "
                                 "keeps that project's own files: choose a folder outside it")


def internal_folder_of(path: str | os.PathLike) -> tuple[Path, str] | None:
    """(the project, the name of its own folder) when ``path`` is in or is one of a project's own folders
    (images/, runs/, cache/, tune/); None otherwise. proj/images/../new is beside images/, not in it."""
    root = Path(path).resolve()
    for parent in root.parents:
        if is_project(parent):
            inside = root.relative_to(parent).parts[0]
            return (parent, inside) if inside in INTERNAL else None
    return None
