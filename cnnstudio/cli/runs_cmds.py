"""``cnnstudio runs DIR``: the training runs of a project, each with its scores, its design in words where its
name does not say it, and what is to be done with it (a stopped run's command to continue it, files gone by hand);
``--rename`` and ``--delete`` one (not one that is training: run_records.delete_run refuses it); ``--design`` lists a
run's layers as the Model page shows them; ``--save-design`` writes its design as a file the Model page's "Open…"
and ``cnnstudio train --spec`` read (never over a file that is not a design)."""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

from ..engine.errors import EngineError, SpecError
from ..engine.use.figures import score_text
from ..project import Project, ProjectError, run_abandoned, run_records
from ..project.glossary import RANGE_TERM
from ..project.names import quoted
from ..project.put_back import put_back_words
from ..project.run_checkpoint import damaged_sentence
from ..project.seen_scores import NOT_YET_WORDS, look_offered, score_seen
from ..project.split_roles import TEST_FOR_THE_END
from .common import (PROJECT_DIR, RUN_WORDS, CliError, add_json_flag, check_out_file, emit, named_run, resume_command,
                     shell_command)
from .train_result import restart_command
from .train_rows import JSON_HELP


def register(sub) -> None:
    p = sub.add_parser("runs", help="list the training runs of a project (or rename / delete one)",
                       description="List the training runs of a project, with their scores and how "
                                   "they ended; or rename or delete a run, or show or save its design.")
    p.add_argument("dir", **PROJECT_DIR)
    g = p.add_mutually_exclusive_group()
    g.add_argument("--rename", nargs=2, metavar=("RUN_ID", "NAME"),
                   help=f"rename a run (the run: {RUN_WORDS})")
    g.add_argument("--delete", metavar="RUN_ID", help=f"delete a run and its files (the run: {RUN_WORDS})")
    g.add_argument("--design", metavar="RUN_ID", help=f"list the layers of a run's design (the run: {RUN_WORDS})")
    g.add_argument("--save-design", nargs=2, metavar=("RUN_ID", "FILE.json"),
                   help="write a run's design as a JSON file (for the Model page's Open…, or 'train --spec'); the "
                        f"run: {RUN_WORDS}")
    add_json_flag(p, JSON_HELP)  # what a frozen head's rows are in it (train_rows.json_rows)
    p.set_defaults(func=cmd_runs)


