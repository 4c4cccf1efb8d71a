"""Commands printed to be pasted (pack's, tune's) are shell-quoted and name the real folder, and tune on a read-only
project says the disk's one sentence. A project folder a shell would split and background: 'my proj & co'."""

from __future__ import annotations

import json
import shlex
import shutil
import sys
from pathlib import Path

import pytest

from tests.cli.helpers import ctrl_c_after, error_out, run
from tests.engine.test_data import make_project
from tests.engine.test_tune import settings

ROOT = Path(__file__).resolve().parents[2]
SPACE = {"epochs": 2, "params": {"lr": {"low": 1e-3, "high": 0.1, "log": True}}}


@pytest.fixture
def odd(tmp_path):
    make_project(tmp_path / "my proj & co").close()
    (tmp_path / "space.json").write_text(json.dumps(SPACE))
    (tmp_path / "settings.json").write_text(json.dumps(settings().to_json()))
    return tmp_path


def test_packs_commands_are_quoted_to_paste(odd, capsys):
    proj = odd / "my proj & co"
    code, out, err = run(capsys, "pack", proj, "--out", odd / "job x.zip", "--epochs", "1", "--quiet", "--json")
    assert code == 0, err
    assert shlex.split(out["train"]) == ["cnnstudio", "train", "job x.zip"]
    assert shlex.split(out["import"]) == ["cnnstudio", "import-run", str(proj), f"job x/runs/{out['run']}"]
    code, text, _ = run(capsys, "pack", proj, "--out", odd / "job y.zip", "--epochs", "1", "--quiet")
    train = next(ln for ln in text.splitlines() if ln.startswith("On the training machine: "))
    assert shlex.split(train.split(": ", 1)[1].split("  (")[0]) == ["cnnstudio", "train", "job y.zip"]
    back = next(ln for ln in text.splitlines() if ln.startswith("Back here: "))
    assert shlex.split(back.split(": ", 1)[1])[:3] == ["cnnstudio", "import-run", str(proj)]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process is POSIX")
def test_a_stopped_tune_says_the_command_that_continues_it_with_the_real_folder(odd):
    proj = odd / "my proj & co"
    code, out, err = ctrl_c_after(["tune", proj, "--space", odd / "space.json", "--settings", odd / "settings.json",
                                   "--threads", "1", "--trials", "50", "--study", "qa", "--no-final"],
                                  "trial ", ROOT)  # the first trial ended: Ctrl-C
    assert code == 130, err
    line = next(ln for ln in out.splitlines() if ln.startswith("stopped: continue with: "))
    assert "DIR" not in line
    assert shlex.split(line.split(": ", 2)[2]) == ["cnnstudio", "tune", str(proj), "--study", "qa"]


def test_tune_on_a_read_only_project_says_the_disks_one_sentence(odd, capsys):
    from tests.disk_helpers import remount, small_disk

    with small_disk(odd / "disk", "20m") as disk:
        shutil.copytree(odd / "my proj & co", disk / "proj")
        remount(disk, read_only=True)
        try:
            code, out, err = run(capsys, "tune", disk / "proj", "--space", odd / "space.json", "--settings",
                                 odd / "settings.json", "--trials", "1", "--json")
        finally:
            remount(disk, read_only=False)
    assert code == 1 and error_out(out, err) and err.count("\n") == 1
    assert "read-only disk" in err and "Errno" not in err and "copy it somewhere you can write" in err
