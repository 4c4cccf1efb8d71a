"""`cnnstudio train --resume` of a run whose checkpoint is damaged or gone: one sentence and the command that trains
it again from the start (`--restart`), which `cnnstudio runs` offers too; a run with no checkpoint left says that it
starts again from epoch 1. Real runs on a tiny project."""

from __future__ import annotations

import os
import shutil
import threading

import pytest

from cnnstudio.engine.events import EpochEnd, RunStopped
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.project import Project, run_records
from tests.cli.helpers import run
from tests.engine.test_data import make_project, tiny_spec
from tests.engine.test_runs import settings


@pytest.fixture
def stopped(tmp_path):
    """A project folder and a run of 2 epochs stopped after its first."""
    p = make_project(tmp_path / "proj")
    try:
        run_id = runs.create_run(p, settings(epochs=2), tiny_spec())
        stop = threading.Event()
        for ev in runs.run(p, run_id, stop=stop):
            if isinstance(ev, EpochEnd):
                stop.set()
        assert isinstance(ev, RunStopped)
        folder = run_records.run_dir(p, run_id)
    finally:
        p.close()
    return tmp_path / "proj", run_id, folder


def test_a_damaged_checkpoint_offers_the_restart_and_it_trains_from_the_start(stopped, capsys):
    proj, run_id, folder = stopped
    os.truncate(folder / "checkpoint" / "last.safetensors", 1000)
    code, out, err = run(capsys, "train", proj, "--resume", run_id)
    restart = f"cnnstudio train {proj} --restart {run_id}"
    assert code != 0 and out == ""
    assert err.strip() == (f"cnnstudio: error: the last checkpoint of run {run_id} is damaged, so the run cannot go on "
                           f"from where it stopped: train it again from the start with: {restart}")
    assert "bug" not in err and "Safetensor" not in err
    code, out, _ = run(capsys, "runs", proj)
    assert f"stopped: the last checkpoint of run {run_id} is damaged" in out and restart in out
    assert "--resume" not in out  # no resume that cannot work
    code, listing, _ = run(capsys, "runs", proj, "--json")
    assert listing["runs"][0]["restart"] == restart and "resume" not in listing["runs"][0]
    code, out, err = run(capsys, "train", proj, "--restart", run_id)
    assert code == 0, err
    assert out.startswith(f"Run {run_id} finished") and "resuming at epoch" not in err
    with Project.open(proj) as p:
        assert [m["epoch"] for m in runs.read_metrics(p, run_id)] == [1, 2]


def test_resuming_with_no_checkpoint_left_says_it_starts_again_from_epoch_1(stopped, capsys):
    proj, run_id, folder = stopped
    shutil.rmtree(folder / "checkpoint")
    code, out, err = run(capsys, "train", proj, "--resume", run_id)
    assert code == 0, err
    assert f"No checkpoint was left for run {run_id}: training starts again from epoch 1." in err.splitlines()


def test_restart_refuses_a_finished_run_and_training_options(stopped, capsys):
    proj, run_id, _ = stopped
    code, out, err = run(capsys, "train", proj, "--restart", run_id, "--epochs", "3")
    assert code != 0 and "--restart trains a run with its own settings" in err
    assert run(capsys, "train", proj, "--resume", run_id)[0] == 0
    code, out, err = run(capsys, "train", proj, "--restart", run_id)
    assert code != 0 and f"run {run_id} has already finished; start a new run to train more" in err
