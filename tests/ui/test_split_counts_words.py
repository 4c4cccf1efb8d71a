"""The Split & health tab's words (journey QA #2, #15): the counts grouped in thousands like every other count, and
a health line that promises no more than it knows (a copy of one picture in two splits is the data check's to find).
"""

from __future__ import annotations

from cnnstudio.project import import_paths
from cnnstudio.project.health import READY
from cnnstudio.ui.data.split_panel import split_counts
from tests.conftest import write_dataset


def test_split_counts_are_grouped_in_thousands():
    assert split_counts({"train": 1262, "val": 271, "test": 12345}) == "train 1,262, validation 271, test 12,345"


def test_after_split_the_health_line_points_to_the_data_check(window, tmp_path):
    write_dataset(tmp_path / "src", ("cat", "dog"), per_class=20, size=(12, 12))
    assert window.create_project(tmp_path / "proj")
    import_paths(window.session.project, [tmp_path / "src"], labels_from_folders=True)
    window.session.images_changed.emit()
    panel = window.workspace.data.splits
    panel.do_split()
    said = window.statusBar().currentMessage()
    assert said.startswith("Split: train 28, validation 6, test 6.") and said.endswith("Ctrl+Z undoes it.")
    assert panel.health.text().endswith(READY) and "Check data" in READY and READY.endswith(".")
