"""A run whose checkpoint was cut short, replaced or deleted: resuming says so in one sentence (never "a bug"),
the run is trained again from the start (lifecycle.restart), and a run with no checkpoint left says it starts again
from epoch 1. Checkpoints get the project's normal file mode. Real runs on a tiny project."""

from __future__ import annotations

import json
import os
import shutil
import stat
import threading

import pytest
import torch

from cnnstudio.engine.events import EpochEnd, RunFailed, RunFinished, RunStarted, RunStopped
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.train.checkpoint import CheckpointDamaged, normal_file_mode, read_checkpoint
from cnnstudio.project import run_records
from cnnstudio.project.run_checkpoint import (CLASSES_KEY, DAMAGED, DESIGN_KEY, NONE, WHOLE, checkpoint_marks,
                                              checkpoint_state, classes_fingerprint, damaged_sentence,
                                              design_fingerprint)
from tests.engine.test_data import make_project, tiny_spec
from tests.engine.test_runs import settings


@pytest.fixture
def stopped(tmp_path):
    """A project and a run of 3 epochs stopped after its first (a whole checkpoint of epoch 1)."""
    p = make_project(tmp_path / "proj")
    run_id = runs.create_run(p, settings(epochs=3), tiny_spec())
    stop = threading.Event()
    for ev in runs.run(p, run_id, stop=stop):
        if isinstance(ev, EpochEnd):
            stop.set()
    assert isinstance(ev, RunStopped) and ev.epoch == 1
    yield p, run_id, run_records.run_dir(p, run_id)
    p.close()


def _cut_short(path) -> None:
    os.truncate(path, 1000)


def _pickle(path) -> None:
    torch.save({"weights": torch.zeros(3)}, path)


@pytest.mark.parametrize("damage", [_cut_short, _pickle])
def test_a_damaged_checkpoint_is_said_in_one_sentence_and_the_run_trains_again_from_the_start(stopped, damage):
    p, run_id, folder = stopped
    assert checkpoint_state(folder) == WHOLE
    damage(folder / "checkpoint" / "last.safetensors")
    assert checkpoint_state(folder) == DAMAGED
    info = run_records.get_run(p, run_id)
    assert run_records.must_restart(p, info) and not run_records.can_resume(p, info)  # no Resume that cannot work
    with pytest.raises(runs.RunError) as e:
        list(runs.resume(p, run_id))
    assert str(e.value) == (f"the last checkpoint of run {run_id} is damaged, so the run cannot go on from where it "
                            "stopped: train it again from the start")
    # the trainer's own reading says the same, never "SafetensorError ... a bug in CNN Studio"
    with pytest.raises(CheckpointDamaged, match="is damaged"):
        read_checkpoint(folder / "checkpoint" / "last.safetensors")
    failed = list(runs.run(p, run_id, resume=True))[-1]
    assert isinstance(failed, RunFailed) and "is damaged" in failed.reason and "bug" not in failed.advice
    assert not failed.details
    events = list(runs.restart(p, run_id))
    assert next(ev for ev in events if isinstance(ev, RunStarted)).start_epoch == 1
    assert isinstance(events[-1], RunFinished)
    assert [m["epoch"] for m in runs.read_metrics(p, run_id)] == [1, 2, 3]
    assert checkpoint_state(folder) == WHOLE and run_records.get_run(p, run_id).status == "finished"


def test_another_runs_whole_checkpoint_copied_over_is_damaged_for_this_run_not_a_bug(stopped):
    """Review: a whole checkpoint of another design passed as whole, and resuming failed with PyTorch's
    "Error(s) in loading state_dict" and "this looks like a bug"."""
    from cnnstudio.engine.model.spec import ModelSpec
    from tests.engine.test_data import layer

    p, run_id, folder = stopped
    other_id = runs.create_run(p, settings(epochs=1), ModelSpec.create(
        8, 8, 1, [layer("conv2d", out_channels=6, kernel_size=3, padding="same"), layer("relu"), layer("flatten")]))
    assert isinstance(list(runs.run(p, other_id))[-1], RunFinished)
    other = run_records.run_dir(p, other_id) / "checkpoint"
    shutil.copy(other / "last.safetensors", folder / "checkpoint" / "last.safetensors")
    # known before resuming (the header only, no torch): no Resume offered, the window asks to train it again
    assert checkpoint_state(run_records.run_dir(p, other_id)) == WHOLE and checkpoint_state(folder) == DAMAGED
    info = run_records.get_run(p, run_id)
    assert run_records.must_restart(p, info) and not run_records.can_resume(p, info)
    failed = list(runs.run(p, run_id, resume=True))[-1]
    assert isinstance(failed, RunFailed) and failed.reason == (
        f"the last checkpoint of run {run_id} is damaged, so the run cannot go on from where it stopped: train it "
        "again from the start") and not failed.details and "bug" not in failed.advice
    events = list(runs.restart(p, run_id))
    assert isinstance(events[-1], RunFinished)
    assert checkpoint_state(folder) == WHOLE  # its own checkpoint again


