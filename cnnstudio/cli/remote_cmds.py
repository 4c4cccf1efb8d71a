"""Train elsewhere: ``cnnstudio pack`` writes a job for another machine, ``cnnstudio import-run`` brings
the trained run home. Training the job is ``cnnstudio train JOB.zip`` (see :mod:`.train_cmds`); the job
format is described in :mod:`cnnstudio.engine.runs.jobs` and docs/TRAIN_ELSEWHERE.md.
"""

from __future__ import annotations

import json
import math
import sys

from ..engine.errors import EngineError
from ..project import Project
from .common import (PROJECT_DIR, CliError, Progress, add_json_flag, check_out_folder, emit, engine_error,
                     read_json_file, shell_command)


def register(sub) -> None:
    p = sub.add_parser("pack", help="pack a training run into a job to train on another machine (a GPU box)",
                       description="Write a self-contained job (the run's images, labels, splits, model design, "
                                   "training settings and a README) that 'cnnstudio train JOB.zip' trains on any "
                                   "machine. Without options: the design and settings saved on the Model and Train pages "
                                   "(the default recipe for a project never opened in the window).")
    p.add_argument("dir", **PROJECT_DIR)
    p.add_argument("--out", required=True, metavar="JOB.zip", help="the job to write (.zip, or a new folder)")
    p.add_argument("--run-config", metavar="FILE.json",
                   help="the run's configuration: a run's config.json ({\"settings\": ..., \"spec\": ... or "
                        "\"preset\": ...}) or training settings alone")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--preset", metavar="NAME", help="a ready-made design (see 'cnnstudio layers')")
    g.add_argument("--spec", metavar="FILE.json", help="a model design saved as JSON")
    p.add_argument("--epochs", type=int, metavar="N", help="number of epochs")
    p.add_argument("--batch-size", type=int, metavar="N", help="the global batch size (over all GPUs)")
    p.add_argument("--lr", type=float, metavar="X", help="(peak) learning rate")
    p.add_argument("--name", default="", help="a name for the run")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    add_json_flag(p)
    p.set_defaults(func=cmd_pack)

    p = sub.add_parser("import-run", help="add a run trained on another machine to the project",
                       description="Add a run trained elsewhere (its folder JOB/runs/RUN_ID, the job folder, or a "
                                   "zip of either) with its metrics, curves and model. Refused when it was "
                                   "trained on other images, labels or splits than the project has.")
    p.add_argument("dir", **PROJECT_DIR)
    p.add_argument("run", metavar="RUN_FOLDER_OR_ZIP", help="the trained run")
    p.add_argument("--name", help="a name for the run here (default: its own)")
    add_json_flag(p)
    p.set_defaults(func=cmd_import_run)


def _read_json_file(path: str) -> dict:
    value = read_json_file(path)
    if not isinstance(value, dict):
        raise CliError(f"{path} must hold a JSON object")
    return value


def run_config(args, project: Project):
    """(settings, spec, preset) from --run-config / --spec / --preset and the overrides; with none of the three,
    what the Model and Train pages saved (the default recipe for a project never opened in the window)."""
    from ..engine.train.settings import TrainSettings, suggest_preprocess
    from ..engine.model.spec import ModelSpec

    from .train_cmds import pages_note, saved_pages_unless

    spec, preset, settings = None, args.preset, None
    pages = saved_pages_unless(project, bool(args.run_config or args.preset or args.spec))
    if pages is not None:  # what the window's Train page would start
        from ..engine.runs.run_naming import describe_design
        from ..engine.runs.lifecycle import resolve_spec

        settings, spec = pages.settings, pages.spec
        if not args.quiet:
            spec_json, name = resolve_spec(spec, None, settings.preprocess)
            print(pages_note(describe_design(spec_json, name), False), file=sys.stderr)
    if args.run_config:
        cfg = _read_json_file(args.run_config)
        if "settings" in cfg:  # a run's config.json
            settings = TrainSettings.from_json(cfg["settings"])
            if not args.spec and not args.preset:
                if cfg.get("spec"):
                    spec = ModelSpec.from_json(cfg["spec"])
                elif cfg.get("preset"):
                    preset = cfg["preset"]
        else:
            settings = TrainSettings.from_json(cfg, suggest_preprocess(project))
    if settings is None:  # the default recipe, its batch sized to the pictures as `cnnstudio train` does
        from ..engine.runs.recipe import project_recipe
        settings = project_recipe(project)
    if args.spec:
        spec = ModelSpec.load(args.spec)
    changes = {k: v for k, v in (("epochs", args.epochs), ("batch_size", args.batch_size), ("lr", args.lr))
               if v is not None}
    if args.epochs is not None and args.epochs < 1:
        raise CliError("--epochs must be at least 1")
    return (settings.replace(**changes) if changes else settings), spec, preset


