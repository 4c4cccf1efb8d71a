"""A training killed outright (kill -9) between two checkpoint writes: when the project is next opened its run says the
epoch Resume goes on from — its epochs column too — and Resume does go on from there. Real child processes, a real
checkpoint, a real resume."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from cnnstudio.engine.events import RunFinished, RunStarted
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.project import Project, run_abandoned, run_records
from cnnstudio.project.run_checkpoint import saved_epochs
from tests.cli.helpers import run
from tests.engine.test_data import make_project

ROOT = Path(__file__).resolve().parents[2]

#: trains 6 epochs and kills itself with SIGKILL when epoch ``argv[2]`` has ended and been recorded; checkpoints are
#: written at the first epoch, then every 1,000 s (on a graphics card the 20 s between writes hold hundreds of epochs)
KILLED_TRAINER = r"""
import functools, os, signal, sys
from cnnstudio.engine.events import EpochEnd
from cnnstudio.engine.runs import lifecycle
from cnnstudio.engine.train import trainer
from cnnstudio.project import Project
from tests.engine.test_data import tiny_spec
from tests.engine.test_runs import settings

lifecycle.fit = functools.partial(trainer.fit, checkpoint_every_s=1000.0)
project = Project.open(sys.argv[1])
for ev in lifecycle.train(project, settings(epochs=6), tiny_spec()):
    if isinstance(ev, EpochEnd) and ev.epoch == int(sys.argv[2]):
        os.kill(os.getpid(), signal.SIGKILL)
