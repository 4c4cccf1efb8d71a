"""``cnnstudio --self-test``: the installation checked end to end, as the bundle build runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cnnstudio.selftest import STEPS, needs_offscreen

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_self_test_passes_every_step(tmp_path):
    env = {**os.environ, "CNNSTUDIO_SETTINGS": str(tmp_path / "user-settings.ini"),
           "CNNSTUDIO_DATA_DIR": str(tmp_path / "user-data"), "TMPDIR": str(tmp_path)}
    env.pop("QT_QPA_PLATFORM", None)  # the self-test chooses offscreen by itself when there is no display
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    proc = subprocess.run([sys.executable, "-m", "cnnstudio", "--self-test", "--json"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = json.loads(proc.stdout)  # exactly one JSON object on stdout
    assert summary["ok"] is True and summary["failed_step"] is None
    assert [s["name"] for s in summary["steps"]] == [name for name, _ in STEPS]
    assert all(s["ok"] for s in summary["steps"]), summary["steps"]
    main_window = summary["steps"][-1]
    assert "offscreen" in main_window["detail"]
    # the step lines went to stderr, one per step
    assert sum(1 for line in proc.stderr.splitlines() if line.startswith("  ok ")) == len(STEPS)
    # nothing was left behind, and the user's settings and data folder were not touched
    assert not list(tmp_path.glob("cnnstudio-selftest-*"))
    assert not (tmp_path / "user-settings.ini").exists() and not (tmp_path / "user-data").exists()


def test_a_failing_step_is_named_and_exits_non_zero(monkeypatch, capsys, tmp_path):
    from cnnstudio import selftest

    def broken(ctx):
        raise OSError("the disk said no")

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(selftest.tempfile, "tempdir", None)
    monkeypatch.setattr(selftest, "STEPS", [("resources", selftest.step_resources), ("import", broken),
                                            ("train", selftest.step_train)])
    assert selftest.main(["--json"]) == 1
    out, err = capsys.readouterr()
    summary = json.loads(out)
    assert summary["ok"] is False and summary["failed_step"] == "import"
    assert summary["error"] == "OSError: the disk said no"
    assert [s["name"] for s in summary["steps"]] == ["resources", "import"]  # stopped at the failure
    assert "self-test failed at step 'import': OSError: the disk said no" in err
    assert not list(tmp_path.glob("cnnstudio-selftest-*"))


def test_offscreen_only_without_a_display():
    assert needs_offscreen({}, "linux")
    assert not needs_offscreen({"DISPLAY": ":0"}, "linux")
    assert not needs_offscreen({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert not needs_offscreen({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert not needs_offscreen({}, "win32")
    assert not needs_offscreen({}, "darwin")
