"""``cnnstudio tune DIR``: search for better settings (and, for the built-in design, a better structure).

Without --preset, --spec or --settings the search starts from what the window's Tune page would: the Model page's
design (its structure is searched only when it is the built-in design) and the Train page's settings
(:mod:`~cnnstudio.engine.runs.saved_pages`; a line on stderr says so); a project never opened in the window starts
from the default recipe.

Every trial is an ordinary run of the project (``cnnstudio runs`` lists them, tagged with the study).
Progress: one line per trial on stderr. Ctrl-C stops after the batch in hand; every finished trial is
kept and ``--study NAME`` continues the same study later. ``--storage URL`` joins a study kept on a
database server (PostgreSQL), so several machines can work on one study: give each a packed job of the
same data (``cnnstudio tune JOB.zip --storage URL --study NAME``; the job's run is the starting point)
and bring the best trial's run home with ``cnnstudio import-run`` (see docs/TRAIN_ELSEWHERE.md).

``--study NAME`` naming a study that exists carries it on as the Tune page's Continue does: with the space, design
and starting settings it began with (engine/tune/overview.py: ``continued_base``), never the pages as they are now,
so that its later trials train as long and as the earlier ones did; a --settings, --spec, --preset or --space given
then is said not to be used (a new search uses them).

``--trials N`` counts the whole study's finished and pruned trials: a study that already holds 10 and is given
``--trials 15`` runs 5 more (shared among its workers), and given ``--trials 10`` runs none, which the result says
first ("This search already has 10 trials: nothing to do (ask for more with --trials 20)."); a stopped or failed
trial is not counted (the Tune page's "N more trials" counts the same way). A trial stopped by the time limit or
Ctrl-C, which Optuna keeps as failed, is said to be "stopped (time limit)" / "stopped (Ctrl-C)", never "failed".
``--minutes M`` is this call's time limit. A search whose trials keep failing ends early (engine/tune/study.py:
``failing_words``), says why, and exits with status 1.
A project not split yet is split first, with the same note as ``cnnstudio train``; one too small to keep validation
pictures aside is refused before that (counted as the split would give them), nothing written.

The result names the best trial by its validation score only: a search chooses on validation, and a test score
beside every trial would invite choosing by it. The run the search keeps is scored on the test pictures by
``cnnstudio evaluate`` (the command is printed); a final run (engine/tune/final.py) is that model, and its test
score, measured once at its end, is said. Trials are counted from 1 in the words, as on the Tune page.
"""

from __future__ import annotations

import argparse
import math
import signal
import sys
import threading

from .common import CliError, add_json_flag, check_at_least, emit, read_json_file, shell_command
from .tune_show import _counts, _kept_run, _list, _look_at_test, _look_line, _named, _params, _pct, _show, _state
from .train_cmds import _ensure_splits, pages_note, saved_pages_unless


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "tune", help="find better settings: a search over learning rate, batch size, depth... (Optuna)",
        description="Try many settings, each as an ordinary run, stop hopeless ones early, and report the best "
                    "by validation accuracy and which settings mattered. Without a budget: 20 trials.")
    p.add_argument("dir", metavar="DIR", help="the project folder, or a job (JOB.zip) made by 'cnnstudio pack'")
    p.add_argument("--trials", type=int, metavar="N",
                   help="run trials until the study holds N finished or pruned ones (failed trials and those "
                        "stopped by a time limit or Ctrl-C do not count); a continued study that holds N already "
                        "runs none")
    p.add_argument("--minutes", type=float, metavar="M", help="stop this search after M minutes")
    p.add_argument("--space", metavar="FILE.json", help="what to search (default: every setting; see the docs)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--preset", metavar="NAME", help="the starting design (default: the Model page's; else default, whose structure is "
                                                      "searched)")
    g.add_argument("--spec", metavar="FILE.json", help="your own design (only the training settings are searched)")
    p.add_argument("--settings", metavar="FILE.json",
                   help="the starting training settings as JSON (default: the Train page's)")
    p.add_argument("--objective", choices=["accuracy", "accuracy+size"], default=None,
                   help="accuracy (default), or accuracy and model size: the small-and-accurate front")
    p.add_argument("--study", metavar="NAME",
                   help="the study's name (an existing one continues with the settings to try, design and starting "
                        f"settings it began with; {STUDY_WORDS})")
    p.add_argument("--storage", metavar="URL", help="a database URL (postgresql://...) shared by several machines")
    p.add_argument("--seed", type=int, metavar="N", help="the sampler's seed (default 0)")
    p.add_argument("--threads", type=int, metavar="N", help="CPU threads per trial (default: physical cores)")
    p.add_argument("--no-prune", action="store_true", help="run every trial to its last epoch")
    p.add_argument("--no-final", action="store_true",
                   help="do not train the best settings again on every training picture at the end (done when "
                        "the project has no validation split, so the trials held pictures out)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--list", action="store_true", help="list the project's studies")
    g.add_argument("--show", metavar="STUDY", help=f"show a study's trials and result ({STUDY_WORDS})")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    add_json_flag(p)
    p.set_defaults(func=cmd_tune)


