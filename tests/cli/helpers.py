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
