"""`cnnstudio train --resume` of a run of the default recipe (engine/runs/recipe.py): once the resumed run finishes,
the recipe's choice is made again (recipe.settle) and the "Recipe:" line says so, never that the run it has just
finished "did not finish". Real runs of the recipe on a tiny project (MobileNetV2's weights are installed)."""

from __future__ import annotations

import threading

import pytest

from cnnstudio.engine.data.preprocess import Preprocess
from cnnstudio.engine.events import EpochEnd, RunStopped
from cnnstudio.engine.model.backbones import weights_status
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.runs.recipe import run_with_choice
from cnnstudio.engine.train.settings import default_settings
from cnnstudio.project import Project, run_records
from tests.cli.helpers import run
from tests.engine.test_data import make_project


@pytest.mark.skipif(not weights_status("mobilenet_v2")["installed"],
                    reason="the recipe compares with transfer learning only with MobileNetV2's weights")
def test_resuming_the_recipes_from_scratch_run_prints_the_settled_choice(tmp_path, capsys):
    proj = make_project(tmp_path / "proj", per_class=12, side=12)
    try:  # the default recipe stopped in the from-scratch run's first epoch, as a Ctrl-C leaves it
        scratch = runs.create_run(proj, default_settings(Preprocess(height=12, width=12, channels=1)).replace(epochs=2))
        stop = threading.Event()
        for ev in run_with_choice(proj, scratch, stop=stop):
            if isinstance(ev, EpochEnd):  # only the from-scratch run's epochs are passed on
                stop.set()
        assert isinstance(ev, RunStopped) and ev.run_id == scratch
        assert "did not finish" in run_records.get_run(proj, scratch).summary["recipe"]["why"]
    finally:
        proj.close()

    code, out, err = run(capsys, "train", tmp_path / "proj", "--resume", scratch)
    assert code == 0, err
    recipe_line = next(line for line in out.splitlines() if line.startswith("The default recipe "))
    assert "did not finish" not in recipe_line and "resume it" not in recipe_line
    assert "compared when the resumed from-scratch run finished" in recipe_line
    with Project.open(tmp_path / "proj") as p:
        recipe = run_records.get_run(p, scratch).summary["recipe"]
    assert recipe["compared"] and recipe_line == f"The default recipe {recipe['why']}."
    code, listing, _ = run(capsys, "runs", tmp_path / "proj", "--json")
    assert [r["id"] for r in listing["runs"] if r["best"]] == [recipe["run"]]  # the settled choice is the best run
