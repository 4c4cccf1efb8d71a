"""``cnnstudio lr-find DIR [--preset NAME | --spec FILE.json | --like RUN] [--settings FILE.json] [--json]``: the
learning-rate range test (:mod:`cnnstudio.engine.runs.lr_find`) for the run ``cnnstudio train`` would start
with the same options (``--like RUN``: an earlier run's design and settings, as ``train --like`` and the advice's
"Find a learning rate" say it), and a suggested (peak) learning rate. With none of ``--preset``, ``--spec``,
``--like`` and ``--settings``
it tests what the window's Model and Train pages hold (:mod:`~cnnstudio.engine.runs.saved_pages`, as ``train`` does,
with the same line on stderr), and the default recipe for a project never opened in the window.

Human output: one suggested rate in plain decimals (with the valley's lower rate, "a safer, slower choice", when the
rule took the bottom of the valley: the window's words, :func:`~cnnstudio.engine.runs.lr_find.suggestion_words`), the ``cnnstudio train`` command that uses it, one sentence about the curve and a
one-line sketch of it; ``--json``: one object
``{"suggested_lr": x, "curve": [[lr, loss], ...], "seconds": s, "steps": n, "diverged": bool, "valley_lr": v,
"rule": "valley" | "valley bottom" | "minimum / 10"}`` (the loss is the smoothed training loss; the rule depends
on the schedule, see :mod:`cnnstudio.engine.train.lr_range`). Progress goes to stderr. Nothing is written to the
project's runs; unlike ``train``, pictures that are not split yet are not split here (the project is left as it
is: the command then says there are no training pictures). A design that uses no learning rate (a frozen pretrained
network's exactly fitted last layer) is refused with one sentence
(:func:`~cnnstudio.engine.runs.lr_find.finder_refusal`), before any test.
"""

from __future__ import annotations

import argparse
import sys

from .common import PROJECT_DIR, CliError, Progress, add_json_flag, emit, read_json_file, shell_command

SPARK = "▁▂▃▄▅▆▇█"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "lr-find", help="try learning rates from tiny to huge in a short test and suggest one",
        description="The learning-rate range test: a short mock training on a throw-away copy of the model whose "
                    "learning rate grows from 1e-5 to 10 over 40 steps, stopped when the loss blows up. Suggests "
                    "a (peak) learning rate from the valley of the loss curve. Without options it tests the design "
                    "and settings saved on the Model and Train pages, as 'cnnstudio train' would train them (the "
                    "default recipe for a project never opened in the window). Nothing is saved.")
    p.add_argument("dir", **PROJECT_DIR)
    g = p.add_mutually_exclusive_group()
    g.add_argument("--preset", metavar="NAME",
                   help="a ready-made design (see 'cnnstudio layers'); without it, --spec and --settings: the Model "
                        "and Train pages' design and settings")
    g.add_argument("--spec", metavar="FILE.json", help="a model design saved as JSON")
    g.add_argument("--like", metavar="RUN_ID",
                   help="test an earlier run's design and settings (its id or name, see 'cnnstudio runs'), as "
                        "'cnnstudio train --like' trains them")
    p.add_argument("--settings", metavar="FILE.json",
                   help="training settings as JSON (default: the Train page's, or the default recipe's for a project "
                        "never opened in the window); its lr must be valid but is not used: the test tries its own "
                        "learning rates")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    add_json_flag(p)
    p.set_defaults(func=cmd_lr_find)


class _Bars:
    """Two progress bars on stderr: preparing the pictures, then the steps of the test."""

    def __init__(self, quiet: bool):
        self.quiet, self.label, self.bar = quiet, "", None

    def __call__(self, done: int, total: int, message: str = "") -> None:
        label = "Trying learning rates" if message.startswith("learning rate") else "Preparing pictures"
        if label != self.label:
            self.label, self.bar = label, Progress(label, quiet=self.quiet)
        self.bar(done, total, message)


def _read_settings(path: str | None, project):
    from ..engine.errors import EngineError
    from ..engine.train.settings import TrainSettings, suggest_preprocess

    if not path:
        return None
    try:
        return TrainSettings.from_json(read_json_file(path), suggest_preprocess(project))
    except EngineError as e:
        raise CliError(f"{path}: {e}") from None


