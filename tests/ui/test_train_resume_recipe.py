"""QA F-8: the default recipe stopped during its from-scratch run, then resumed from the Train page's runs list and
finished: the run's details and the finished line say what happened (the two runs compared again), not "the
from-scratch run did not finish". The stopped recipe is made by the engine here (real runs, in this process); the
resume is the page's, in its child process, as a user would."""

from __future__ import annotations

import pytest

from cnnstudio.engine.events import RunFinished
from cnnstudio.engine.model.backbones import weights_status
from cnnstudio.project import run_records
from tests.engine.test_recipe_resume import stopped_recipe
from tests.engine.test_data import make_project

pytestmark = pytest.mark.skipif(not weights_status("mobilenet_v2")["installed"],
                                reason="the recipe compares with transfer learning only with MobileNetV2's weights")


def test_after_resume_the_recipe_words_match_what_happened(window, qtbot, tmp_path):
    proj = make_project(tmp_path / "proj", per_class=12, side=12)
    try:
        scratch, transfer = stopped_recipe(proj)
    finally:
        proj.close()
    assert window.open_project(tmp_path / "proj")
    window.workspace.show_step_key("train")
    page = window.workspace.train_page
    page._refresh()
    page.runs.select([scratch])
    assert "the from-scratch run did not finish" in page.runs.details.text()  # true while it is stopped
    with qtbot.waitSignal(page.run_ended, timeout=120_000) as ended:
        assert page.resume(scratch)
    assert isinstance(ended.args[0], RunFinished) and ended.args[0].run_id == scratch
    project = window.session.project
    recipe = run_records.get_run(project, scratch).summary["recipe"]
    assert recipe == run_records.get_run(project, transfer).summary["recipe"] and recipe["compared"]
    assert "compared when the resumed from-scratch run finished" in recipe["why"]
    page.runs.select([scratch])
    details = page.runs.details.text()
    assert "did not finish" not in details and "compared when the resumed from-scratch run finished" in details
    assert recipe["why"][1:] in page.status.text()
    if recipe["run"] == transfer:  # the finished line says the run kept is not the one resumed
        assert "stays the best run on validation" in page.status.text()  # run_words.used_words: the run kept
        assert f"The run kept is “{run_records.get_run(project, transfer).name}”" in details
