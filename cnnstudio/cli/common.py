"""Shared pieces of the command line: one-line errors, JSON output, a progress bar on stderr.

Exit codes, the one rule: 0 done; 1 an error: something that does not exist or cannot be done (no such run, a
file that is not there, nothing to import, a design with mistakes); 2 a usage error: the command line itself is
wrong, a word argparse cannot read (``--epochs abc``) or a value out of an option's range (``--epochs -1``,
``--threads 0``, ``--folds 1``: :class:`UsageError`, from :func:`check_at_least` and :func:`option_error`); 130
stopped by Ctrl-C (143 by SIGTERM), keeping what was done. With ``--json`` every non-zero exit prints one object
with ``"error"`` (one sentence) and ``"exit_code"`` (the process's), keeping the command's own keys
(:func:`emit` with ``exit_code``, :func:`emit_error`).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any, NoReturn


class CliError(Exception):
    """Bad input on the command line: printed as one line, exit status 1. ``details``: the technical words behind
    the sentence (a model file's :attr:`~cnnstudio.engine.use.bundle.BundleError.details`: which weights differ and
    how), said only in ``--json``'s error object as ``"details"``: the sentence stays one line."""

    exit_code = 1

    def __init__(self, message: str = "", details: str = ""):
        super().__init__(message)
        self.details = details


class UsageError(CliError):
    """A bad value for an option (``--epochs -1``, ``--threads 0``): a usage error, exit status 2, as argparse's own
    ``--epochs abc`` (the rule: this module's doc)."""

    exit_code = 2