def sketch(values: list[float], width: int = 50) -> str:
    """The curve in one line of block characters (``width`` columns at most, low loss = low block)."""
    if not values:
        return ""
    step = max(1, -(-len(values) // width))
    cols = [min(values[i:i + step]) for i in range(0, len(values), step)]
    lo, hi = min(cols), max(cols)
    span = (hi - lo) or 1.0
    return "".join(SPARK[min(len(SPARK) - 1, int((v - lo) / span * len(SPARK)))] for v in cols)


def rate(lr: float) -> str:
    """A learning rate as a person types it and the Train page's field shows it: two significant figures in plain
    decimals ("0.07", "0.0014", "0.00003"; :func:`~cnnstudio.engine.runs.lr_find.rate_words`)."""
    from ..engine.runs.lr_find import rate_words

    return rate_words(lr)


def describe(result, train: str = "") -> str:
    """One suggested rate and the command that trains with it (``train``: that command, left out when ""), then a
    sentence about the curve. The other rule's rate (the valley's, lower: a safer, slower choice) is said in words
    when it differs, as the window says it (``suggestion_words``); which rule chose is for --json (``rule``)."""
    from ..engine.runs.lr_find import suggestion_words

    lrs = [c[0] for c in result.curve]
    losses = [c[1] for c in result.curve]
    low = min(range(len(losses)), key=losses.__getitem__)
    end = (f"it blew up at {lrs[-1]:.1e} (more than 4 times its lowest)" if result.diverged
           else f"it had not blown up at {lrs[-1]:.1e}")
    return "\n".join([
        suggestion_words(result),
        *([f"Train with it: {train}"] if train else []),
        f"The training loss went from {losses[0]:.3f} at a rate of {lrs[0]:.0e} down to {losses[low]:.3f} at "
        f"{lrs[low]:.1e}; {end}. {result.steps} steps, {result.seconds:.1f} s.",
        f"loss  {sketch(losses)}  (rate {lrs[0]:.0e} → {lrs[-1]:.0e}, log scale)",
    ])


def _pages(args: argparse.Namespace, project):
    """What the Model and Train pages saved (None when an option says what to test, or the window never opened the
    project), said on stderr as ``cnnstudio train`` says it."""
    from .train_cmds import pages_note, saved_pages_unless

    pages = saved_pages_unless(project, bool(args.preset or args.spec or args.settings or args.like))
    if pages is not None and not args.quiet:
        from ..engine.runs.lifecycle import resolve_spec
        from ..engine.runs.run_naming import describe_design

        spec_json, name = resolve_spec(pages.spec, None, pages.settings.preprocess)
        print(pages_note(describe_design(spec_json, name), False, "tests"), file=sys.stderr)
    return pages


def cmd_lr_find(args: argparse.Namespace) -> int:
    from ..engine.errors import EngineError
    from ..engine.runs.lr_find import find_lr
    from ..project import Project

    with Project.open(args.dir) as project:
        settings = _read_settings(args.settings, project)
        try:
            pages, spec = _pages(args, project), None
            if pages is not None:  # what the window's Train page would start
                settings, spec = pages.settings, pages.spec
            if args.spec:
                from ..engine.model.spec import ModelSpec

                spec = ModelSpec.load(args.spec)
            preset = args.preset
            if args.like is not None:  # an earlier run's design and settings (train_cmds.like_run: one rule)
                from .train_cmds import like_run

                settings, spec, preset = like_run(project, args)
            result = find_lr(project, settings, spec, preset=preset, progress=_Bars(args.quiet))
        except EngineError as e:
            raise CliError(str(e)) from None
    out = {"suggested_lr": result.suggested_lr, "curve": [[lr, loss] for lr, loss in result.curve],
           "seconds": round(result.seconds, 3), "steps": result.steps, "diverged": result.diverged,
           "valley_lr": result.valley_lr, "rule": result.rule}
    emit(args, out, describe(result, train_command(args, result.suggested_lr)))
    return 0


def train_command(args: argparse.Namespace, lr: float) -> str:
    """``cnnstudio train DIR --lr X`` with the design and settings options the test was given, so that it trains what
    was tested at the suggested rate."""
    given = [w for opt in ("preset", "spec", "like", "settings") if getattr(args, opt, None)
             for w in (f"--{opt}", getattr(args, opt))]
    return shell_command("cnnstudio", "train", args.dir, *given, "--lr", rate(lr))
