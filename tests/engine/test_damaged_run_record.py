"""A run record whose settings are not an object (a config.json edited by hand or damaged: a list, a string) is
taken as a run without settings (project/run_records.run_settings), by the tuner as by the Train page."""

from __future__ import annotations

import json

import pytest

from cnnstudio.engine.events import RunFinished
from cnnstudio.engine.model.presets import make_preset
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.tune.study import prepare, same_settings_run
from cnnstudio.project import run_records
from tests.engine.test_data import make_project, tiny_spec
from tests.engine.test_tune import settings

BROKEN = ([1, 2], "adamw", 3, None)


def damage_settings(project, run_id: str, broken) -> None:
    """Write ``broken`` as the settings of run ``run_id``'s config.json, and record that config as bringing the
    folder into a project does."""
    path = run_records.run_dir(project, run_id) / run_records.CONFIG
    cfg = json.loads(path.read_text()) | {"settings": broken}
    path.write_text(json.dumps(cfg))
    run_records.update_run(project, run_id, config=cfg)


@pytest.fixture
def proj(tmp_path):
    p = make_project(tmp_path / "proj", per_class=8)
    yield p
    p.close()


def test_the_rule_takes_settings_that_are_not_an_object_as_none():
    for broken in BROKEN:
        assert run_records.run_settings({"settings": broken}) == {}
    assert run_records.run_settings("not a record") == {} and run_records.run_settings({}) == {}
    assert run_records.run_settings({"settings": {"lr": 0.1}}) == {"lr": 0.1}


def test_the_tuner_passes_over_a_run_whose_settings_are_damaged(proj):
    # QA: the tuner's look for a run of the same settings crashed on a run whose config.json held a list
    start = settings(epochs=0, time_budget_s=1e6, min_epochs=2, max_epochs=2)
    setup = prepare(proj, settings=start, space={"params": {"lr": {"low": 1e-3, "high": 0.1, "log": True}}})
    ran = list(runs.train(proj, setup.settings, make_preset("default", 8, 8, 1)))[-1]
    assert isinstance(ran, RunFinished)
    newer = list(runs.train(proj, settings(epochs=1), tiny_spec()))[-1]
    for broken in BROKEN:  # the newest run, looked at first
        damage_settings(proj, newer.run_id, broken)
        assert same_settings_run(proj, setup) == (ran.run_id, 2)
        assert run_records.has_validation(run_records.get_run(proj, newer.run_id))  # as a run without settings


def test_a_damaged_record_is_refused_in_one_sentence(proj):
    ran = list(runs.train(proj, settings(epochs=1), tiny_spec()))[-1]
    damage_settings(proj, ran.run_id, [1, 2])
    with pytest.raises(runs.RunError, match=f"the settings of run {ran.run_id} in its config.json are damaged"):
        runs.read_config(proj, ran.run_id)
