"""QA cli #9, #10: every command of project_cmds, picture_cmds, model_cmds and report_cmds has a description, every
positional a help, the project folder is one `DIR` with one help (common.PROJECT_DIR), and a run option is
`RUN_ID`; split's one-liner says what it does in plain words and its description says what it keeps."""

from __future__ import annotations

import argparse
import importlib

import pytest

from cnnstudio.cli import main
from cnnstudio.cli.common import PROJECT_DIR, CommandParser
from tests.cli.test_saved_pages_help import help_text

MODULES = ["project_cmds", "picture_cmds", "model_cmds", "report_cmds"]


def _parsers(module: str):
    """(name, parser) of each command the module registers, an action of `class` as `class add`."""
    top = argparse.ArgumentParser()
    sub = top.add_subparsers(parser_class=CommandParser)
    importlib.import_module(f"cnnstudio.cli.{module}").register(sub)
    for name, parser in sub.choices.items():
        actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        yield from ((f"{name} {n}", p) for a in actions for n, p in a.choices.items())
        if not actions:
            yield name, parser


@pytest.mark.parametrize("module", MODULES)
def test_every_command_has_a_description_and_every_argument_a_help(module):
    seen = list(_parsers(module))
    assert seen
    for name, parser in seen:
        assert parser.description and parser.description.endswith("."), name
        for a in parser._actions:
            if a.dest == "dir" or a.dest == "help":
                continue
            assert a.help, f"{name}: {a.dest} has no help"
        dirs = [a for a in parser._actions if a.dest == "dir"]
        if name != "new":  # new's folder is the one it makes
            assert all((a.metavar, a.help) == (PROJECT_DIR["metavar"], PROJECT_DIR["help"]) for a in dirs), name
        runs = [a for a in parser._actions if a.dest == "run"]
        assert all(a.metavar == "RUN_ID" for a in runs), name


def test_split_says_in_plain_words_what_it_keeps(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    top = " ".join(capsys.readouterr().out.split())
    assert ("split put labelled pictures in train / validation / test, the same share of each class in each; "
            "copies of a picture stay together") in top
    assert "stratified" not in top
    text = help_text(capsys, "split")
    assert "Copies and near copies of a picture are kept together in one split" in text
    assert "The test pictures you already have are kept (unless --resplit-test)" in text
    assert "usage: cnnstudio split [-h] [--ratios RATIOS]" in text and " DIR" in text
