"""The Evaluate page shows a new best run when one is trained (it kept the run it showed, starring the new one), and
keeps a run the user chose in its box."""

from __future__ import annotations

import shutil

from cnnstudio.project import run_records as index
from tests.ui.test_training_view import open_trained


def _better_copy(project, run_id: str, name: str, accuracy: float) -> str:
    """A second finished run: ``run_id``'s model files under a new id, recorded with a higher validation score (as
    if trained again with better luck)."""
    info = index.get_run(project, run_id)
    new_id = index.new_run_id(info.created_at + 60 + accuracy)
    shutil.copytree(index.run_dir(project, run_id), index.run_dir(project, new_id))
    index.add_run(project, new_id, name, status="finished", config=info.config,
                  summary={**info.summary, "val_accuracy": accuracy}, data_fingerprint=info.data_fingerprint,
                  created_at=info.created_at + 60 + accuracy)
    assert index.best_run(project).id == new_id
    return new_id


def test_a_new_best_run_is_shown_and_a_chosen_run_kept(window, qtbot, tmp_path):
    first = open_trained(window, qtbot, tmp_path)
    page, project = window.workspace.evaluate_page, window.session.project
    with qtbot.waitSignal(page.evaluated, timeout=30_000):
        window.workspace.show_step(4)
    assert page.run_id == first

    window.workspace.show_step(0)
    second = _better_copy(project, first, "Better", 1.0 + 1e-9)  # above any real score: the best from now on
    with qtbot.waitSignal(page.evaluated, timeout=30_000):
        window.workspace.show_step(4)
    assert page.run_id == second and page.run_combo.currentData() == second
    assert "★ best" in page.run_combo.currentText()

    # the user picks the first run in the box: a newer best does not take its place
    i = page.run_combo.findData(first)
    with qtbot.waitSignal(page.evaluated, timeout=30_000):
        page.run_combo.setCurrentIndex(i)
        page.run_combo.activated.emit(i)
    window.workspace.show_step(0)
    third = _better_copy(project, first, "Best", 1.0 + 2e-9)
    window.workspace.show_step(4)
    assert page.run_id == first and page.run_combo.currentData() == first
    assert "★ best" in page.run_combo.itemText(page.run_combo.findData(third))
