"""Studies across processes: a killed search continues, two workers share a study in the project's journal
file, and two workers on two copies of the project share a study on a real PostgreSQL server."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import optuna
import pytest
from optuna.trial import TrialState

from cnnstudio.engine.tune import events as T
from cnnstudio.engine.runs.child_run import ChildError
from cnnstudio.engine.tune.child import CHILD_COMMAND, TuneChild, request
from cnnstudio.engine.tune.overview import show_study
from cnnstudio.engine.tune.storage import WORKER_GONE, open_storage
from cnnstudio.engine.tune.study import prepare, tune
from cnnstudio.project import Project, run_records
from tests.engine.test_data import make_project
from tests.engine.test_tune import settings
from tests.postgres_server import postgres_server

ROOT = Path(__file__).resolve().parents[2]
SPACE = {"epochs": 2, "params": {"lr": {"low": 1e-3, "high": 0.1, "log": True}, "width": {"low": 0.25, "high": 0.5}}}


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}


def _worker(project: Path, tmp: Path, study: str, trials: int, storage: str | None = None) -> subprocess.Popen:
    (tmp / "space.json").write_text(json.dumps(SPACE))
    (tmp / "settings.json").write_text(json.dumps(settings().to_json()))
    cmd = [sys.executable, "-m", "cnnstudio", "tune", str(project), "--study", study, "--trials", str(trials),
           "--space", str(tmp / "space.json"), "--settings", str(tmp / "settings.json"), "--threads", "1",
           "--no-prune", "--json", "--quiet"] + (["--storage", storage] if storage else [])
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())


def _finish(proc: subprocess.Popen) -> dict:
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert "Heartbeat of storage" not in err  # Optuna's raw warning: our loop does what study.optimize() does
    return json.loads(out)


def _check_no_trial_twice(study: optuna.Study, projects: list[Project]) -> list[optuna.trial.FrozenTrial]:
    trials = study.get_trials()
    assert [t.number for t in trials] == list(range(len(trials)))
    runs = [t.user_attrs["run"] for t in trials]
    assert len(set(runs)) == len(runs)
    for t in trials:
        homes = [p for p in projects if run_records.find_run(p, t.user_attrs["run"]) is not None]
        assert len(homes) == 1  # every trial ran once, in one worker's project
        info = run_records.get_run(homes[0], t.user_attrs["run"])
        assert info.summary["trial"] == t.number and info.status == "finished"
    return trials


def test_a_killed_search_loses_only_the_trial_in_flight(tmp_path):
    proj = make_project(tmp_path / "proj")
    req = request(settings=settings().to_json(), space=SPACE, study="killed", trials=5, pruning=False, threads=1)
    (tmp_path / "req.json").write_text(json.dumps(req))
    child = subprocess.Popen([sys.executable, "-m", "cnnstudio", CHILD_COMMAND, str(proj.root), str(tmp_path / "req.json")],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                             env=_env())
    for line in child.stdout:  # wait for trial 1 to be half-way (an epoch done), then pull the plug
        ev = T.from_json(json.loads(line))
        if isinstance(ev, T.TrialEpoch) and ev.number == 1:
            break
    child.send_signal(signal.SIGKILL)
    child.wait()
    storage = open_storage(proj)
    before = optuna.load_study(study_name="killed", storage=storage).get_trials()
    assert [t.state for t in before] == [TrialState.COMPLETE, TrialState.RUNNING]
    killed_run = before[1].user_attrs["run"]
    assert run_records.get_run(proj, killed_run).status == "running"
    # reading says what happened, and writes nothing
    shown = show_study(proj, "killed")
    assert [(r["state"], r["reason"], r["stopped"]) for r in shown["rows"]][1] == ("failed", WORKER_GONE, True)
    assert (shown["failed"], shown["stopped"], shown["stopped_reasons"]) == (1, 1, {WORKER_GONE: 1})
    assert optuna.load_study(study_name="killed", storage=storage).get_trials()[1].state == TrialState.RUNNING
    # Continue: the dead worker's trial is marked failed, its run stopped, and the study carries on
    events = list(tune(proj, prepare(proj, settings=settings(), space=SPACE, study="killed", pruning=False), trials=3))
    assert events[0].trials_before == 2 and [e.number for e in events if isinstance(e, T.TrialEnded)] == [2, 3]
    after = optuna.load_study(study_name="killed", storage=open_storage(proj)).get_trials()
    assert [t.state for t in after] == [TrialState.COMPLETE, TrialState.FAIL, TrialState.COMPLETE, TrialState.COMPLETE]
    assert "worker process ended" in after[1].user_attrs["reason"]
    assert run_records.get_run(proj, killed_run).status == "stopped"
    assert after[0].user_attrs["run"] == before[0].user_attrs["run"]  # nothing finished was lost
    proj.close()


def test_the_gui_child_killed_in_a_trial_leaves_it_failed_and_its_run_stopped(tmp_path):
    proj = make_project(tmp_path / "proj")
    req = request(settings=settings().to_json(), space=SPACE, study="gui", trials=5, pruning=False, threads=1)
    child = TuneChild(proj, req, env=_env())
    with pytest.raises(ChildError, match="ended unexpectedly"):
        for ev in child.events():  # trial 0 half-way (an epoch done): the child is killed, as by the system
            if isinstance(ev, T.TrialEpoch):
                child.process.send_signal(signal.SIGKILL)
    trial = optuna.load_study(study_name="gui", storage=open_storage(proj)).get_trials()[0]
    assert trial.state == TrialState.FAIL and trial.user_attrs["reason"] == WORKER_GONE  # written, not only read
    assert run_records.get_run(proj, trial.user_attrs["run"]).status == "stopped"
    proj.close()


def test_two_workers_share_a_study_in_the_project(tmp_path):
    proj = make_project(tmp_path / "proj")
    a = _worker(proj.root, tmp_path, "pair", 5)
    b = _worker(proj.root, tmp_path, "pair", 5)
    ra, rb = _finish(a), _finish(b)
    study = optuna.load_study(study_name="pair", storage=open_storage(proj))
    trials = _check_no_trial_twice(study, [proj])
    assert 5 <= len(trials) <= 6  # the budget counts the whole study (a worker may start one as the other ends)
    assert len({t.user_attrs["worker"] for t in trials}) == 2  # both worked
    assert ra["best"]["val_accuracy"] is not None and rb["trials"] >= 5
    proj.close()


def test_two_machines_share_a_study_on_postgresql(tmp_path):
    """Two machines, each with a packed job of the same data, one study on a real server; the best trial's run
    comes home with import-run."""
    from cnnstudio.engine.runs.jobs import import_run, pack_job
    from cnnstudio.engine.tune.results import best_trial

    home = make_project(tmp_path / "home")
    pack_job(home, tmp_path / "job.zip", settings(), preset="default")
    for machine in ("one", "two"):
        (tmp_path / machine).mkdir()
        shutil.copy(tmp_path / "job.zip", tmp_path / machine / "job.zip")
    with postgres_server() as url:
        a = _worker(tmp_path / "one" / "job.zip", tmp_path, "shared", 4, url)
        b = _worker(tmp_path / "two" / "job.zip", tmp_path, "shared", 4, url)
        _finish(a), _finish(b)
        study = optuna.load_study(study_name="shared", storage=url)
        with Project.open(tmp_path / "one" / "job") as one, Project.open(tmp_path / "two" / "job") as two:
            trials = _check_no_trial_twice(study, [one, two])
            assert 4 <= len(trials) <= 5
            best = best_trial(trials)
            where = next(m for m, p in (("one", one), ("two", two)) if run_records.find_run(p, best.user_attrs["run"]))
        run_id = import_run(home, tmp_path / where / "job" / "runs" / best.user_attrs["run"])
        info = run_records.get_run(home, run_id)
        assert info.status == "finished" and info.summary["study"] == "shared" and info.summary["trial"] == best.number
    home.close()