def cmd_runs(args) -> int:
    from ..engine.runs.run_naming import run_design_words

    with Project.open(args.dir) as project:
        if project.put_back_from is not None:  # opened from a copy of project.db put back: said once, runs found again
            words = put_back_words(project.put_back_from, project.runs_back)
            print(f"{words[0].upper()}{words[1:]}.", file=sys.stderr)
        if args.rename:
            info = run_records.rename_run(project, named_run(project, args.rename[0], "--rename").id, args.rename[1])
            emit(args, {"run": info.id, "name": info.name}, f"Renamed run {info.id} to {quoted(info.name)}.")
            return 0
        if args.delete is not None:  # "" too: an empty id is refused, never taken for no option
            run_id = named_run(project, args.delete, "--delete").id
            run_records.delete_run(project, run_id)
            emit(args, {"run": run_id, "deleted": True}, f"Deleted run {run_id}.")
            return 0
        if args.design is not None:
            return show_design(args, project, args.design)
        if args.save_design:
            return save_design(args, project, *args.save_design)
        try:  # runs left "running" by a process that has gone: failed, with the reason
            run_abandoned.settle_abandoned(project)
        except ProjectError:
            pass  # the disk says no: list them as they are
        best = run_records.best_run(project)
        offered = look_offered(project)  # the run whose test look is offered: the best, while none was looked at
        items, scored = [], []  # scored: pictures behind each run's validation and test scores (their ranges)
        missing: dict[str, str] = {}  # run id -> what is gone (run_records.missing_part)
        for r in run_records.list_runs(project):
            s = r.summary
            design = run_design_words(r.config)
            missing[r.id] = run_records.missing_part(project, r.id, r.status) if r.status != "running" else ""
            scored.append((run_records.scored_pictures(s, "val"), run_records.scored_pictures(s, "test")))
            items.append({
                "id": r.id, "name": r.name, "status": r.status,
                "created_at": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(r.created_at)),
                "preset": r.config.get("preset", ""), "design": design, "best_epoch": s.get("best_epoch"),
                "epochs": s.get("last_epoch"), "val_accuracy": s.get("val_accuracy"),
                "test_accuracy": s.get("test_accuracy"), "test_seen": score_seen(s), "best": best is not None and r.id == best.id,
                "validation": run_records.has_validation(r), "data_changed": project_data_changed(project, r.id),
                "files_missing": bool(missing[r.id]), "search_trial": run_records.is_search_trial(r),
                "error": run_records.failure_reason(project, r) or None,  # why a failed run failed
            })
            _head_rows(items[-1], r.config, s, project.root)
            if not missing[r.id] and run_records.can_resume(project, r):
                items[-1]["resume"] = resume_command(args.dir, r.id)
            elif not missing[r.id] and r.status != "running" and run_records.must_restart(project, r):
                items[-1]["restart"] = restart_command(args.dir, r.id)  # its checkpoint is damaged
    lines = [f"{'run':<22} {'status':<13} {'epochs':>6} {f'val acc ({RANGE_TERM})':>20} {'test acc':>17}  name"] \
        if items else [f"No runs yet: train one with: {shell_command('cnnstudio', 'train', args.dir)}"]
    for it, (n_val, n_test) in zip(items, scored):
        val = score_text(it["val_accuracy"], n_val) if it["validation"] else "no validation"
        test = ("–" if it["search_trial"] else score_text(it["test_accuracy"], n_test) if it["test_seen"]
                else NOT_YET_WORDS if _scored(it["test_accuracy"]) else "–")  # JSON too (_json_items)
        status = "files missing" if it["files_missing"] else it["status"]
        design = "" if _name_says(it["name"], it["design"]) else f"  [{it['design']}]"
        epochs = "–" if it.get("fitted") and not it["epochs"] else it["epochs"] or 0
        lines.append(f"{it['id']:<22} {status:<13} {epochs:>6} {val:>20} "
                     f"{test:>17}  {it['name']}{'  (best)' if it['best'] else ''}"
                     f"{f'  ({DATA_CHANGED})' if it['data_changed'] else ''}{design}")
    lines += [f"{it['id']}: {it['fitted']} (not epochs: a frozen pretrained backbone's last layer is fitted exactly)"
              for it in items if it.get("fitted")]
    if any(not it["validation"] for it in items):
        lines.append(f"no validation: {run_records.NO_VALIDATION_WHY}")
    if any(it["data_changed"] for it in items):
        lines.append(f"{DATA_CHANGED}: {DATA_CHANGED_WHY}")
    unseen = [it for it in items if not it["test_seen"] and not it["search_trial"] and _scored(it["test_accuracy"])]
    if unseen:  # said once: why the test scores are blank, and how to look at the best run's (test_look_words)
        lines.append(f"{NOT_YET_WORDS}: {TEST_FOR_THE_END[0].lower()}{TEST_FOR_THE_END[1:]} "
                     + test_look_words(next((it for it in unseen if it["id"] == offered), None), args.dir))
    if any(it["search_trial"] for it in items):
        lines.append(f"no test score for a search's trials: {run_records.TRIAL_TEST_WHY}")
    lines += [f"failed: {it['id']}: {it['error']}" for it in items if it["error"] and not it["files_missing"]]
    lines += [f"files missing: {run_records.files_missing_sentence(it['id'], missing[it['id']], project.root)}"
              for it in items if it["files_missing"]]
    lines += [f"{it['status']}: continue {it['id']} with: {it['resume']}" for it in items if it.get("resume")]
    lines += [f"{it['status']}: {damaged_sentence(it['id'])} with: {it['restart']}"
              for it in items if it.get("restart")]
    emit(args, {"runs": _json_items(items, args.dir)}, "\n".join(lines))
    return 0


def test_look_words(best: dict | None, folder) -> str:
    """What the runs list says after why test scores are blank: the command that looks at the best run's test score,
    when ``best`` is the item of the run :func:`~cnnstudio.project.seen_scores.look_offered` offers (the best run, while
    no run's test score was looked at); for no other run (QA: the newest unseen run was named when the best's score
    was seen already, which invites a second look to choose by), and without a command when there is no such run."""
    if best is None:
        return "A run's test score shows here once you look at it on purpose."
    look = shell_command("cnnstudio", "evaluate", folder, "--run", best["id"], "--split", "test")
    return (f"A run's test score shows here once you look at it: when you have chosen the best run, look at its test "
            f"score once, on purpose, with: {look}")


def _head_rows(item: dict, config: dict, summary: dict, folder) -> None:
    """A run of a frozen head fitted exactly (cli/train_rows.py): its rows are strengths of regularisation, then the
    fine-tuning's epochs, so ``item``'s ``"epochs"`` and ``"best_epoch"`` count the fine-tuning's epochs alone (0 and
    null: none, "–" in the table), ``"head"`` says the strengths tried and the one chosen
    (:func:`~cnnstudio.engine.runs.head_rows.rows_json`, as ``cnnstudio train --json`` does), and ``"fitted"`` says
    what it did as the Train page does (head_rows.py)."""
    from .train_rows import json_rows, rows_of, run_metrics

    done = summary.get("last_epoch")
    if not (isinstance(done, int) and done > 0) or rows_of(config, done) is None:
        return
    metrics = run_metrics(folder, item["id"])  # where its fine-tuning began, which strength it chose
    rows = rows_of(config, done, metrics)
    if rows is None:
        return
    from ..engine.runs.head_rows import fitted_words

    best = summary.get("best_epoch")
    item.update(json_rows(item, rows, done, best, metrics), fitted=fitted_words(rows, done, best))