def cmd_tune(args: argparse.Namespace) -> int:
    from ..engine.errors import EngineError
    from ..engine.tune.space import SpaceError
    from ..project import Project
    from ..project.errors import ProjectError

    _refuse_search_options(args)
    try:
        folder, job_run = _project_folder(args.dir)
        with Project.open(folder) as project:
            if args.list:
                return _list(args, project)
            if args.show:
                args.show = _study_named(project, args.show, args.storage)
                return _show(args, project)
            if args.study:
                args.study = _study_named(project, args.study, args.storage)
            return _tune(args, project, job_run)
    except SpaceError as e:  # said of the --space file's JSON keys, not of the Tune page's ticks
        raise CliError(e.in_file) from None
    except (EngineError, ProjectError) as e:
        raise CliError(str(e)) from None


#: how --show and --study say what they take, as a run option says it (common.RUN_WORDS)
STUDY_WORDS = "a study by its name, or by the name the window gives it, as --list shows both"


def _study_named(project, word: str, storage: str | None) -> str:
    """The study ``word`` names, the way a run option names a run (common.named_run): its own name (--list's first
    column), or the name the window and the runs list give it ("Search 3 Dec 08:19:13", --list's second) when one
    study has that name; else ``word`` as given (--study starts a new study of that name, --show says there is
    none)."""
    from ..engine.tune.overview import list_studies
    from ..engine.tune.words import search_name

    names = [s["study"] for s in list_studies(project, storage)]
    if word in names:
        return word
    said = [n for n in names if search_name(n) == word.strip()]
    return said[0] if len(said) == 1 else word


# the options of a search, which --list and --show (that only read studies) would pass over without a word
SEARCH_OPTIONS = ("trials", "minutes", "space", "preset", "spec", "settings", "objective", "study", "seed", "threads",
                  "no_prune", "no_final")


def _refuse_search_options(args: argparse.Namespace) -> None:
    if not (args.list or args.show):
        return
    given = [f"--{name.replace('_', '-')}" for name in SEARCH_OPTIONS
             if getattr(args, name) is not None and getattr(args, name) is not False]
    if given:
        names = given[0] if len(given) == 1 else ", ".join(given[:-1]) + " and " + given[-1]
        raise CliError(f"{names} {'is' if len(given) == 1 else 'are'} for a search, not for "
                       f"{'--list' if args.list else '--show'}: leave {'it' if len(given) == 1 else 'them'} out")


def _project_folder(path: str):
    """A project folder as given, or a packed job (``cnnstudio pack``) unpacked beside its zip: then the
    job's run is the starting point, and every trial's run can be brought home with ``import-run``."""
    from ..engine.runs.job_archive import is_job, not_a_job_sentence, open_job

    if not_a_job_sentence(path):  # a damaged zip, a model bundle, another zip: not "a file, not a project"
        raise CliError(not_a_job_sentence(path))
    if is_job(path):
        folder, info = open_job(path)
        return folder, info["run"]
    return path, None


