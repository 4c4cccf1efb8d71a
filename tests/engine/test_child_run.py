"""Training in a child process (what the GUI runs): the same events and records as in-process, pause,
stop, a killed child, a run that cannot start, an abandoned generator. Real child processes."""

from __future__ import annotations

import math
import threading

import pytest

from cnnstudio.cli import CHILD_COMMAND as CLI_CHILD_COMMAND
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.runs.child_run import CHILD_COMMAND, ChildError, ChildRun, run_in_child
from cnnstudio.engine.events import (BatchEnd, CheckpointSaved, DataProgress, EpochEnd, RunFailed, RunFinished,
                                     RunStarted, RunStopped, event_from_json, event_to_json)
from cnnstudio.project import run_records
from tests.engine.test_data import make_project, tiny_spec
from tests.engine.test_runs import settings

WAIT_S = 120  # a child starts Python and PyTorch first; generous for a loaded CI machine


@pytest.fixture
def proj(tmp_path):
    p = make_project(tmp_path / "proj")
    yield p
    p.close()


def test_every_event_survives_the_json_line():
    nan = math.nan
    samples = [DataProgress(3, 10, "decoding"), RunStarted("r1", 5, 1, 7, 40, 8, "CPU", 2, 1234),
               BatchEnd(1, 3, 7, 0.5, 0.75, 1e-3, 900.0), EpochEnd(2, 5, 0.4, 0.8, nan, nan, 3.5, 10.0, True),
               CheckpointSaved(2, "/x/last.safetensors"), RunFinished("r1", 5, 4, nan, 12.0, 800.0),
               RunStopped("r1", 2, 1), RunFailed("r1", 0, "no pictures", "import some", "trace")]
    for ev in samples:
        back = event_from_json(event_to_json(ev))
        assert type(back) is type(ev) and event_to_json(back) == event_to_json(ev)
    assert math.isnan(event_from_json(event_to_json(samples[3])).val_loss)
    assert event_from_json({"event": "Unknown"}) is None and event_from_json({"event": "RunStopped"}) is None
    assert CHILD_COMMAND == CLI_CHILD_COMMAND


def test_a_child_run_trains_and_records_like_an_in_process_run(proj):
    run_id = runs.create_run(proj, settings(epochs=2), tiny_spec(), name="child")
    events = list(run_in_child(proj, run_id))
    kinds = [type(e) for e in events]
    assert kinds[0] is DataProgress and RunStarted in kinds and kinds.count(EpochEnd) == 2
    fin = events[-1]
    assert isinstance(fin, RunFinished) and fin.run_id == run_id and fin.test_accuracy == fin.test_accuracy
    info = run_records.get_run(proj, run_id)
    assert info.status == "finished" and info.summary["best_epoch"] == fin.best_epoch
    assert [m["epoch"] for m in runs.read_metrics(proj, run_id)] == [1, 2]
    assert (run_records.run_dir(proj, run_id) / "model").is_dir()


class Paused:
    """A child run of ``epochs`` epochs, paused before its first batch, its events iterated in a thread (as
    the GUI's training thread does). ``paused`` is set once the child says it waits."""

    def __init__(self, proj, epochs: int = 3):
        self.run_id = runs.create_run(proj, settings(epochs=epochs), tiny_spec())
        self.stop, self.pause, self.paused = threading.Event(), threading.Event(), threading.Event()
        self.pause.set()
        self.child = ChildRun(proj, self.run_id, stop=self.stop, pause=self.pause, paused=self.paused)
        self.events: list = []
        self.errors: list = []
        self.thread = threading.Thread(target=self._go)
        self.thread.start()
        assert self.paused.wait(WAIT_S), "the child never said it paused"

    def _go(self):
        try:
            self.events.extend(self.child.events())
        except Exception as e:  # noqa: BLE001 - looked at by the test
            self.errors.append(e)

    def end(self):
        """Wait for the events to end; the last one."""
        self.thread.join(WAIT_S)
        assert not self.thread.is_alive() and not self.errors
        return self.events[-1]


def test_pause_is_reported_and_resume_goes_on(proj):
    r = Paused(proj, epochs=2)
    assert not any(isinstance(e, BatchEnd) for e in r.events)
    r.pause.clear()
    assert isinstance(r.end(), RunFinished) and not r.paused.is_set()


def test_stop_while_paused_stops_the_run(proj):
    r = Paused(proj)
    r.stop.set()
    assert isinstance(r.end(), RunStopped)
    assert run_records.get_run(proj, r.run_id).status == "stopped" and r.child.process.returncode == 0


def test_a_killed_child_fails_the_run_with_a_clear_reason(proj):
    r = Paused(proj)
    r.child.process.kill()  # what the out-of-memory killer does
    last = r.end()
    assert isinstance(last, RunFailed) and last.reason == ("the training process ended unexpectedly: it was killed, "
                                                           "which the system does when the computer runs out of memory")
    assert "SIGKILL" not in last.reason and "(" not in last.reason
    assert "resume" in last.advice.lower()
    info = run_records.get_run(proj, r.run_id)
    assert info.status == "failed" and "ended unexpectedly" in info.summary["error"]
    assert not r.paused.is_set()


def test_a_child_whose_parent_is_gone_stops_by_itself(proj):
    """The app was killed: the child's input ends. It stops at the next batch and records the run as stopped."""
    r = Paused(proj)
    r.child.process.stdin.close()  # what the end of the parent process does
    assert isinstance(r.end(), RunStopped)
    assert run_records.get_run(proj, r.run_id).status == "stopped" and r.child.process.returncode == 0


def test_a_run_that_cannot_start_raises_the_childs_message(proj):
    with pytest.raises(ChildError) as got:
        list(run_in_child(proj, "no-such-run"))
    assert "no-such-run" in str(got.value) and "Traceback" in got.value.details


def test_an_abandoned_generator_stops_the_child(proj):
    run_id = runs.create_run(proj, settings(epochs=3), tiny_spec())
    pause, paused = threading.Event(), threading.Event()
    pause.set()
    child = ChildRun(proj, run_id, pause=pause, paused=paused)
    gen = child.events()
    for ev in gen:
        if isinstance(ev, RunStarted):
            break
    gen.close()  # as the GUI's thread does when it goes away
    assert child.process.returncode is not None
    assert run_records.get_run(proj, run_id).status == "stopped"

