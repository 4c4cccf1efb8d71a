"""How a training run ends on the command line, in a real child process: SIGTERM stops it as Ctrl-C does (status
stopped, exit 143, the command that continues it, quoted to paste); a run killed before it saved a model is never
"ready to export": the advice and predict / export / evaluate say to resume it, with the command."""

from __future__ import annotations

import json
import shlex
import signal
import sys
from pathlib import Path

import pytest

from cnnstudio.project import Project, run_records
from tests.cli.helpers import ctrl_c_after, error_out, run
from tests.engine.test_data import make_project, tiny_spec

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="signals to a child process are POSIX")


def train_until(proj_dir: Path, spec: Path, epoch: int, sig: int, *extra: str) -> tuple[int, str, str]:
    """``cnnstudio train`` in a child process, sent ``sig`` once epoch ``epoch`` has ended: (exit code, stdout,
    stderr after the epoch line)."""
    settings = spec.with_name("constant.json")  # learns these pictures in a few epochs
    settings.write_text(json.dumps({"schedule": "constant", "optimizer": "adam", "lr": 0.01,
                                    "preprocess": {"height": 8, "width": 8, "channels": 1}}))
    return ctrl_c_after(["train", proj_dir, "--spec", spec, "--settings", settings, "--epochs", "300",
                         "--batch-size", "4", "--seed", "0", "--threads", "1", *extra], f"epoch {epoch}/300", ROOT,
                        sig=sig)


@pytest.fixture
def odd_dir(tmp_path):
    """A project in a folder whose name a shell would split and run in the background: 'my proj & co'."""
    make_project(tmp_path / "my proj & co").close()
    spec = tmp_path / "tiny.json"
    tiny_spec().save(spec)
    return tmp_path / "my proj & co", spec


def test_sigterm_stops_the_run_like_ctrl_c_with_the_command_that_continues_it(odd_dir):
    proj_dir, spec = odd_dir
    code, out, err = train_until(proj_dir, spec, 1, signal.SIGTERM)
    assert code == 143, err
    assert "stopping after this batch" in err and "Traceback" not in err
    line = next(ln for ln in out.splitlines() if "Continue it with: " in ln)
    command = line.split("Continue it with: ", 1)[1]
    with Project.open(proj_dir) as p:
        (r,) = run_records.list_runs(p)
    assert r.status == "stopped" and line.startswith(f"Run {r.id} stopped after epoch ")
    assert shlex.split(command) == ["cnnstudio", "train", str(proj_dir), "--resume", r.id]  # pastes as one command


def test_a_run_killed_before_saving_a_model_is_never_ready_to_export_but_resumable(odd_dir, capsys):
    proj_dir, spec = odd_dir
    code, _, err = train_until(proj_dir, spec, 12, signal.SIGKILL)
    assert code == -signal.SIGKILL
    code, listing, _ = run(capsys, "runs", proj_dir, "--json")  # a run its dead process left: failed
    (r,) = listing["runs"]
    assert r["status"] == "failed" and not (proj_dir / "runs" / r["id"] / "model").exists()
    resume = ["cnnstudio", "train", str(proj_dir), "--resume", r["id"]]

    code, out, err = run(capsys, "advise", proj_dir, "--run", r["id"], "--json")
    assert code == 0, err
    assert "good" not in [a["kind"] for a in out["advice"]]
    assert not any("export" in a["text"] and "ready" in a["text"] for a in out["advice"])
    verdict = next(a for a in out["advice"] if a["kind"] == "no_model")
    assert "Resume it from its last checkpoint" in verdict["text"] and verdict["action"]["resume"] == r["id"]
    assert "validation pictures right at epoch" in verdict["text"]  # judged on validation, not training pictures
    code, text, _ = run(capsys, "advise", proj_dir, "--run", r["id"])
    line = next(ln for ln in text.splitlines() if "--resume" in ln)
    assert shlex.split(line.split(": ", 2)[2]) == resume and "page" not in line  # a command, not the window's page

    out_zip = proj_dir.parent / "m.zip"
    for argv in (["export", proj_dir, "--run", r["id"], "--out", out_zip],
                 ["predict", proj_dir, "--run", r["id"], next((proj_dir.parent / "my proj & co-src").rglob("*.png"))],
                 ["evaluate", proj_dir, "--run", r["id"]]):
        code, out, err = run(capsys, *argv, "--json")
        assert code == 1 and error_out(out, err), argv
        assert "has no trained model yet: it failed before saving one" in err
        assert shlex.split(err.strip().rsplit(": ", 1)[1]) == resume
    assert not out_zip.exists()