SEED_MAX = 2**32 - 1  # the sampler's (NumPy's) largest seed


def _tune(args, project, job_run: str | None) -> int:
    from ..engine.model.spec import ModelSpec
    from ..engine.train.settings import TrainSettings, suggest_preprocess
    from ..engine.tune import events as T
    from ..engine.tune.overview import continued_base
    from ..engine.tune.storage import TuneError
    from ..engine.tune.study import prepare, tune

    check_at_least(args.trials, "--trials", 1)  # the options' ranges first: refused before anything is split
    check_at_least(args.threads, "--threads", 0)
    if args.seed is not None and not 0 <= args.seed <= SEED_MAX:
        raise CliError(f"--seed must be a whole number from 0 to {SEED_MAX}, not {args.seed}")
    space = read_json_file(args.space, "search space") if args.space else None
    settings = (TrainSettings.from_json(read_json_file(args.settings, "settings file"), suggest_preprocess(project))
                if args.settings else None)
    spec = ModelSpec.load(args.spec) if args.spec else None
    preset, objective = args.preset, args.objective
    if project.read_only and not args.storage:  # the study's journal is written in the project
        _refuse_read_only(project)
    base = continued_base(project, args.study, args.storage) if job_run is None else None
    if base is not None:  # an existing search: its own space, design and starting settings, as the Tune page's
        if not args.quiet:  # Continue carries it on, so that its later trials stay comparable with the earlier ones
            print(continue_note(args, base["study"]), file=sys.stderr)
        settings = TrainSettings.from_json(base["settings"])
        spec, preset, space, objective = base["spec"], base["preset"], base["space"], objective or base["objective"]
    pages = (saved_pages_unless(project, bool(args.settings or args.spec or args.preset)) if job_run is None
             and base is None else None)
    if pages is not None:  # what the Tune page would search from: the Model and Train pages
        from ..engine.runs.lifecycle import resolve_spec
        from ..engine.runs.run_naming import describe_design
        from ..engine.tune.space import is_built_in_design

        settings, pp = pages.settings, pages.settings.preprocess
        spec_json, name = resolve_spec(pages.spec, None, pp)
        built_in = is_built_in_design(spec_json, pp.height, pp.width, pp.channels)
        spec, preset = (None, "default") if built_in else (spec_json, None)
        if not args.quiet:
            print(pages_note(describe_design(spec_json, name), False, "searches from"), file=sys.stderr)
    if job_run is not None:  # a job: its run's settings and design are the starting point
        from ..engine.runs.lifecycle import read_config

        cfg, job_settings = read_config(project, job_run)
        settings = settings or job_settings
        if spec is None and preset is None:
            preset = cfg.get("preset") or None
            spec = None if preset else cfg["spec"]
    if job_run is None:  # too few pictures for a search: refused before a split is written
        _refuse_too_few(project)
    if not project.read_only and job_run is None:  # nothing split yet: split it first, as 'cnnstudio train' does
        _ensure_splits(project, args)
    trials = args.trials
    if trials is None and args.minutes is None:
        trials = 20
    try:
        setup = prepare(project, settings=settings, spec=spec, preset=preset, space=space,
                        objective=objective or "accuracy", study=args.study, storage=args.storage,
                        seed=0 if args.seed is None else args.seed,
                        pruning=not args.no_prune, threads=args.threads, final=not args.no_final)
    except TuneError as e:  # the engine's neutral sentence, with this command's next step
        raise CliError(too_few_words(str(e))) from None
    stop = threading.Event()
    old = signal.signal(signal.SIGINT, lambda *_: stop.set())
    summary, reason, best_val, ran = None, "", {}, False
    try:
        for ev in tune(project, setup, trials=trials, minutes=args.minutes, stop=stop):
            if not args.quiet:
                _say(ev, best_val)
            ran = ran or isinstance(ev, (T.TrialStarted, T.TrialEnded, T.FinalStarted))
            if isinstance(ev, T.StudyEnded):
                summary, reason = ev.summary, ev.reason
            elif isinstance(ev, (T.TrialEnded, T.FinalEnded)) and ev.run_id and job_run is not None:
                from ..engine.runs.jobs import write_run_file

                write_run_file(project, ev.run_id)  # the run folder alone can be imported at home
    finally:
        signal.signal(signal.SIGINT, old)
    out = {**summary, "stopped_because": reason}
    if reason == "trials" and not ran:  # --trials counts the whole study: a continued one may hold them already
        out["note"] = nothing_to_do(summary, trials)
    kept = _kept_run(out)
    if kept:  # the run the search keeps, scored on the test pictures by the command for that (not per trial)
        out["evaluate"] = shell_command("cnnstudio", "evaluate", args.dir, "--run", kept, "--split", "test")
    _look_at_test(out, args.dir)
    if reason == "stopped":  # the command that continues the study, quoted to paste
        out["continue"] = shell_command("cnnstudio", "tune", args.dir, "--study", out["study"]) + (
            " (with the same --storage)" if args.storage else "")  # its URL may hold a password: not printed
    code = 130 if reason == "stopped" else 1 if reason == "failing" else 0
    text = _result_text(out)
    emit(args, out, text, exit_code=code, error="the search was stopped" if reason == "stopped"
         else (text.strip().splitlines() or ["the search stopped: its trials kept failing"])[0])
    if args.json and out.get("continue"):  # the words hold it in plain mode; with --json stdout is the object alone
        print(f"stopped: continue with: {out['continue']}", file=sys.stderr)
    return code


