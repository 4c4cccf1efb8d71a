"""The command line: ``cnnstudio`` with no arguments opens the GUI; a subcommand runs the engine.

Each command module (``project_cmds``, ``model_cmds``, ``train_cmds`` ...) has ``register(sub)`` that
adds its subcommands; a handler takes the parsed ``args`` and returns an exit code. Conventions:

- ``--json``: print exactly one JSON object on stdout (use :func:`emit`); progress goes to stderr.
- Bad input: raise :class:`CliError` (or a ``ProjectError``/``ValueError``): one line on stderr, exit 1 (a bad
  option value, :class:`common.UsageError`: exit 2, the rule in common.py's doc); with
  ``--json`` also ``{"error": ..., "exit_code": ...}`` on stdout unless the command printed its object already
  (usage errors too, exit 2): a script reading stdout always gets one object, and a non-zero exit's object always
  has ``"error"`` and ``"exit_code"`` (``emit(..., exit_code=...)``).
- An empty word ("" or spaces) given for a folder, a file, a name or a run is a usage error
  (:func:`common.refuse_empty`), never the current folder or the option left out.
- A run is named by its id or its name (:func:`common.named_run`); without one, predict and export use the run
  evaluate, advise, report and the window use (:func:`common.model_run_in`); a project folder is told by
  :func:`common.is_project_folder`; a file is written only into a folder that is there
  (:func:`common.check_out_folder`; a folder given for a file: :func:`common.check_out_file`).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sqlite3
import sys

from .. import __version__
from . import common
from .common import CliError, CommandParser, OneLineParser, emit_error

COMMAND_MODULES = ["project_cmds", "picture_cmds", "model_cmds", "train_cmds", "use_cmds", "remote_cmds", "doctor_cmds", "tune_cmds", "lr_find_cmds", "report_cmds"]


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="cnnstudio",
        description="CNN Studio: train a convolutional neural network on your own pictures. "
        "Without a command, opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"cnnstudio {__version__}")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation end to end, headless, in a temporary folder, and exit "
                             "(0: everything works); add --json for one JSON summary")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=CommandParser)
    gui = sub.add_parser("gui", help="open the desktop app (the default)",
                         description="Open the desktop app, on a project folder or the bundled sample project. "
                                     "'cnnstudio' alone and 'cnnstudio PROJECT' do the same.")
    gui.add_argument("project", nargs="?", help="a project folder to open")
    gui.add_argument("--sample", action="store_true", help="open the bundled sample project")
    gui.set_defaults(func=_run_gui)
    gui.own_extras = False  # `cnnstudio --bogus` is told to see 'cnnstudio --help', not 'cnnstudio gui --help'
    for name in COMMAND_MODULES:
        importlib.import_module(f".{name}", __name__).register(sub)
    from .examples import add_examples

    add_examples(sub.choices)  # an "Example:" line at the end of the main commands' --help
    return parser


def _run_gui(args) -> int:
    from ..ui.app import run_gui  # the only place outside ui/ that imports it

    return run_gui(project=args.project, sample=args.sample)


CHILD_COMMAND = "_train-child"  # = cnnstudio.engine.runs.child_run.CHILD_COMMAND (not imported: no engine at start-up)
TUNE_CHILD_COMMAND = "_tune-child"  # = cnnstudio.engine.tune.child.CHILD_COMMAND
EXPORT_CHILD_COMMAND = "_export-child"  # = cnnstudio.engine.runs.export_child.CHILD_COMMAND


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return _main(argv)
    except KeyboardInterrupt:  # Ctrl-C before a command runs (importing its modules while the parser is built)
        if argv and argv[0] in (CHILD_COMMAND, TUNE_CHILD_COMMAND):
            raise
        return _interrupted(any(len(a) > 3 and "--json".startswith(a) for a in argv))


def _interrupted(json_wanted: bool) -> int:
    if json_wanted:
        return emit_error(True, "interrupted", 130)
    print("cnnstudio: interrupted", file=sys.stderr)
    return 130


def _action_comes_first(parser: argparse.ArgumentParser, argv: list[str]) -> None:
    """A command with actions of its own (``cnnstudio class rename DIR OLD NEW``) given its project folder first
    (``cnnstudio class DIR rename OLD NEW``): a usage error that says the order, with the command line put right,
    not argparse's "invalid choice: 'DIR'". Only a word that names a folder (it exists, or looks like a path) is
    taken for one, so a mistyped action keeps argparse's list of the actions."""
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    command = commands.get(argv[0]) if argv else None
    actions = next((a for a in getattr(command, "_actions", []) if isinstance(a, argparse._SubParsersAction)), None)
    if actions is None or len(argv) < 3:
        return
    first = argv[1]
    if first in actions.choices or first.startswith("-"):
        return
    if not (os.path.isdir(first) or any(c in first for c in "/\\.~")):
        return
    at = next((i for i, word in enumerate(argv[2:], 2) if word in actions.choices), None)
    if at is None:
        return
    right = common.shell_command("cnnstudio", argv[0], argv[at], first, *argv[2:at], *argv[at + 1:])
    command.error(f"the action comes first: {right}")