def cmd_pack(args) -> int:
    from ..engine.runs.jobs import pack_job
    from .train_cmds import _ensure_splits

    check_out_folder(args.out)  # a mistyped folder: refused before anything is packed
    with Project.open(args.dir) as project:
        try:
            settings, spec, preset = run_config(args, project)
            _ensure_splits(project, args)
            bar = Progress("Packing images", quiet=args.quiet)
            path = pack_job(project, args.out, settings, spec, preset=preset, progress=bar, name=args.name)
        except EngineError as e:
            raise CliError(str(e)) from None
    info = packed_info(path)
    out = {"job": str(path), "run": info["run"], "images": info["images"], "classes": info["classes"],
           "bytes": path.stat().st_size if path.is_file() else sum(f.stat().st_size for f in path.rglob("*")
                                                                 if f.is_file()),
           "train": shell_command("cnnstudio", "train", path.name),  # quoted to paste: a name with spaces or '&'
           "import": shell_command("cnnstudio", "import-run", args.dir,
                                   f"{path.stem if path.suffix.lower() == '.zip' else path.name}/runs/{info['run']}")}
    emit(args, out, f"Packed run {info['run']} ({info['images']:,} images, {len(info['classes'])} classes) into "
                    f"{path} ({out['bytes'] / 2**20:.1f} MB).\nOn the training machine: {out['train']}  "
                    f"(several GPUs: add --nproc N)\nBack here: {out['import']}")
    return 0


def packed_info(path: Path) -> dict:
    """The job.json of the job ``pack`` wrote at ``path`` (a zip or a folder), read within its limit as every zip
    the app reads is (project/zip_reading.py: a member that unpacks to more than a job's description can hold is
    refused in one sentence before it fills the memory): CliError otherwise."""
    from ..engine.runs.job_archive import JOB_FILE, JOB_FILE_LIMIT, read_job
    from ..project.names import quoted
    from ..project.zip_reading import TooLarge, read_member, too_large_sentence

    if path.suffix.lower() != ".zip":
        try:
            return read_job(path)
        except EngineError as e:
            raise CliError(str(e)) from None
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            root = next(n.split("/")[0] for n in zf.namelist())
            return json.loads(read_member(zf, f"{root}/{JOB_FILE}", JOB_FILE_LIMIT))
    except TooLarge as e:
        raise CliError(too_large_sentence(quoted(path.name), e, "a job's description can hold")) from None


def cmd_import_run(args) -> int:
    from ..engine.runs.jobs import import_run
    from ..engine.use.figures import percent
    from ..project import run_records
    from ..project.seen_scores import score_seen
    from .train_result import finished_metrics

    with Project.open(args.dir) as project:
        try:
            run_id = import_run(project, args.run, name=args.name)
        except EngineError as e:
            raise engine_error(e) from None  # a model that does not fit its design: its details in --json
        info = run_records.get_run(project, run_id)
    s = info.summary

    def pct(v):  # the app's one rounding rule (figures.percent), "-" for none
        return percent(v) if isinstance(v, (int, float)) and math.isfinite(v) else "-"

    out = {"run": run_id, "name": info.name, "status": info.status, "best_epoch": s.get("best_epoch"),
           "epochs": s.get("last_epoch"),
           **finished_metrics(s.get("val_accuracy"), s.get("test_accuracy"), score_seen(s), args.dir, run_id)}
    from .train_rows import json_rows, rows_of, run_metrics

    rows_done = run_metrics(args.dir, run_id)  # a frozen head fitted exactly: its strengths are no epochs, as in train
    out = json_rows(out, rows_of(info.config, s.get("last_epoch"), rows_done), s.get("last_epoch"),
                    s.get("best_epoch"), rows_done)
    # its test score is not said: looked at once, on purpose (seen_scores), as cnnstudio train ends on validation;
    # --json the same way as cnnstudio train's (its test figure once looked at, else the command that looks)
    emit(args, out, f"Imported run {run_id} ({info.status}): val accuracy {pct(s.get('val_accuracy'))}. "
                    f"See 'cnnstudio runs {args.dir}'.")
    return 0