#: the options that choose what a search starts from, which a continued search keeps as it began
STARTING_OPTIONS = ("settings", "spec", "preset", "space")


def continue_note(args: argparse.Namespace, study: str) -> str:
    """The line a continued search says first: it keeps the space, design and starting settings it began with
    (the Tune page's Continue does too), and which of the options given for those it does not use."""
    given = [f"--{name}" for name in STARTING_OPTIONS if getattr(args, name)]
    kept = (f"Continuing search {_named(study)} with the settings to try, design and starting settings it began with, "
            f"so that its trials stay comparable")
    if not given:
        return kept + "."
    names = given[0] if len(given) == 1 else ", ".join(given[:-1]) + " and " + given[-1]
    return f"{kept}: {names} {'is' if len(given) == 1 else 'are'} not used (start a new search to use them)."


def nothing_to_do(summary: dict, trials: int) -> str:
    """What a continued search says when it already holds its ``--trials``: no trial runs."""
    from ..project.counting import counted

    held = summary["complete"] + summary["pruned"] + summary["running"]
    return (f"This search already has {counted(held, 'trial')}: nothing to do (ask for more with --trials "
            f"{held + trials}).")


def _epochs(space: dict) -> str:
    from ..project.run_names import epochs_words

    n = space.get("epochs")
    return epochs_words(n) if isinstance(n, int) and n > 0 else "the starting settings' epochs"


def _say(ev, best_val: dict[int, float]) -> None:
    """One line on stderr per event worth a line; ``best_val``: each trial's best validation accuracy so far, what
    a stopped trial's line shows (as --show does), not "-"."""
    from ..engine.tune import events as T
    from ..engine.tune.words import shown_number, trial_words
    from ..project.counting import counted

    if isinstance(ev, T.StudyStarted):
        more = f", continuing after {counted(ev.trials_before, 'trial')}" if ev.trials_before else ""
        prune = "pruning hopeless trials" if ev.pruning else "no pruning"
        print(f"Study {ev.study} ({ev.objective}, {_epochs(ev.space)} per trial, {prune}{more}); "
              f"kept in {ev.storage}", file=sys.stderr)
        if ev.note:  # what the search leaves out of the space asked (engine/tune/space.py batch_cap)
            print(ev.note, file=sys.stderr)
    elif isinstance(ev, T.TrialEpoch) and math.isfinite(ev.val_accuracy):
        best_val[ev.number] = max(ev.val_accuracy, best_val.get(ev.number, 0.0))
    elif isinstance(ev, T.TrialEnded):
        state = _state(ev.state, ev.reason)
        stopped = state.startswith("stopped (")  # a stopped trial's reason is in its state's words
        extra = f" ({ev.reason})" if ev.reason and not stopped else ""
        val = best_val.get(ev.number, math.nan) if stopped else ev.val_accuracy
        print(f"trial {shown_number(ev.number):>3}  {state:<8} val {_pct(val)}  {ev.seconds:6.1f}s  "
              f"{_params(ev.params)}{extra}", file=sys.stderr)
    elif isinstance(ev, T.FinalStarted):
        print(f"final: {trial_words(ev.trial)}'s settings on all {counted(ev.train_images, 'training picture')}, "
              f"{counted(ev.epochs, 'epoch')} (run {ev.run_id})", file=sys.stderr)
    elif isinstance(ev, T.FinalEnded):
        extra = f" ({ev.reason})" if ev.reason else ""
        print(f"final: {ev.state}  {ev.seconds:6.1f}s{extra}", file=sys.stderr)  # its test score: looked at on purpose


