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

MODULES = ["project_cmds", "import_cmds", "picture_cmds", "model_cmds", "report_cmds"]


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


def test_every_command_names_the_folder_dir_and_takes_a_run_one_way():
    """Across every command module: the project folder (or job) positional is `DIR`, a plain project folder with the
    one help, and every option that takes a run says it takes its id or its name (common.RUN_WORDS)."""
    from cnnstudio.cli import COMMAND_MODULES
    from cnnstudio.cli.common import RUN_WORDS

    run_options = {"run", "resume", "restart", "rename", "delete", "design", "save_design"}
    seen_runs = set()
    for module in COMMAND_MODULES + ["evaluate_cmds", "runs_cmds"]:
        for name, parser in _parsers(module):
            for a in parser._actions:
                if a.dest == "dir":
                    assert a.metavar == "DIR", name
                    if "job" not in a.help and name != "new":
                        assert a.help == PROJECT_DIR["help"], name
                if a.dest in run_options and a.metavar and "RUN_ID" in a.metavar:
                    assert RUN_WORDS in a.help, f"{name} {a.option_strings}"
                    seen_runs.add(f"{name} {a.dest}")
    assert {"predict run", "export run", "evaluate run", "advise run", "report run", "train resume",
            "train restart", "runs delete", "runs design"} <= seen_runs