def _json_items(items: list[dict], folder) -> list[dict]:
    """The runs as ``--json`` lists them: a test score not looked at yet is left out, as the text leaves it out
    (project/seen_scores.py: reading it there would be a look that counts for nothing), with ``"test_seen": false``
    and, where there is a score to look at, the command that looks (``"look_at_test"``)."""
    out = []
    for it in items:
        it = dict(it)
        if not it["test_seen"]:
            scored = _scored(it.pop("test_accuracy")) and not it["search_trial"]
            if scored:
                it["look_at_test"] = shell_command("cnnstudio", "evaluate", folder, "--run", it["id"], "--split",
                                                   "test")
        out.append(it)
    return out


def _scored(value) -> bool:
    """Whether a summary's score is a number (a run without test pictures, or not finished, has none)."""
    return isinstance(value, (int, float)) and math.isfinite(value)


DATA_CHANGED = "data changed"  # the runs panel's "⚠ The data changed since this model was trained…"
DATA_CHANGED_WHY = ("the project's pictures, labels or splits changed since these runs were trained; train a new run "
                    "to include the changes")


def _name_says(name: str, design: str) -> bool:
    """Whether the name column says the run's design already: the name starts with it ("Small VGG · 40 epochs"), or
    the design's words are a search trial's ("Search s2, trial 3: 4 convolutions") and the name names that trial."""
    from ..engine.runs.design_words import name_says_design

    trial = design.split(": ", 1)[0].casefold()
    return name_says_design(name, design) or (trial.startswith("search ") and trial in name.casefold())


def show_design(args, project: Project, run_id: str) -> int:
    """``--design RUN_ID``: the run's design in words, its input and its layers with their output shapes."""
    from ..engine.runs.design_words import design_layers, name_says_design
    from ..engine.runs.run_naming import run_design_words
    from ..engine.runs.settings_words import input_text

    info = named_run(project, run_id, "--design")
    cfg = info.config
    spec = cfg.get("spec") if isinstance(cfg.get("spec"), dict) else None
    if spec is None:
        raise CliError(f"run {info.id} keeps no network design (its record has none)")
    rows = design_layers(spec, info.summary.get("classes"))
    words = run_design_words(cfg)
    pp = cfg.get("preprocess") if isinstance(cfg.get("preprocess"), dict) else None
    lines = [f"Run {info.id}: {info.name}" + ("" if name_says_design(info.name, words) else f"  [{words}]")]
    if pp:
        lines.append(f"Input: {input_text(pp)}")
    lines.append("Layers, as the Model page numbers them, and what each puts out:")
    width = max((len(r.label) for r in rows), default=0)
    lines += [f"{r.number:>4}  {r.label:<{width}}" + (f"  → {r.shape}" if r.shape else "") for r in rows]
    from ..engine.runs.run_design import run_spec

    try:  # --save-design writes only a design that can be read back: never suggest a command that then fails
        run_spec(cfg)
        lines.append("Write it to a file the Model page opens with: "
                     + shell_command("cnnstudio", "runs", args.dir, "--save-design", info.id, "design.json"))
    except SpecError as e:
        lines.append(f"This design cannot be written to a file for the Model page, because {str(e).rstrip('.')}.")
    emit(args, {"run": info.id, "name": info.name, "design": words, "spec": spec,
                "layers": [r.to_json() for r in rows]}, "\n".join(lines))
    return 0


def save_design(args, project: Project, run_id: str, path: str) -> int:
    """``--save-design RUN_ID FILE``: the run's ModelSpec in FILE; a file there already is replaced only when it
    is a model design itself."""
    from ..engine.model.spec import ModelSpec
    from ..engine.runs.run_design import run_spec
    from ..engine.runs.run_naming import run_design_words

    info = named_run(project, run_id, "--save-design")
    try:
        spec = run_spec(info.config)
    except SpecError as e:
        raise CliError(f"run {info.id}: {e}") from None
    target = Path(path)
    check_out_file(target, "design.json")
    if target.exists():
        try:
            ModelSpec.load(target)
        except SpecError:
            raise CliError(f"{target} exists and is not a model design: choose another file name") from None
    try:
        spec.save(target)
    except OSError as e:
        raise CliError(_write_problem(target, e)) from None
    words = run_design_words(info.config)
    emit(args, {"run": info.id, "file": str(target), "design": words},
         f"Wrote the design of run {info.id} ({words}) to {target}: open it on the Model page with "
         f"“Open…”, or train it with: {shell_command('cnnstudio', 'train', args.dir, '--spec', target)}")
    return 0


def _write_problem(target: Path, err: OSError) -> str:
    """One sentence: why the design file ``target`` could not be written (its folder, not the project)."""
    from ..project.disk import explain_os_error

    folder = target.parent
    if not folder.is_dir():
        return f"{folder} is a file, not a folder: give a file in a folder that exists"
    return explain_os_error(err, folder, f"write {target.name}")


def project_data_changed(project: Project, run_id: str) -> bool:
    from ..engine.runs import lifecycle as runs

    try:
        return bool(runs.data_changed(project, run_id))
    except EngineError:
        return False