def _main(argv: list[str]) -> int:
    if "--self-test" in argv and argv[0].startswith("-"):  # `cnnstudio --self-test [--json] [--keep DIR]`
        from ..selftest import main as self_test

        return self_test([a for a in argv if a != "--self-test"])
    if argv and argv[0] == CHILD_COMMAND:  # the GUI's training process (engine/runs/child_run.py), not for people
        from ..engine.runs.child_run import child_main

        return child_main(argv[1:])
    if argv and argv[0] == TUNE_CHILD_COMMAND:  # the GUI's search process (engine/tune/child.py)
        from ..engine.tune.child import child_main as tune_child_main

        return tune_child_main(argv[1:])
    if argv and argv[0] == EXPORT_CHILD_COMMAND:  # the GUI's export process (engine/runs/export_child.py)
        from ..engine.runs.export_child import child_main as export_child_main

        return export_child_main(argv[1:])
    common._emitted = False
    OneLineParser.json_wanted = any(len(a) > 3 and "--json".startswith(a) for a in argv)  # argparse takes --js too
    parser = build_parser()
    commands = set(parser._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    if not argv or (argv[0] not in commands and argv[0] not in ("-h", "--help", "--version")):
        first = argv[0] if argv else "-"
        if not first.startswith("-") and not any(c in first for c in "/\\.~") and not os.path.exists(first):
            import difflib  # `cnnstudio trian p1`: a mistyped command, not a project to open in the window

            near = difflib.get_close_matches(first, sorted(commands), n=1)
            parser.error(f"'{first}' is neither a command nor a project folder"
                         + (f": did you mean 'cnnstudio {near[0]}'?" if near else ""))
        argv = ["gui", *argv]  # `cnnstudio`, `cnnstudio PROJECT`, `cnnstudio --sample`
    _action_comes_first(parser, argv)
    args = parser.parse_args(argv)
    # "" for a folder, a file or a name: refused in one sentence, never taken for "." or for none (the chosen
    # command's own arguments: refuse_empty walks into it)
    common.refuse_empty(parser, args)
    from ..project.errors import ProjectError

    json_wanted = bool(getattr(args, "json", False))
    try:
        return int(args.func(args) or 0)
    except (CliError, ProjectError, ValueError) as e:
        code = e.exit_code if isinstance(e, CliError) else 1  # a bad option value (UsageError): 2, as argparse's
        return emit_error(json_wanted, str(e), code, getattr(e, "details", "") if isinstance(e, CliError) else "")
    except (OSError, sqlite3.OperationalError) as e:  # a write the command did not word itself: the disk's sentence
        from pathlib import Path

        from ..project.disk import disk_error, project_root_of

        where = getattr(args, "dir", None) or getattr(args, "project", None) or getattr(args, "out", None) or "."
        what = f"run 'cnnstudio {args.command}'" if getattr(args, "command", None) else "do this"
        return emit_error(json_wanted, disk_error(e, project_root_of(Path(where)), what), 1)
    except KeyboardInterrupt:
        return _interrupted(json_wanted)
