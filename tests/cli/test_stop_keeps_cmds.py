"""Ctrl-C keeps what was done and says it (QA cli): a second (and third) Ctrl-C during ``train --json`` still says
the run's id and the command that resumes it; Ctrl-C during ``predict --csv`` writes the CSV of the pictures
classified so far and exits 130; every such exit's JSON has "error" and "exit_code" (cli/common.py's rule)."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from cnnstudio.project import Project, run_records
from tests.conftest import write_image
from tests.engine.test_data import make_project, tiny_spec
from tests.engine.test_predict import make_bundle

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="signals to a child process are POSIX")


def interrupt(argv, line_start: str, times: int, then: str = "") -> tuple[int, str, str]:
    """``cnnstudio ARGV`` in a child process: SIGINT once a stderr line starts with ``line_start``, and ``times - 1``
    more once a line starts with ``then``: (exit code, stdout, stderr)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-m", "cnnstudio", *(str(a) for a in argv)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    seen = []
    try:
        waiting = line_start
        for line in child.stderr:
            seen.append(line)
            if waiting and line.lstrip("\n").startswith(waiting):
                child.send_signal(signal.SIGINT)
                if waiting == line_start and times > 1:
                    for _ in range(times - 1):  # the second one at once, while the run stops: it aborts
                        child.send_signal(signal.SIGINT)
                    waiting = ""
                else:
                    waiting = ""
        out, err = child.communicate(timeout=120)
    finally:
        if child.poll() is None:
            child.kill()
    return child.returncode, out, "".join(seen) + err


def test_ctrl_c_pressed_again_and_again_still_says_the_run_and_how_to_resume_it(tmp_path):
    make_project(tmp_path / "my proj").close()
    spec = tmp_path / "tiny.json"
    tiny_spec().save(spec)
    code, out, err = interrupt(["train", tmp_path / "my proj", "--spec", spec, "--epochs", "300", "--batch-size", "1",
                                "--threads", "1", "--json"], "epoch 2/300", times=3)
    assert code == 130, err
    assert "Traceback" not in err
    obj = json.loads(out)  # one object, never the bare {"error": "interrupted"}
    with Project.open(tmp_path / "my proj") as p:
        (r,) = run_records.list_runs(p)
    assert obj["run"] == r.id and obj["status"] == "stopped" and r.status == "stopped"
    assert obj["resume"] == f"cnnstudio train '{tmp_path / 'my proj'}' --resume {r.id}"
    assert obj["exit_code"] == 130 and obj["error"].startswith(f"Run {r.id} stopped after epoch ")


def test_ctrl_c_during_predict_keeps_the_csv_of_the_pictures_done(tmp_path):
    bundle = make_bundle(tmp_path / "model.zip")
    for i in range(600):
        write_image(tmp_path / "pics" / f"p{i:03d}.png", (i % 256, 40, 90), size=(10, 10))
    out_csv = tmp_path / "p p.csv"
    argv = ["predict", bundle, tmp_path / "pics", "--csv", out_csv, "--batch-size", "2", "--device", "cpu"]
    code, out, err = interrupt([*argv, "--json"], "Predicting: 60/", times=1)
    assert code == 130, err
    obj = json.loads(out)
    done = len(obj["predictions"])
    assert 60 <= done < 600 and obj["stopped"] is True and (obj["done"], obj["total"]) == (done, 600)
    said = f"stopped after {done:,} of 600 pictures: their predictions are in {out_csv}"
    assert obj["error"] == said and obj["exit_code"] == 130 and obj["csv"] == str(out_csv)
    with open(out_csv, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert len(rows) == 1 + done
    out_csv.unlink()
    code, out, err = interrupt(argv, "Predicting: 60/", times=1)  # without --json: the sentence ends the list
    assert code == 130, err
    last = out.strip().splitlines()[-1]
    assert last.startswith("Stopped after ") and last.endswith(f" of 600 pictures: their predictions are in {out_csv}.")
    with open(out_csv, newline="", encoding="utf-8-sig") as f:
        assert len(list(csv.reader(f))) == 1 + int(last.split()[2].replace(",", ""))
