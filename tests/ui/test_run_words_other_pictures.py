"""What the Train page's finished line says of the best run when runs were scored on other validation pictures (QA
beginner 76/87: after pictures were added and split again, every new run ended with "'Recommended design · 3 epochs'
stays the best run", a run marked "⚠ changed"). Real projects and run folders (tests/engine/test_best_same_pictures)."""

from __future__ import annotations

from cnnstudio.project import run_records
from cnnstudio.ui.train import run_files
from cnnstudio.ui.train.run_words import used_words

from ..engine.test_best_same_pictures import SIDE, add_pictures, finished
from ..engine.test_data import make_project


def _used(project, run_id) -> str:
    return used_words(run_id, run_records.get_run(project, run_id).summary, run_files.best_run_why(project, run_id))


def test_the_line_says_runs_on_other_validation_pictures_are_not_compared(tmp_path):
    proj = make_project(tmp_path / "proj", per_class=12, side=SIDE)
    try:
        old = finished(proj, "Recommended design · 3 epochs", 0.95)
        add_pictures(proj, tmp_path / "more", seed=5)
        proj.assign_splits((60, 20, 20), seed=3)
        new = finished(proj, "new", 0.80)
        assert _used(proj, new) == (
            "It is the best run on validation among the runs scored on the current validation pictures (runs scored "
            "on other ones are not compared), so the Predict page's “Best run” uses it now and the Evaluate page "
            "marks it ★ best.")
        assert _used(proj, old) == (
            "“new” stays the best run on validation (this run was scored on other validation pictures than the "
            "current ones, so the runs scored on the current ones are compared), so the Predict page's “Best run” "
            "keeps using it and the Evaluate page marks it ★ best; choose this run in their run box to look at this "
            "one.")
    finally:
        proj.close()
