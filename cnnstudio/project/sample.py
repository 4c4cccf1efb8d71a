"""The bundled sample project: the sample dataset imported once into the user's data folder."""

from __future__ import annotations

from pathlib import Path

from .importer import import_paths
from .store import Project, is_project


def open_sample_project(dataset_dir: Path, target: Path, progress=None) -> Project:
    """Open the sample project at ``target``, creating it from ``dataset_dir`` on first use."""
    if is_project(target):
        project = Project.open(target)
        if project.count() > 0:
            return project
    else:
        project = Project.create(target)
    import_paths(project, [dataset_dir], labels_from_folders=True, progress=progress)
    project.assign_splits((70, 15, 15), seed=0)
    return project
