"""Running the CLI in-process in tests."""

from __future__ import annotations

import json

from cnnstudio.cli import main


def run(capsys, *argv) -> tuple[int, dict | str, str]:
    """``cnnstudio ARGV``: (exit code, the parsed JSON object with --json else stdout, stderr).
    With --json, stdout must be exactly one line."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    if "--json" in argv and out.strip():
        lines = out.strip().splitlines()
        assert len(lines) == 1, f"--json must print exactly one line, got {out!r}"
        return code, json.loads(lines[0]), err
    return code, out, err


def error_out(out: dict | str, err: str) -> bool:
    """What stdout holds after a failed command: nothing, or with --json the one error object that says
    stderr's sentence again."""
    if out == "":
        return True
    return (isinstance(out, dict) and set(out) == {"error", "exit_code"} and out["exit_code"] != 0
            and err.strip().endswith(f"error: {out['error']}"))


def ctrl_c_after(argv, line_start: str, cwd, sig=None) -> tuple[int, str, str]:
    """``cnnstudio ARGV`` in a child process, Ctrl-C (SIGINT, or ``sig``) once a stderr line starts with
    ``line_start``: (exit code, stdout, the rest of stderr)."""
    import os
    import signal
    import subprocess
    import sys

    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(cwd)}
    child = subprocess.Popen([sys.executable, "-m", "cnnstudio", *(str(a) for a in argv)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env, cwd=cwd)
    try:
        for line in child.stderr:
            if line.startswith(line_start):
                child.send_signal(signal.SIGINT if sig is None else sig)
                break
        out, err = child.communicate(timeout=120)
    finally:
        if child.poll() is None:
            child.kill()
    return child.returncode, out, err


def usage_error(capsys, *argv) -> tuple[int, dict | str, str]:
    """``cnnstudio ARGV`` refused as a usage error (argparse's exit 2, a SystemExit in-process): (exit code, the
    parsed JSON object with --json else stdout, stderr)."""
    import pytest

    with pytest.raises(SystemExit) as e:
        main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return e.value.code, (json.loads(out) if "--json" in argv and out.strip() else out), err


def split_project(capsys, tmp_path, per_class: int = 8):
    """A project made through the CLI (new, import of two class folders, split), ready to train: its folder."""
    from tests.conftest import write_dataset

    proj = tmp_path / "p"
    assert run(capsys, "new", proj, "--json")[0] == 0
    assert run(capsys, "import", proj, write_dataset(tmp_path / "src", per_class=per_class), "--labels-from-folders",
               "--quiet")[0] == 0
    assert run(capsys, "split", proj)[0] == 0
    return proj
