"""A run left "running" by a process that has ended (killed, or a disk too full to record even the failure) is
marked failed with the reason when the project is next listed or opened; live and other computers' runs are not."""

from __future__ import annotations

import json
import os
import socket
import struct
import subprocess
import sys

from cnnstudio.project import Project, run_abandoned, run_records
from cnnstudio.project.processes import alive, gone, this_process


def _ended_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_gone_knows_only_this_computers_ended_processes():
    dead = _ended_pid()
    host = socket.gethostname()
    assert not alive(dead) and alive(os.getpid())
    assert gone(f"{host}:{dead}")
    assert not gone(this_process())  # ourselves
    assert not gone(f"another-computer-{host}:{dead}")  # nothing is known of another computer's processes
    assert not gone("") and not gone("not a process")


def _running(project, run_id, process):
    run_records.add_run(project, run_id, "r", status="created")
    run_records.update_run(project, run_id, status="running", summary={run_records.PROCESS: process})


def test_settle_marks_only_abandoned_runs_failed_with_the_reason(tmp_path):
    p = Project.create(tmp_path / "p")
    host = socket.gethostname()
    _running(p, "20260101-000000-aaaa", f"{host}:{_ended_pid()}")
    _running(p, "20260101-000000-bbbb", this_process())
    _running(p, "20260101-000000-cccc", f"elsewhere:{os.getpid()}")
    run_records.add_run(p, "20260101-000000-dddd", "old", status="running")  # before processes were recorded
    assert run_abandoned.settle_abandoned(p) == ["20260101-000000-aaaa"]
    dead = run_records.get_run(p, "20260101-000000-aaaa")
    assert dead.status == "failed" and dead.summary["error"] == (
        "the training stopped unexpectedly (stopped by force, the project folder moved or renamed, or the disk too "
        "full to record why); no checkpoint was saved, so resuming starts again from epoch 1")
    assert dead.summary["last_epoch"] == 0  # where Resume goes on (a killed run with a checkpoint: test_killed_run_words)
    assert {r.id: r.status for r in run_records.list_runs(p)} == {
        "20260101-000000-aaaa": "failed", "20260101-000000-bbbb": "running", "20260101-000000-cccc": "running",
        "20260101-000000-dddd": "running"}
    assert run_abandoned.settle_abandoned(p) == []  # once


def test_cnnstudio_runs_shows_an_abandoned_run_as_failed(tmp_path):
    p = Project.create(tmp_path / "p")
    _running(p, "20260101-000000-aaaa", f"{socket.gethostname()}:{_ended_pid()}")
    p.close()
    out = subprocess.run([sys.executable, "-m", "cnnstudio", "runs", str(tmp_path / "p"), "--json"],
                         capture_output=True, text=True, check=True).stdout
    runs = json.loads(out)["runs"]
    assert [(r["id"], r["status"]) for r in runs] == [("20260101-000000-aaaa", "failed")]


def test_a_run_a_live_process_trains_cannot_be_deleted(tmp_path):
    import pytest

    from cnnstudio.project import ProjectError

    p = Project.create(tmp_path / "p")
    host = socket.gethostname()
    trainer = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        _running(p, "20260101-000000-aaaa", f"{host}:{trainer.pid}")  # a 'cnnstudio train' in another terminal
        with pytest.raises(ProjectError, match="is training now .* stop it first, then delete it"):
            run_records.delete_run(p, "20260101-000000-aaaa")
        assert run_records.find_run(p, "20260101-000000-aaaa") is not None
    finally:
        trainer.communicate(b"")
    run_records.delete_run(p, "20260101-000000-aaaa")  # its process has ended: nothing trains it any more
    _running(p, "20260101-000000-cccc", f"elsewhere:{os.getpid()}")  # another computer's: nothing is known
    run_records.delete_run(p, "20260101-000000-cccc")
    assert run_records.list_runs(p) == []
    p.close()


def test_the_rules_for_a_model_and_for_resume(tmp_path):
    p = Project.create(tmp_path / "p")
    run_records.add_run(p, "20260101-000000-aaaa", "r", status="stopped")
    folder = run_records.run_dir(p, "20260101-000000-aaaa")
    info = run_records.get_run(p, "20260101-000000-aaaa")
    assert not run_records.can_resume(p, info)  # no folder, no checkpoint: nothing to go on from
    (folder / run_records.CHECKPOINT_DIR).mkdir(parents=True)
    assert not run_records.can_resume(p, info)
    last = folder / run_records.CHECKPOINT_DIR / "last.safetensors"
    last.write_bytes(b"x")  # cut short: a resume cannot go on from it, the run is trained again from the start
    assert not run_records.can_resume(p, info) and run_records.must_restart(p, info)
    header = json.dumps({"__metadata__": {"cnnstudio_checkpoint": "1"},
                         "w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}).encode()
    last.write_bytes(struct.pack("<Q", len(header)) + header + b"\0" * 4)  # a whole one
    assert run_records.can_resume(p, info) and not run_records.must_restart(p, info)
    assert not run_records.has_model(p, info.id)
    for status in ("finished", "running"):
        run_records.update_run(p, info.id, status=status)
        assert not run_records.can_resume(p, run_records.get_run(p, info.id))
    (folder / run_records.MODEL_DIR).mkdir()
    assert run_records.has_model(p, info.id)
    p.close()


def test_a_missing_runs_words_have_no_placeholder_and_the_window_gets_its_own(tmp_path):
    """Review: the Train page's tooltip said "'cnnstudio runs PROJECT_FOLDER --delete ID'" (a placeholder to fill in
    and a command in the window)."""
    window = run_records.files_missing_sentence("20260101-000000-aaaa")
    assert window.endswith("delete it with Delete in the runs list") and "cnnstudio" not in window
    both = run_records.files_missing_sentence("20260101-000000-aaaa", folder=tmp_path / "my project")
    assert f"cnnstudio runs '{tmp_path / 'my project'}' --delete 20260101-000000-aaaa" in both
    assert "PROJECT_FOLDER" not in both + window