"""


def _killed_run(root: Path, at_epoch: int) -> str:
    proc = subprocess.run([sys.executable, "-c", KILLED_TRAINER, str(root), str(at_epoch)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == -9, proc.stderr
    with Project.open(root, read_only=True) as p:
        (left,) = run_records.list_runs(p)
        assert left.status == "running" and left.summary["last_epoch"] == at_epoch  # what the list said before
    return left.id


def test_a_killed_run_says_the_epoch_it_resumes_from_and_resumes_there(tmp_path, capsys):
    make_project(tmp_path / "proj").close()
    run_id = _killed_run(tmp_path / "proj", 4)
    folder = tmp_path / "proj" / "runs" / run_id
    assert saved_epochs(folder)[0] == 1  # the real checkpoint: epochs 2-4 were never written
    code, out, _ = run(capsys, "runs", tmp_path / "proj", "--json")  # opening and listing settles it
    assert code == 0
    (row,) = out["runs"]
    assert row["status"] == "failed" and row["epochs"] == 1  # not 4: where Resume goes on
    with Project.open(tmp_path / "proj") as p:
        info = run_records.get_run(p, run_id)
        assert info.summary["error"] == (
            "the training stopped unexpectedly after epoch 4 (stopped by force, the project folder moved or renamed, "
            "or the disk too full to record why); it can resume from epoch 2: epochs 2–4 were not saved and are "
            "trained again")
        assert run_records.failure_reason(p, info) == info.summary["error"]
        first = json.loads((folder / "metrics.jsonl").read_text().splitlines()[0])
        assert info.summary["best_epoch"] == 1 and info.summary["val_accuracy"] == first["val_accuracy"]  # as saved
        assert run_records.can_resume(p, info)
        events = list(runs.resume(p, run_id))
        started = next(e for e in events if isinstance(e, RunStarted))
        assert started.start_epoch == 2  # what the words said
        assert isinstance(events[-1], RunFinished)
        assert run_records.get_run(p, run_id).summary["last_epoch"] == 6
    epochs = [json.loads(line)["epoch"] for line in (folder / "metrics.jsonl").read_text().splitlines()]
    assert epochs == [1, 2, 3, 4, 5, 6]


def test_one_epoch_lost_and_a_checkpoint_deleted_by_hand(tmp_path):
    make_project(tmp_path / "proj").close()
    run_id = _killed_run(tmp_path / "proj", 2)
    with Project.open(tmp_path / "proj") as p:
        assert run_abandoned.settle_abandoned(p) == [run_id]
        info = run_records.get_run(p, run_id)
        assert info.summary["error"].endswith("; it can resume from epoch 2: epoch 2 was not saved and is trained "
                                              "again") and info.summary["last_epoch"] == 1
        (run_records.run_dir(p, run_id) / "checkpoint" / "last.safetensors").unlink()
        as_saved, words = run_abandoned.resume_point(run_records.run_dir(p, run_id), 1)
        assert words == "no checkpoint was saved, so resuming starts again from epoch 1"
        assert as_saved == {"last_epoch": 0, "best_epoch": 0, "val_accuracy": None, "val_loss": None}


def test_the_words_for_each_checkpoint():
    assert run_abandoned.abandoned_words(3, "no checkpoint was saved, so resuming starts again from epoch 1") == (
        "the training stopped unexpectedly after epoch 3 (stopped by force, the project folder moved or renamed, or "
        "the disk too full to record why); no checkpoint was saved, so resuming starts again from epoch 1")


def test_a_folder_renamed_under_a_child_run_is_said_as_such_and_its_run_settled_where_it_is_now(tmp_path):
    import os

    from cnnstudio.engine.events import RunFailed
    from tests.engine.test_data import tiny_spec
    from tests.engine.test_disk_errors import paused_child
    from tests.engine.test_runs import settings

    p = make_project(tmp_path / "MyProject")
    run_id = runs.create_run(p, settings(epochs=2), tiny_spec())
    child, thread, events, pause = paused_child(p, run_id)
    os.rename(tmp_path / "MyProject", tmp_path / "Renamed")  # renamed in the file manager while it trains
    pause.clear()
    thread.join(120)
    assert not thread.is_alive() and child.process.returncode == 0
    last = events[-1]
    assert isinstance(last, RunFailed)
    assert last.reason == ("the folder MyProject is gone — it was moved, renamed or its drive removed: put it back "
                           "where it was (or use it where it is now), then train again"), last.reason
    p.close()
    with Project.open(tmp_path / "Renamed") as moved:  # opened where it is now: no run is left "running"
        assert run_records.get_run(moved, run_id).status == "running"  # the failure could not be written there
        assert run_abandoned.settle_abandoned(moved) == [run_id]
        info = run_records.get_run(moved, run_id)
        assert info.status == "failed" and "the project folder moved or renamed" in info.summary["error"]


def test_a_killed_child_run_says_where_resume_goes_on(tmp_path):
    """The window's training child killed outright (the out-of-memory killer): the window records the failure, with
    the epoch its real checkpoint lets Resume go on from."""
    from cnnstudio.engine.events import EpochEnd, RunFailed
    from cnnstudio.engine.runs.child_run import ChildRun
    from tests.engine.test_data import tiny_spec
    from tests.engine.test_runs import settings

    p = make_project(tmp_path / "proj")
    run_id = runs.create_run(p, settings(epochs=40), tiny_spec())
    child = ChildRun(p, run_id)
    last = None
    for ev in child.events():
        last = ev
        if isinstance(ev, EpochEnd) and ev.epoch == 3:
            child.process.kill()
    assert isinstance(last, RunFailed) and "ended unexpectedly" in last.reason
    info = run_records.get_run(p, run_id)
    saved = saved_epochs(run_records.run_dir(p, run_id))[0]
    assert saved is not None and info.summary["last_epoch"] == saved  # the epochs column: where Resume goes on
    assert info.summary["error"].startswith("the training process ended unexpectedly: it was killed")
    assert f"; it can resume from epoch {saved + 1}: " in info.summary["error"]  # the child ran past epoch 3
    events = list(runs.resume(p, run_id, stop=_stop_at_once()))  # stopped at its first batch: it only starts
    started = next(e for e in events if isinstance(e, RunStarted))
    assert started.start_epoch == saved + 1
    p.close()


def _stop_at_once():
    import threading

    stop = threading.Event()
    stop.set()
    return stop
