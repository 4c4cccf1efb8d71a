"""Where "Predict a folder…" offers to save its CSV: never among or beside the user's pictures, but where results went
last time while that folder is still there, else in the project's folder (ui/predict/results_place.py, Qt-free), with
the folder the settings remember (folder_panel.csv_start)."""

from __future__ import annotations

import pytest

from cnnstudio.project import Project
from cnnstudio.ui.predict.folder_panel import csv_start
from cnnstudio.ui.predict.results_place import results_start
from cnnstudio.ui.settings import remember_folder


@pytest.fixture
def places(tmp_path, monkeypatch):
    home = tmp_path / "home"
    pictures = home / "Photos" / "holiday"
    results = tmp_path / "results"
    for folder in (pictures, results):
        folder.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))  # Path.home(), where last_folder falls back to
    return home, pictures, results


def test_the_rule_prefers_the_last_folder_then_the_project_then_home(places, tmp_path):
    home, pictures, results = places
    root = tmp_path / "proj"
    root.mkdir()
    name = "holiday predictions.csv"
    assert results_start(pictures, None, root, home) == root / name  # not beside the pictures (home/Photos)
    assert results_start(pictures, results, root, home) == results / name
    assert results_start(pictures, tmp_path / "gone", root, home) == root / name  # a remembered folder removed since
    assert results_start(pictures, None, None, home) == home / name  # a project that cannot be written to
    assert results_start(str(pictures), None, tmp_path / "no-project-here", home) == home / name


def test_the_dialog_starts_in_the_project_then_where_results_were_saved(places, tmp_path):
    home, pictures, results = places
    with Project.create(tmp_path / "proj") as project:
        assert csv_start(pictures, project) == project.root / "holiday predictions.csv"  # nothing remembered yet
        remember_folder("predictions", results)  # results saved there (ask_folder_and_csv keeps the file's folder)
        assert csv_start(pictures, project) == results / "holiday predictions.csv"
        remember_folder("predictions", home)  # the home folder is what last_folder says with nothing remembered
        assert csv_start(pictures, project) == project.root / "holiday predictions.csv"
    with Project.open(tmp_path / "proj", read_only=True) as viewed:  # open for viewing only: not its folder
        assert csv_start(pictures, viewed) == home / "holiday predictions.csv"
