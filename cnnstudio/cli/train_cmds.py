"""Training commands: train (runs: runs_cmds.py, evaluate: evaluate_cmds.py).

``cnnstudio train DIR`` with no options trains what the window's Train page would start: the design, input settings
and augmentation saved on the Model page and the settings of the Train page (:mod:`~cnnstudio.engine.runs.saved_pages`;
a line on stderr says so), and for a project never opened in the window the default recipe (the ``default``
preset, AdamW + one-cycle, safe augmentation, epochs chosen to fit about a minute on a CPU). ``--preset``,
``--spec`` or ``--settings`` say what to train instead, ``--like RUN`` an earlier run's design and settings again (the
commands the advice prints: ``--like RUN --lr 0.0003``); ``--epochs``, ``--lr``, ``--early-stopping``,
``--augment``, ``--class-weights``, ``--fine-tune-epochs`` (a frozen pretrained backbone only) and the like change
one setting of either. Progress goes to stderr;
Ctrl-C stops after the batch in hand, keeps the last checkpoint and exits 130 (SIGTERM, what ``timeout``,
``kill`` and schedulers send, the same with 143); ``--resume RUN_ID`` continues it. A second one aborts at once (the
run can still be resumed from its last epoch). Every command printed to paste is shell-quoted.

``cnnstudio train JOB.zip`` (or an unpacked job folder) trains a job written by ``cnnstudio pack``; run
again, it continues. Several processes: ``--nproc N`` starts ``torchrun --nproc-per-node N`` here, and
``torchrun ... -m cnnstudio train ...`` works the same (one process per GPU, DistributedDataParallel):
only rank 0 prints the result and writes the run.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading

from ..engine.errors import EngineError
from ..project import Project, run_records
from ..project.run_checkpoint import damaged_sentence
from ..project.left_out import CLI_FIX, left_out_words
from ..project.splits import AUTO_SPLIT, AUTO_SPLIT_SEED, labelled_unsplit, needs_auto_split
from ..project.split_together import group_splits, together, together_words
from . import runs_cmds
from .common import RUN_WORDS, CliError, UsageError, add_json_flag, check_at_least, named_run, read_json_file
from .train_result import _consume
from .train_rows import JSON_HELP


def register(sub) -> None:
    p = sub.add_parser("train", help="train a model on a project (without options: as the window's pages are set)",
                       description="Train a CNN on the labelled pictures of a project. Without options: the design "
                                   "and settings saved on the Model and Train pages (the default recipe for a "
                                   "project never opened in the window). Progress on stderr; Ctrl-C stops cleanly (resume with "
                                   "--resume RUN_ID).")
    p.add_argument("dir", metavar="DIR",
                   help="the project folder, or a job (JOB.zip or its folder) made by 'cnnstudio pack'")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--preset", metavar="NAME",
                   help="a ready-made design (see 'cnnstudio layers'); without it, --spec and --like: the design on "
                        "the Model page, or the default recipe for a project never opened in the window")
    g.add_argument("--spec", metavar="FILE.json", help="a model design saved as JSON")
    g.add_argument("--like", metavar="RUN_ID",
                   help="train a new run like an earlier one: its design, input and settings (not where it trained); "
                        f"the options given then change them, as the advice's commands do (the run: {RUN_WORDS})")
    p.add_argument("--settings", metavar="FILE.json", help="training settings as JSON (options below override it)")
    p.add_argument("--epochs", type=int, metavar="N",
                   help="number of epochs (default: the Train page's, or about a minute's worth for a project never "
                        "opened in the window)")
    p.add_argument("--batch-size", type=_batch_size, metavar="N|auto",
                   help="pictures per step; auto: on a CUDA graphics card the largest that fits, the learning rate "
                        "scaled with it (on the CPU: the recipe's)")
    p.add_argument("--lr", type=float, metavar="X", help="(peak) learning rate")
    p.add_argument("--optimizer", choices=["adam", "adamw", "sgd"],
                   help="how the weights are updated at each step (default: the Train page's, or adamw)")
    p.add_argument("--device", choices=["auto", "cpu", "cuda", "mps"], help="where to train (default auto)")
    p.add_argument("--seed", type=int, metavar="N",
                   help="the starting point of the random choices (the first weights, the order of the pictures): "
                        "the same seed trains the same run again (default: the Train page's, or 0)")
    p.add_argument("--threads", type=int, metavar="N", help="CPU threads, 1 or more (default: physical cores)")
    p.add_argument("--early-stopping", type=int, metavar="N",
                   help="stop once the model has not got better on the validation pictures for N epochs in a row, "
                        "and keep the best one (0: off, train every epoch)")
    p.add_argument("--augment", choices=AUGMENT_LEVELS,  # advice_actions.AUGMENT_LEVELS: engine imports torch
                   help="change each training picture a little every time it is shown (turned, shifted, zoomed), so "
                        "the model learns the classes rather than the pictures: off, safe (a little) or strong "
                        "(more than the settings had)")
    p.add_argument("--class-weights", choices=["none", "balanced"],
                   help="balanced: count the mistakes on a class with few pictures as much as on a class with many "
                        "(for classes of very different sizes); none: every picture counts the same")
    p.add_argument("--no-val", action="store_true",
                   help="use no validation: nothing held out, no early stopping, the last epoch is kept (for "
                        "people who know why: nothing then tells when the model starts to overfit)")
    p.add_argument("--no-mixed-precision", action="store_true",
                   help="train in fp32 on a CUDA graphics card too (by default it trains in bf16, or fp16 on older "
                        "cards; the CPU always trains in fp32)")
    p.add_argument("--compile", choices=["auto", "on", "off"],
                   help="torch.compile the training step (auto: on a CUDA card, for runs long enough to repay it)")
    p.add_argument("--fine-tune-epochs", type=int, metavar="N",
                   help="for a design with a frozen pretrained backbone (the transfer presets): after its last layer "
                        "is trained, train the whole network N epochs more at a lower learning rate; its weights are "
                        "kept only when they do better on the validation pictures (default 0: off)")
    p.add_argument("--fine-tune-lr-factor", type=float, metavar="X",
                   help="the fine-tuning's learning rate is --lr times X (default 0.1: ten times lower)")
    p.add_argument("--name", help="a name for the run")
    p.add_argument("--resume", metavar="RUN_ID",
                   help=f"continue a stopped run from its last checkpoint (the run: {RUN_WORDS})")
    p.add_argument("--restart", metavar="RUN_ID", help="train a stopped or failed run again from the start, with its "
                   f"own settings and pictures (when its checkpoint is damaged; the run: {RUN_WORDS})")
    p.add_argument("--nproc", type=int, metavar="N",
                   help="train in N processes on this machine (one per GPU) through torchrun")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    add_json_flag(p, JSON_HELP)  # what a frozen head's rows are in it (train_rows.json_rows)
    p.set_defaults(func=cmd_train, parser=p)

    from . import evaluate_cmds  # listed between train and runs in --help, as the workflow goes

    evaluate_cmds.register(sub)

    runs_cmds.register(sub)


# ------------------------------------------------------------------ train
AUGMENT_LEVELS = ("off", "safe", "strong")  # engine/runs/advice_actions.augment_level's (a test keeps them equal)


def _batch_size(text: str):
    if text.strip().lower() == "auto":
        return "auto"
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a whole number or auto, not {text!r}") from None


def _settings(args, project, saved=None):
    """The settings to train with: --settings FILE, else ``saved`` (the Train page's, :func:`_saved_pages`), else
    the default recipe's; the options given change them."""
    from ..engine.runs.recipe import project_recipe
    from ..engine.train.settings import SettingsError, TrainSettings, suggest_preprocess

    if args.settings:
        settings = TrainSettings.from_json(read_json_file(args.settings), suggest_preprocess(project))
    elif saved is not None:
        settings = saved
    else:  # the default recipe, its batch sized to the project's pictures (the Train page's Recommended settings)
        settings = project_recipe(project)
    changes = {}
    for opt, key in (("epochs", "epochs"), ("batch_size", "batch_size"), ("lr", "lr"), ("optimizer", "optimizer"),
                     ("device", "device"), ("seed", "seed"), ("threads", "threads"),
                     ("early_stopping", "early_stopping_patience"), ("class_weights", "class_weights"),
                     ("fine_tune_epochs", "fine_tune_epochs"), ("fine_tune_lr_factor", "fine_tune_lr_factor")):
        value = getattr(args, opt)
        if value is not None:
            changes[key] = value
    if args.augment is not None:
        from ..engine.runs.advice_actions import augment_level

        changes["augment"] = augment_level(settings.augment, args.augment)
    if changes.get("batch_size") == "auto":
        changes["auto_batch_size"] = True
        del changes["batch_size"]
    if args.no_val:
        changes["validation"] = False
    if args.no_mixed_precision:
        changes["mixed_precision"] = False
    if args.compile is not None:
        changes["compile"] = args.compile
    check_at_least(args.epochs, "--epochs", 1)
    check_at_least(args.early_stopping, "--early-stopping", 0)
    check_at_least(args.fine_tune_epochs, "--fine-tune-epochs", 0)
    try:
        return settings.replace(**changes) if changes else settings
    except SettingsError as e:  # a value typed on the command line: said of its option ("--lr"), not of the key
        if e.key in changes and e.key in OPTION_OF:
            raise UsageError(f"{OPTION_OF[e.key]} {e.rule}") from None
        raise


#: the settings the options of 'cnnstudio train' set, by the option's name as the user types it
OPTION_OF = {"epochs": "--epochs", "batch_size": "--batch-size", "lr": "--lr", "seed": "--seed", "threads": "--threads",
             "early_stopping_patience": "--early-stopping", "fine_tune_epochs": "--fine-tune-epochs",
             "fine_tune_lr_factor": "--fine-tune-lr-factor"}


def check_fine_tune(args, spec, preset, settings, dist=None) -> None:
    """``--fine-tune-epochs N`` (N > 0) or ``--fine-tune-lr-factor`` for a run that would not fine-tune (a design
    without a frozen pretrained backbone, or one trained in several processes, ``dist``: the option would be silently
    ignored): refused in one sentence, before the run is created, by the engine's one rule
    (:func:`~cnnstudio.engine.runs.frozen_run.fine_tune_refusal`). ``spec``/``preset``: the design as given (None,
    None: the default preset)."""
    if not args.fine_tune_epochs and args.fine_tune_lr_factor is None:
        return
    from ..engine.model.spec import ModelSpec
    from ..engine.runs.frozen_run import fine_tune_refusal
    from ..engine.runs.run_create import check_input, resolve_spec

    try:
        spec_json, _ = resolve_spec(spec, preset, settings.preprocess)
        why = fine_tune_refusal(ModelSpec.from_json(spec_json), check_input(spec_json, settings.preprocess), dist)
    except (EngineError, KeyError, TypeError, ValueError):  # the run's own checks say what is wrong with it
        return
    if why:
        raise CliError(f"{'--fine-tune-epochs' if args.fine_tune_epochs else '--fine-tune-lr-factor'} {why}")


def _ensure_splits(project: Project, args) -> dict | None:
    """Nothing split yet: split it first (:func:`~cnnstudio.project.splits.needs_auto_split`, the rule the
    app follows too). Some split: leave it to the user."""
    counts = project.counts()
    unsplit = labelled_unsplit(counts)
    if not unsplit:
        return None
    if not needs_auto_split(counts):
        if not args.quiet:
            print(f"note: {left_out_words(unsplit, CLI_FIX)}", file=sys.stderr)  # project/left_out.py
        return None
    from .project_cmds import copy_groups

    groups = copy_groups(project, quiet=args.quiet)  # copies of a picture kept in one split
    counts = project.assign_splits(AUTO_SPLIT, seed=AUTO_SPLIT_SEED, groups=groups)
    if not args.quiet:
        copies = together_words(together(groups, group_splits(project, groups)))
        print(f"note: no pictures were split yet: split them train {counts['train']}, val {counts['val']}, "
              f"test {counts['test']} (change with 'cnnstudio split'){'. ' + copies if copies else ''}",
              file=sys.stderr)
    return counts


_TRAINING_OPTIONS = ("preset", "spec", "like", "settings", "epochs", "batch_size", "lr", "optimizer", "seed",
                     "early_stopping", "augment", "class_weights", "fine_tune_epochs", "fine_tune_lr_factor")


def _relaunch_args(args) -> list[str]:
    """The command line of ``args`` again, without --nproc (for the processes torchrun starts)."""
    out = ["train"]
    for action in args.parser._actions:
        if action.dest in ("help", "nproc") or not action.option_strings and action.dest != "dir":
            continue
        value = getattr(args, action.dest, None)
        if not action.option_strings:
            out.append(str(value))
        elif isinstance(action, argparse._StoreTrueAction):
            if value:
                out.append(action.option_strings[-1])
        elif value is not None:
            out += [action.option_strings[-1], str(value)]
    return out


def cmd_train(args) -> int:
    from ..engine.train import distributed
    from ..engine.runs.job_archive import is_job, not_a_job_sentence

    check_at_least(args.threads, "--threads", 1)  # a project's run, a job, --resume alike (0 was taken for the default)
    if not_a_job_sentence(args.dir):  # a damaged zip, a model bundle, another zip: not "a file, not a project"
        raise CliError(not_a_job_sentence(args.dir))
    if args.nproc is not None:
        if distributed.in_launcher_env():
            raise CliError("--nproc starts torchrun itself: leave it out when running under torchrun")
        if args.nproc < 1:
            raise UsageError(f"--nproc must be 1 or more, not {args.nproc}")
        return distributed.launch(_relaunch_args(args), args.nproc)
    try:
        dist = distributed.init_from_env()
    except EngineError as e:
        raise CliError(str(e)) from None
    if dist is None:
        return _train_job(args, None) if is_job(args.dir) else _train_project(args, None)
    from ..project.errors import ProjectError

    try:
        code = _train_job(args, dist) if is_job(args.dir) else _train_project(args, dist)
    except (CliError, ProjectError, ValueError) as e:
        print(f"cnnstudio: error: {e}", file=sys.stderr)
        code = 1
    except KeyboardInterrupt:
        print("cnnstudio: interrupted", file=sys.stderr)
        code = 130
    finally:
        dist.close()
    # A worker of torchrun ends here, without the interpreter's teardown: after a Ctrl-C, tearing down
    # PyTorch's communication threads aborted a worker now and then ("terminate called without an active
    # exception", exit -6) although everything was written and closed. Flush and leave with our own code.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _train_job(args, dist) -> int:
    from ..engine.runs import jobs
    from ..engine.device import pick_device

    given = [k for k in _TRAINING_OPTIONS + ("name", "resume", "restart") if getattr(args, k) is not None]
    given += ["compile"] if args.compile is not None else []
    given += [k for k in ("no_val", "no_mixed_precision") if getattr(args, k)]
    if given:
        raise CliError(f"a job carries its own settings: give no --{given[0].replace('_', '-')} (only --device, "
                       "--threads, --nproc, --quiet and --json)")
    try:
        folder, run_id = jobs.prepare_job(args.dir)
        if args.device:
            pick_device(args.device)
    except EngineError as e:
        raise CliError(str(e)) from None
    main = dist is None or dist.is_main
    if main and not args.quiet:
        print(f"Job {folder.name}: run {run_id}" + (f" in {dist.world_size} processes" if dist else ""),
              file=sys.stderr)
    stop = threading.Event()
    gen = jobs.train_job(folder, stop=stop, device=args.device, threads=args.threads, dist=dist)
    return _consume(args, gen, run_id, stop, dist, job=folder)


def _train_project(args, dist) -> int:
    from ..engine.runs import lifecycle as runs
    from ..engine.device import pick_device

    project = Project.open(args.dir)
    stop = threading.Event()
    recipe = False
    try:
        try:
            if args.resume is not None or args.restart is not None:  # "" too: refused, never a new run
                option = "--resume" if args.resume is not None else "--restart"
                if args.resume is not None and args.restart is not None:
                    raise CliError("give --resume or --restart, not both")
                if (any(getattr(args, k) is not None for k in _TRAINING_OPTIONS + ("compile",)) or args.no_val
                        or args.no_mixed_precision):
                    raise CliError(f"{option} trains a run with its own settings: give no training options "
                                   "other than --device and --threads")
                run_id = named_run(project, args.resume if args.resume is not None else args.restart, option).id
                runs.check_restartable(project, run_id)  # a run of that id first ("no run ..."), then its files
                _, settings = runs.read_config(project, run_id)
                if args.device:
                    pick_device(args.device)
                if args.restart and (dist is None or dist.is_main):
                    runs.clear_checkpoint(project, run_id)
                elif args.resume:
                    _check_resumable(project, args, run_id, dist)
            else:
                pages = saved_pages_unless(project, bool(args.preset or args.spec or args.settings or args.like))
                like = like_run(project, args) if args.like is not None else None  # "" too: refused
                settings = _settings(args, project, like[0] if like else pages.settings if pages else None)
                pick_device(settings.device)
                spec, preset = like[1:] if like else (pages.spec if pages else None, args.preset)
                if args.spec:
                    from ..engine.model.spec import ModelSpec

                    spec = ModelSpec.load(args.spec)
                check_fine_tune(args, spec, preset, settings, dist)
                recipe = _default_recipe(args, pages, settings)

                def create() -> str:
                    _ensure_splits(project, args)
                    return runs.create_run(project, settings, spec, preset=preset, name=args.name or "")
                run_id = create() if dist is None else dist.main_first("create-the-run", create)
                held = run_records.get_run(project, run_id).summary.get("held_out_for_validation", 0)
                if not args.quiet and (dist is None or dist.is_main):
                    from ..engine.data.entries import NO_VALIDATION_NOTE, held_out_note

                    if pages is not None:
                        design = run_records.get_run(project, run_id).config.get("design") or ""
                        print(pages_note(design, recipe), file=sys.stderr)
                    elif like is not None:
                        print(like_note(project, args.like, run_records.get_run(project, run_id).config),
                              file=sys.stderr)
                    if not settings.validation:
                        print(NO_VALIDATION_NOTE, file=sys.stderr)
                    elif held:
                        print(held_out_note(held), file=sys.stderr)
        except EngineError as e:
            if type(e).__name__ == "FailedInFirstProcess":
                return 1  # rank 0 says why
            raise CliError(str(e)) from None
        overrides = {"device": args.device, "threads": args.threads} if args.resume or args.restart else {}
        gen = runs.run(project, run_id, resume=bool(args.resume), stop=stop, dist=dist, **overrides)
        if recipe and dist is None:  # may try transfer learning too (engine/runs/recipe.py)
            from ..engine.runs.recipe import run_with_choice

            gen = run_with_choice(project, run_id, stop=stop)
        return _consume(args, gen, run_id, stop, dist)
    finally:
        project.close()


def like_run(project, args):
    """``--like RUN``: ``(settings, spec, preset)`` to train a new run like that one: its own settings but where it
    trained (the machine is this one's: --device, --threads), and its design: the preset it was made from, when it is
    that preset unchanged (its name and words stay the preset's), else its layers as they were. The options given
    change the settings after (:func:`_settings`), as the advice's commands do
    (:func:`~cnnstudio.engine.runs.advice_output.action_command`); ``cnnstudio lr-find --like`` tests the same."""
    from ..engine.errors import SpecError
    from ..engine.runs import lifecycle as runs
    from ..engine.runs.advice_actions import WHERE_IT_TRAINED
    from ..engine.runs.run_design import run_spec
    from ..engine.runs.run_naming import matching_preset
    from ..engine.train.settings import TrainSettings

    if args.settings:
        raise CliError("give --like or --settings, not both: --like trains with the run's own settings")
    run_id = named_run(project, args.like, "--like").id
    cfg, _ = runs.read_config(project, run_id)
    try:
        spec = run_spec(cfg)
    except SpecError as e:
        raise CliError(f"run {run_id} cannot be trained again with --like: {e}") from None
    settings = TrainSettings.from_json({k: v for k, v in cfg["settings"].items() if k not in WHERE_IT_TRAINED})
    preset = cfg.get("preset") if isinstance(cfg.get("preset"), str) else ""
    if preset and matching_preset(cfg["spec"]) == preset:
        return settings, None, preset
    return settings, spec, None


def like_note(project, word: str, config: dict) -> str:
    """The line that says a run trains like an earlier one: "Design and settings: those of run “LeNet-5 · 2 epochs”
    (LeNet-5), with the options given changing them." """
    from ..project.names import quoted

    name = named_run(project, word, "--like").name
    design = config.get("design") or ""
    return (f"Design and settings: those of run {quoted(name)}{f' ({design})' if design else ''}, with the options "
            "given changing them.")


def _check_resumable(project, args, run_id: str, dist) -> None:
    """--resume: refuse a run that cannot go on (finished; its checkpoint damaged: with the command that trains it
    again from the start), and say so when it starts again from epoch 1 (no checkpoint was left)."""
    from ..engine.runs import lifecycle as runs
    from .train_result import restart_command

    info = runs.check_restartable(project, run_id)
    if dist is None or dist.is_main:  # the other processes of a run in several check after it started
        runs.refuse_if_training(project, info.id)
    if run_records.must_restart(project, info):
        raise CliError(f"{damaged_sentence(info.id)} with: {restart_command(args.dir, info.id)}")
    note = runs.resume_note(project, info.id)
    if note and not args.quiet and (dist is None or dist.is_main):
        print(note[0].upper() + note[1:] + ".", file=sys.stderr)


def _default_recipe(args, pages, settings) -> bool:
    """No option that changes what is trained, and the pages' saved design and settings (if any) are the default
    recipe's, as the Train page's Start decides: the default recipe (which chooses from scratch or transfer)."""
    from ..engine.runs.recipe import is_default_recipe

    if args.resume or args.restart or args.no_val or any(getattr(args, k) is not None for k in _TRAINING_OPTIONS):
        return False
    if pages is None:
        return True
    from ..engine.model.presets import make_preset

    pp = settings.preprocess
    return is_default_recipe(settings, pages.spec or make_preset("default", pp.height, pp.width, pp.channels))


def saved_pages_unless(project, given: bool):
    """What the Model and Train pages saved in the project (:mod:`~cnnstudio.engine.runs.saved_pages`), unless the
    command line says what to train (``given``: --preset, --spec, --settings, --run-config): then None, as for a
    project never opened in the window."""
    from ..engine.runs.saved_pages import SavedPagesUnreadable, saved_pages

    if given:
        return None
    try:
        return saved_pages(project)
    except SavedPagesUnreadable as e:
        raise CliError(f"{e}: open the project in the window to set it again, or say what to train with --preset "
                       "or --spec") from None


def pages_note(design: str, recipe: bool, verb: str = "trains") -> str:
    """The line that says a run trains what the window shows (``design``: its words), and how to train another."""
    what = ("the default recipe, as the Model and Train pages are set" if recipe
            else f"as set on the Model and Train pages ({design or 'your design'})")
    return f"Design and settings: {what}. --preset NAME or --spec FILE {verb} another design."
