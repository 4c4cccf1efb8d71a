"""A run stopped before its first epoch ended is said so, never "stopped after epoch 0" (a real child process,
stopped by Ctrl-C as soon as it says it started)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from cnnstudio.cli.train_result import stopped_words
from cnnstudio.project import Project, run_records
from tests.cli.helpers import ctrl_c_after
from tests.engine.test_data import make_project, tiny_spec

ROOT = Path(__file__).resolve().parents[2]


def test_the_words_of_a_stop():
    assert stopped_words("r1", 3) == "Run r1 stopped after epoch 3."
    assert stopped_words("r1", 0) == stopped_words("r1", None) == "Run r1 stopped before its first epoch ended."


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process is POSIX")
def test_a_run_stopped_in_its_first_epoch_says_so(tmp_path):
    make_project(tmp_path / "proj", per_class=150).close()  # 180 training pictures, one a step: a long first epoch
    spec = tmp_path / "tiny.json"
    tiny_spec().save(spec)
    code, out, err = ctrl_c_after(["train", tmp_path / "proj", "--spec", spec, "--epochs", "5", "--batch-size", "1",
                                   "--threads", "1"], "Run ", ROOT)
    assert code == 130, err
    with Project.open(tmp_path / "proj") as p:
        (info,) = run_records.list_runs(p)
    assert info.status == "stopped" and not info.summary.get("last_epoch"), info.summary
    assert out.startswith(f"Run {info.id} stopped before its first epoch ended. Continue it with: cnnstudio train ")
    assert "epoch 0" not in out + err


def test_the_words_of_a_failure():
    from cnnstudio.cli.train_result import failed_words

    assert failed_words("r1", "the loss became NaN: training diverged.", "lower the learning rate") == (
        "Run r1 failed: the loss became NaN: training diverged. Lower the learning rate.")
    assert failed_words("r1", "the disk is full", "") == "Run r1 failed: the disk is full."