def test_a_checkpoint_written_before_design_fingerprints_stays_whole(stopped):
    """Checkpoints written before they held the design's fingerprint are taken as whole, as they were then."""
    from safetensors import safe_open
    from safetensors.torch import load_file, save_file

    p, run_id, folder = stopped
    last = folder / "checkpoint" / "last.safetensors"
    with safe_open(str(last), framework="pt") as f:
        meta = f.metadata()
    assert meta[DESIGN_KEY] == design_fingerprint(folder) != ""  # the writer stores the run's design
    save_file(load_file(str(last)), str(last), metadata={k: v for k, v in meta.items() if k != DESIGN_KEY})
    assert checkpoint_state(folder) == WHOLE and run_records.can_resume(p, run_records.get_run(p, run_id))
    save_file(load_file(str(last)), str(last), metadata=dict(meta, **{DESIGN_KEY: "0" * 16}))
    assert checkpoint_state(folder) == DAMAGED  # another design's fingerprint


@pytest.mark.parametrize("classes", [("top", "middle", "bottom"), ("left", "right")])
def test_a_checkpoint_of_the_same_design_for_other_classes_is_damaged_for_this_run(stopped, tmp_path, classes):
    """Review: a checkpoint of the same design copied from a run with another number of classes (its last layer
    another shape) or other class names passed as whole; it failed at load, or went on with outputs that mean other
    classes."""
    p, run_id, folder = stopped
    other = make_project(tmp_path / "other", classes=classes)
    try:
        other_id = runs.create_run(other, settings(epochs=1), tiny_spec())
        assert isinstance(list(runs.run(other, other_id))[-1], RunFinished)
        other_folder = run_records.run_dir(other, other_id)
    finally:
        other.close()
    assert design_fingerprint(other_folder) == design_fingerprint(folder)  # the same design
    shutil.copy(other_folder / "checkpoint" / "last.safetensors", folder / "checkpoint" / "last.safetensors")
    assert checkpoint_state(other_folder) == WHOLE and checkpoint_state(folder) == DAMAGED
    info = run_records.get_run(p, run_id)
    assert run_records.must_restart(p, info) and not run_records.can_resume(p, info)
    with pytest.raises(runs.RunError) as e:
        list(runs.resume(p, run_id))
    assert str(e.value) == damaged_sentence(run_id)
    assert isinstance(list(runs.restart(p, run_id))[-1], RunFinished)
    assert checkpoint_state(folder) == WHOLE  # its own checkpoint again


def test_a_checkpoint_written_before_it_held_its_classes_stays_whole_and_resumes(stopped):
    """Checkpoints written with the design's fingerprint only (before the classes' was kept) still resume."""
    from safetensors import safe_open
    from safetensors.torch import load_file, save_file

    p, run_id, folder = stopped
    last = folder / "checkpoint" / "last.safetensors"
    with safe_open(str(last), framework="pt") as f:
        meta = f.metadata()
    assert meta[CLASSES_KEY] == classes_fingerprint(folder) != "" and meta[DESIGN_KEY] == design_fingerprint(folder)
    save_file(load_file(str(last)), str(last), metadata={k: v for k, v in meta.items() if k != CLASSES_KEY})
    assert checkpoint_state(folder) == WHOLE and run_records.can_resume(p, run_records.get_run(p, run_id))
    events = list(runs.resume(p, run_id))
    assert next(ev for ev in events if isinstance(ev, RunStarted)).start_epoch == 2
    assert isinstance(events[-1], RunFinished)
    save_file(load_file(str(last)), str(last), metadata=dict(meta, **{CLASSES_KEY: "0" * 16}))
    assert checkpoint_state(folder) == DAMAGED  # other classes' fingerprint