def engine_error(e: BaseException) -> CliError:
    """``e`` (an EngineError) as the command's error: its sentence, and its ``details`` where it has them, or where
    the error it was raised from has them (a run not imported because its model does not fit its design: jobs.py
    words the sentence, the model's BundleError holds the details)."""
    details = getattr(e, "details", "") or getattr(e.__cause__ or e.__context__, "details", "")
    return CliError(str(e), details if isinstance(details, str) else "")


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (``cnnstudio: error: ...``) and exit status 2."""

    def error(self, message: str) -> NoReturn:
        if self.json_wanted:  # a script asked for JSON: it gets one object on stdout here too
            sys.stdout.write(json.dumps({"error": f"{message} (see '{self.prog} --help')", "exit_code": 2},
                                        ensure_ascii=False) + "\n")
            sys.stdout.flush()
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")

    json_wanted = False  # set by cli.main() for each command line it parses: does it hold --json?


class CommandParser(OneLineParser):
    """A command's parser (``cnnstudio info``): an option it does not know is its own error, pointing to
    ``cnnstudio info --help``, not left for the top parser to say with ``cnnstudio --help``. ``gui``, the
    command a bare ``cnnstudio --bogus`` runs, leaves it to the top parser (``own_extras = False``)."""

    own_extras = True

    def parse_known_args(self, args=None, namespace=None):
        namespace, extras = super().parse_known_args(args, namespace)
        if extras and self.own_extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return namespace, extras


def option_error(error: Exception, word: str, option: str) -> CliError:
    """A rule's sentence said on the command line, naming the option as typed: the engine's or the project's
    "folds must be from 2 to 20, not 1" (the words the window also shows) as "--folds must be from 2 to 20, not 1"
    when the sentence starts with ``word`` (a bad value of the option: :class:`UsageError`, exit 2); any other
    sentence as it is (exit 1)."""
    text = str(error)
    if text == word or text.startswith((word + " ", word + ":")):
        return UsageError(option + text[len(word):])
    return CliError(text)


def refuse_empty(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """The one rule of an empty word on a command line ("" or spaces: often a shell variable that was not set): a
    usage error that names it (exit 2), never taken for the current folder (``predict p ""`` classified every
    picture under it), for no option (``--csv ""`` wrote no CSV, ``train --resume ""`` trained a new run) or for a
    default (``export --out ""``, ``evaluate --run ""`` the best run)."""
    for a in parser._actions:
        value = getattr(args, a.dest, None)
        if isinstance(a, argparse._SubParsersAction):  # `class add DIR NAME`: the action's own arguments
            if isinstance(value, str) and value in a.choices:
                refuse_empty(a.choices[value], args)
            continue
        if value == a.default:  # left out (pack's --name ""): the command's own default
            continue
        if any(isinstance(v, str) and not v.strip() for v in (value if isinstance(value, list) else [value])):
            what = a.option_strings[-1] if a.option_strings else (a.metavar or a.dest.upper())
            parser.error(f"{what} cannot be empty")


#: every command's project folder positional, one metavar and one help: ``p.add_argument("dir", **PROJECT_DIR)``
PROJECT_DIR = {"metavar": "DIR", "help": "the project folder"}


def check_at_least(value: int | None, name: str, minimum: int) -> None:
    """The one range rule of a count option: ``--limit must be 0 or more, not -1`` (None: not given); a usage
    error (:class:`UsageError`, exit 2)."""
    if value is not None and value < minimum:
        raise UsageError(f"{name} must be {minimum} or more, not {value}")


MAX_JSON_BYTES = 10 * 2**20  # a settings, space or spec file is a few kilobytes


def read_json_file(path, what: str = ""):
    """The JSON value in the file ``path`` (``--settings``, ``--space``...), or CliError with one sentence: not
    there, not a file (``/dev/zero`` would be read for ever), too large, not JSON. ``what``: "search space"."""
    import os
    import stat

    named = f"the {what} {path}" if what else str(path)
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            raise CliError(f"{named} is not an ordinary file")
        if st.st_size > MAX_JSON_BYTES:
            raise CliError(f"{named} is {st.st_size:,} bytes: too large for a JSON settings file")
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as e:
        raise CliError(f"cannot read {named}: {e.strerror or e}") from None
    except UnicodeDecodeError:
        raise CliError(f"{named} is not a text file (JSON)") from None
    except json.JSONDecodeError as e:
        raise CliError(f"{named} is not valid JSON ({e.msg} at line {e.lineno})") from None


def add_json_flag(p: argparse.ArgumentParser, more: str = "") -> None:
    """``--json``; ``more``: what the object holds that its help says too (after a semicolon)."""
    p.add_argument("--json", action="store_true",
                   help="print exactly one JSON object on stdout" + (f"; {more}" if more else ""))


_emitted = False  # whether this command has printed its one object (emit_error then prints none)


def failure_object(obj: dict, exit_code: int, error: str = "") -> dict:
    """``obj`` as a command that exits ``exit_code`` prints it with --json: a non-zero exit has ``"error"`` (its own,
    else ``error``) and ``"exit_code"``, its other keys kept (the rule: this module's doc)."""
    if not exit_code:
        return obj
    said = obj.get("error") if isinstance(obj.get("error"), str) and obj.get("error") else error
    return {**obj, "error": said or f"the command ended with exit status {exit_code}", "exit_code": exit_code}


def emit(args: argparse.Namespace, obj: dict, text: str | None = None, exit_code: int = 0, error: str = "") -> None:
    """Print ``obj`` as JSON with ``--json``, else ``text`` (or a readable rendering of obj). A command that then
    exits non-zero passes its ``exit_code`` and, unless ``obj`` has its own ``"error"``, the sentence that says why
    (``error``): the object gets both (:func:`failure_object`)."""
    global _emitted
    _emitted = True
    if getattr(args, "json", False):
        obj = failure_object(obj, exit_code, error)
        sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write((text if text is not None else json.dumps(obj, indent=2, ensure_ascii=False)) + "\n")
    sys.stdout.flush()


def emit_error(json_wanted: bool, message: str, exit_code: int, details: str = "") -> int:
    """A command that ends in an error: the one line on stderr and, with ``--json`` where the command printed no
    object yet, ``{"error": ..., "exit_code": ...}`` on stdout (with ``"details"``, the technical words behind the
    sentence, where there are some: :class:`CliError`), so a script reading stdout always gets one object.
    Returns ``exit_code``."""
    print(f"cnnstudio: error: {message}", file=sys.stderr)
    if json_wanted and not _emitted:
        obj = {"error": message, "exit_code": exit_code, **({"details": details} if details else {})}
        sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return exit_code


def shell_command(*words) -> str:
    """A command line to paste into a shell: every word quoted as it needs (a folder with spaces or '&')."""
    import shlex

    return " ".join(shlex.quote(str(w)) for w in words)


def resume_command(folder, run_id: str) -> str:
    """``cnnstudio train FOLDER --resume RUN_ID``, quoted to paste."""
    return shell_command("cnnstudio", "train", folder, "--resume", run_id)


def is_project_folder(path) -> bool:
    """The one rule of every command for "this path is a project folder" (a folder with its project.db:
    :func:`cnnstudio.project.store.is_project`), as against a model bundle, a job or a folder of pictures."""
    from pathlib import Path

    from ..project.store import is_project

    return Path(path).is_dir() and is_project(Path(path))


RUN_WORDS = "its id, or its name when no other run has it"  # how every command's run option says what it takes


def named_run(project, word: str, option: str = "--run"):
    """The run an option names (``--run``, ``--resume``, ``runs --delete``...): its id, or the name of exactly one run
    (:func:`cnnstudio.project.run_records.resolve_run`, the one rule, with its one sentence for an unknown run); an
    empty word is refused rather than taken for "no option" (on the command line :func:`refuse_empty` says it first)."""
    from ..project import run_records

    if not word.strip():
        raise CliError(f"{option} needs a run id or name: 'cnnstudio runs DIR' lists them")
    return run_records.resolve_run(project, word)


def model_run_in(folder, word: str | None, option: str = "--run") -> str | None:
    """The id of the run of the project folder ``folder`` whose model predict and export use: the run ``word`` names
    (:func:`named_run`), else the one evaluate, advise, report and the Predict page's Model box use
    (:func:`cnnstudio.engine.runs.lifecycle.pick_run`: the best run, else the newest with a model; with its one sentence
    when there is none). ``word`` as given when ``folder`` is not a project (a bundle: with --run, the command says
    that --run needs a project)."""
    if not is_project_folder(folder):
        return word
    from ..engine.errors import EngineError
    from ..engine.runs.lifecycle import pick_run
    from ..project import Project

    with Project.open(folder, read_only=True) as project:
        if word is not None:
            return named_run(project, word, option).id
        try:
            return pick_run(project).id
        except EngineError as e:
            raise CliError(str(e)) from None


def check_out_folder(path) -> None:
    """The one rule of every file a command writes (export's and pack's --out, report's, predict's --csv, runs
    --save-design): the folder it goes in must be there; a mistyped folder is refused in one sentence, never made."""
    from pathlib import Path

    from ..engine.use.export_paths import missing_folder

    missing = missing_folder(Path(path))
    if missing:
        raise CliError(missing)


def check_out_file(path, example: str) -> None:
    """:func:`check_out_folder` for a command's one file (predict's --csv, report's --out, an ONNX or TorchScript
    export, runs --save-design), and a folder given for it refused in one sentence that names a file to give instead
    (``example``: "report.html")."""
    from pathlib import Path

    if Path(path).is_dir():
        raise CliError(f"{path} is a folder: give a file name, such as {Path(path) / example}")
    check_out_folder(path)


def check_run_has_model(project_dir, run: str | None) -> None:
    """``--run RUN`` (its id or name, :func:`named_run`) names a run without a model that can be resumed (it stopped
    or failed before saving one, and has a checkpoint): CliError that says so with the command that resumes it,
    rather than the plain "has no trained model yet". Anything else is left for the command to say."""
    from ..project import Project, run_records

    if not run or not is_project_folder(project_dir):
        return
    try:
        with Project.open(project_dir, read_only=True) as project:
            info = run_records.resolve_run(project, run)
            resumable = not run_records.has_model(project, info.id) and run_records.can_resume(project, info)
    except Exception:  # noqa: BLE001 - not a project or a run this can read: the command says why
        return
    if not resumable:
        return
    how = "failed" if info.status == "failed" else "was stopped"
    raise CliError(f"run {info.id!r} has no trained model yet: it {how} before saving one. Resume it from its last "
                   f"checkpoint, which saves the model when it ends: {resume_command(project_dir, info.id)}")


class Progress:
    """A progress bar on stderr: redrawn in place on a terminal, a line every 10% otherwise."""

    def __init__(self, label: str, stream: Any = None, quiet: bool = False):
        self.label = label
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last = 0.0
        self._last_decile = -1
        self._total: int | None = None  # the count of the step in hand (a task of several steps changes it)
        self._t0 = time.perf_counter()

    def __call__(self, done: int, total: int, message: str = "") -> None:
        if self.quiet or total <= 0:  # 0 of 0: a step with nothing to count (a note), not "0/0 (100%)"
            return
        now = time.perf_counter()
        if self.tty:
            if now - self._last < 0.1 and done < total:
                return
            self._last = now
            frac = done / total
            bar = "#" * int(frac * 30)
            self.stream.write(f"\r{self.label} [{bar:<30}] {done}/{total} {message[:30]:<30}")
            if done >= total:
                self.stream.write("\n")
            self.stream.flush()
        else:  # a line each tenth of the way, with the real percentage (32/65 is 49 %, not the tenth's 40 %)
            step = total != self._total and self._total is not None  # a new step with its own count: say which
            if total != self._total:
                self._total, self._last_decile = total, -1
            percent = 100 * done // total
            if percent // 10 != self._last_decile:
                self._last_decile = percent // 10
                self.stream.write(f"{self.label}: {done}/{total} ({percent}%) {time.perf_counter() - self._t0:.1f}s"
                                  + (f" {message}" if step and message else "") + "\n")
                self.stream.flush()
