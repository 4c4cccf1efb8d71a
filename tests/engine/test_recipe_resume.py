"""The default recipe's words after a resume (engine/runs/recipe.py): stopped during the from-scratch run, the record
says the from-scratch run did not finish; once the resumed run finishes, :func:`settle` compares the two again and
says so. Real runs of the recipe on a tiny project (MobileNetV2's weights are installed by the Makefile)."""

from __future__ import annotations

import pytest

from cnnstudio.engine.data.preprocess import Preprocess
from cnnstudio.engine.events import EpochEnd, RunFinished, RunStopped
from cnnstudio.engine.model.backbones import weights_status
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.runs.recipe import TRANSFER_PRESET, run_with_choice, settle
from cnnstudio.engine.train.settings import default_settings
from cnnstudio.engine.use.figures import percent
from cnnstudio.project import run_records

from .test_data import make_project

pytestmark = pytest.mark.skipif(not weights_status("mobilenet_v2")["installed"],
                                reason="the recipe compares with transfer learning only with MobileNetV2's weights")


def stopped_recipe(proj) -> tuple[str, str]:
    """The default recipe stopped in the from-scratch run's second epoch: (from-scratch run, transfer run)."""
    import threading

    run_id = runs.create_run(proj, default_settings(Preprocess(height=12, width=12, channels=1)).replace(epochs=2))
    stop = threading.Event()
    events = []
    for ev in run_with_choice(proj, run_id, stop=stop):
        events.append(ev)
        if isinstance(ev, EpochEnd):  # only the from-scratch run's epochs are passed on
            stop.set()
    assert isinstance(events[-1], RunStopped) and events[-1].run_id == run_id
    (other,) = [r.id for r in run_records.list_runs(proj) if r.id != run_id]
    assert run_records.get_run(proj, other).config["preset"] == TRANSFER_PRESET
    return run_id, other


def test_a_resumed_from_scratch_run_makes_the_choice_again_when_it_finishes(tmp_path):
    proj = make_project(tmp_path / "proj", per_class=12, side=12)
    try:
        scratch, transfer = stopped_recipe(proj)
        before = run_records.get_run(proj, scratch).summary["recipe"]
        assert before["run"] == transfer and "did not finish" in before["why"]
        assert settle(proj, scratch) == before  # still stopped: nothing to compare yet
        last = list(runs.resume(proj, scratch))[-1]
        assert isinstance(last, RunFinished) and run_records.get_run(proj, scratch).status == "finished"
        recipe = settle(proj, scratch)
        assert "did not finish" not in recipe["why"] and recipe["compared"]
        assert "compared when the resumed from-scratch run finished" in recipe["why"]
        s_acc = run_records.get_run(proj, scratch).summary["val_accuracy"]
        t_acc = run_records.get_run(proj, transfer).summary["val_accuracy"]
        assert percent(s_acc) in recipe["why"] and percent(t_acc) in recipe["why"]  # the app's one rounding rule
        kept = transfer if recipe["picked"] == "transfer" else scratch
        assert recipe["run"] == kept and (recipe["scratch"], recipe["transfer"]) == (scratch, transfer)
        assert all(run_records.get_run(proj, r).summary["recipe"] == recipe for r in (scratch, transfer))
        assert settle(proj, transfer) == recipe  # made once
    finally:
        proj.close()


def test_an_older_record_without_the_pair_is_settled_too(tmp_path):
    """A record written before the pair was kept ({"picked", "run", "why"} only) names the transfer run as kept in
    the from-scratch run's summary: that is enough to find the two."""
    proj = make_project(tmp_path / "proj", per_class=12, side=12)
    try:
        scratch, transfer = stopped_recipe(proj)
        old = {"picked": "transfer", "run": transfer, "why": "transfer learning: the from-scratch run did not finish"}
        for rid in (scratch, transfer):
            run_records.update_run(proj, rid, summary={"recipe": old})
        assert isinstance(list(runs.resume(proj, scratch))[-1], RunFinished)
        recipe = settle(proj, scratch)
        assert recipe["compared"] and (recipe["scratch"], recipe["transfer"]) == (scratch, transfer)
        assert "did not finish" not in run_records.get_run(proj, transfer).summary["recipe"]["why"]
    finally:
        proj.close()