#: ``cnnstudio tune``'s next step after the engine's too-few sentence (the Tune page says its own)
ADD_PICTURES = "Add pictures with 'cnnstudio import'."


def too_few_words(said: str) -> str:
    """An engine sentence in this command's words: the too-few sentence with :data:`ADD_PICTURES` after it."""
    from ..engine.tune.validation_pictures import TOO_FEW_FOR_VALIDATION

    return f"{said} {ADD_PICTURES}" if said == TOO_FEW_FOR_VALIDATION else said


def _refuse_too_few(project) -> None:
    """A project too small to keep validation pictures aside: refused from its counts, an unsplit one counted as
    the split would give them, so nothing is split or written first (the Tune page's rule, validation_pictures)."""
    from ..engine.tune.validation_pictures import too_few_for_validation

    said = too_few_for_validation(project.counts())
    if said:
        raise CliError(too_few_words(said))


def _refuse_read_only(project) -> None:
    """A project opened for viewing only (a read-only disk, a folder not ours): the disk's one sentence, as every
    other command says it, rather than the journal's raw OSError once the search starts. Nothing is written to
    find out: the project says whether it could be opened for writing."""
    from ..project.disk import read_only_error

    if project.read_only:
        raise read_only_error(project.root, "keep a study in it")


def _result_text(s: dict) -> str:
    """The result: the counts, the best trial by validation (a trial's test score is not said: a search chooses on
    validation, and test scores side by side would invite choosing by them), the final run (the model the search
    keeps: engine/tune/final.py) with its test score only once looked at on purpose (project/seen_scores.py), else
    the command that looks, the words of the result."""
    from ..engine.tune.words import trial_words
    from ..engine.use.figures import score_text

    lines = [s["note"]] if s.get("note") else []
    lines.append(_counts(s))
    best = s.get("best")
    if best:
        lines.append(f"best: {trial_words(best['number'])}, run {best['run']}: validation "
                     f"{score_text(best['val_accuracy'], best.get('val_pictures'))}")
        lines.append(f"      {_params(best['params'])}")
    final = s.get("final")
    if final:
        scores = (f", test {_pct(final.get('test_accuracy')).strip()}" if final.get("test_seen")
                  else f", validation {_pct(final['val_accuracy']).strip()}" if final.get("val_accuracy") is not None
                  else "")
        lines.append(f"final: {trial_words(final['trial'])}'s settings on every training picture, run {final['run']}: "
                     f"{final['state']}{scores}")
    for p in s.get("pareto", []):
        lines.append(f"  front: {trial_words(p['number']):<9} {p['parameters'] or 0:>10,} parameters  "
                     f"val {_pct(p['val_accuracy'])}")
    lines.append(s["said"])
    if s.get("evaluate") and not (final and final.get("state") == "finished"):
        lines.append(f"test score: not said for a trial, which a search chooses by validation; score the run you keep "
                     f"with: {s['evaluate']}")
    else:
        lines += _look_line(s)
    if s.get("stopped_because") == "stopped" and s.get("continue"):
        lines.append(f"stopped: continue with: {s['continue']}")
    return "\n".join(lines)