def test_the_classes_fingerprint_follows_the_names_and_their_order(tmp_path):
    for name, classes in (("a", ["cat", "dog"]), ("b", ["dog", "cat"]), ("c", ["cat", "dog", "fox"])):
        (tmp_path / name).mkdir()
        (tmp_path / name / "dataset.json").write_text(json.dumps({"classes": classes, "images": []}))
    prints = [classes_fingerprint(tmp_path / name) for name in "abc"]
    assert len(set(prints)) == 3 and "" not in prints
    assert classes_fingerprint(tmp_path / "missing") == ""  # nothing to compare
    assert set(checkpoint_marks(tmp_path / "a")) == {CLASSES_KEY}  # no config.json: no design to compare


def test_the_design_fingerprint_ignores_how_the_json_is_laid_out():
    from cnnstudio.project.run_checkpoint import spec_fingerprint

    a = {"input": [8, 8, 1], "layers": [{"type": "conv2d", "out_channels": 4}]}
    b = {"layers": [{"out_channels": 4, "type": "conv2d"}], "input": [8, 8, 1]}
    assert spec_fingerprint(a) == spec_fingerprint(b) != spec_fingerprint(dict(a, input=[8, 8, 3]))


def test_a_run_with_no_checkpoint_left_says_it_starts_again_from_epoch_1(stopped):
    p, run_id, folder = stopped
    assert runs.resume_note(p, run_id) == ""  # a whole checkpoint: nothing to say
    shutil.rmtree(folder / "checkpoint")
    assert checkpoint_state(folder) == NONE
    assert runs.resume_note(p, run_id) == f"no checkpoint was left for run {run_id}: training starts again from epoch 1"
    events = list(runs.resume(p, run_id))
    assert next(ev for ev in events if isinstance(ev, RunStarted)).start_epoch == 1


def test_a_run_that_never_finished_an_epoch_says_nothing(tmp_path):
    p = make_project(tmp_path / "proj")
    try:
        run_id = runs.create_run(p, settings(epochs=1), tiny_spec())
        assert runs.resume_note(p, run_id) == ""
    finally:
        p.close()


def test_checkpoints_get_the_projects_normal_file_mode(stopped):
    _, _, folder = stopped
    for name in ("last.safetensors", "best.safetensors"):
        mode = stat.S_IMODE((folder / "checkpoint" / name).stat().st_mode)
        assert mode == normal_file_mode() and mode & 0o044 == normal_file_mode() & 0o044  # others may read it
    mask = os.umask(0o022)
    os.umask(mask)
    assert normal_file_mode() == 0o666 & ~mask


def test_the_windows_child_trains_a_damaged_run_again_from_the_start(stopped):
    from cnnstudio.engine.runs.child_run import run_in_child

    p, run_id, folder = stopped
    _cut_short(folder / "checkpoint" / "last.safetensors")
    events = list(run_in_child(p, run_id, restart=True))
    assert next(ev for ev in events if isinstance(ev, RunStarted)).start_epoch == 1
    assert isinstance(events[-1], RunFinished) and checkpoint_state(folder) == WHOLE


def test_a_run_training_now_is_not_restarted_or_resumed_by_a_second_process(stopped):
    """Review: '--restart' deleted the checkpoint of a run that a live process of this computer was training."""
    from cnnstudio.project.processes import this_process

    p, run_id, folder = stopped
    # the row as it looks while a live process of this computer trains the run (the window's child, a terminal)
    run_records.update_run(p, run_id, status="running", summary={run_records.PROCESS: this_process()})
    before = sorted(f.name for f in (folder / "checkpoint").iterdir())
    for attempt in (lambda: runs.clear_checkpoint(p, run_id), lambda: list(runs.restart(p, run_id)),
                    lambda: list(runs.resume(p, run_id))):
        with pytest.raises(runs.RunError, match="is training now"):
            attempt()
    assert sorted(f.name for f in (folder / "checkpoint").iterdir()) == before and before
