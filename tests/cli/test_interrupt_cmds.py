"""Ctrl-C before a command runs (while `cnnstudio` imports the command modules to build its parser): one line and
exit status 130, never a traceback."""

from __future__ import annotations

import cnnstudio.cli as cli
from tests.cli.helpers import run


def interrupted_while_building(monkeypatch):
    def build_parser():  # the imports of the command modules, where a Ctrl-C in the first half second lands
        raise KeyboardInterrupt
    monkeypatch.setattr(cli, "build_parser", build_parser)


def test_ctrl_c_while_the_parser_is_built_says_interrupted(monkeypatch, capsys, tmp_path):
    interrupted_while_building(monkeypatch)
    code, out, err = run(capsys, "train", tmp_path, "--epochs", "3", "--quiet")
    assert (code, out, err) == (130, "", "cnnstudio: interrupted\n")
    code, out, err = run(capsys, "info", tmp_path, "--json")
    assert code == 130 and out == {"error": "interrupted", "exit_code": 130}
