"""Shared test helpers: real image files written by the tests, real projects on disk."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def write_image(path: Path, color=(200, 30, 30), size=(16, 12), mode="RGB", fmt=None, **save) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode == "L" and isinstance(color, tuple):
        color = color[0]
    Image.new(mode, size, color).save(path, fmt, **save)
    return path


def write_dataset(root: Path, classes=("cat", "dog"), per_class=6, size=(12, 12)) -> Path:
    """A folder-per-class tree of distinct tiny PNGs (distinct bytes, so no duplicates)."""
    for ci, name in enumerate(classes):
        for i in range(per_class):
            color = (ci * 37 % 256, i % 256, (i // 256 * 50 + 100) % 256)
            write_image(root / name / f"{name}_{i}.png", color=color, size=size)
    return root


@pytest.fixture
def project(tmp_path):
    from cnnstudio.project import Project

    with Project.create(tmp_path / "proj") as p:
        yield p


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    """Never write to the real user's data folder or settings."""
    monkeypatch.setenv("CNNSTUDIO_DATA_DIR", str(tmp_path / "appdata"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
