"""Using a trained model from the command line: ``cnnstudio predict`` and ``cnnstudio export``.

MODEL is a bundle folder, a bundle ``.zip``, or a project folder (its best finished run, or ``--run RUN_ID``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..engine.use.novelty_words import NO_HINT, UNLIKE_LONG
from .common import (RUN_WORDS, CliError, Progress, add_json_flag, check_at_least, check_out_file,
                     check_run_has_model, emit, engine_error, is_project_folder, model_run_in)

EXPORT_SUFFIXES = {".onnx": "onnx", ".pt": "torchscript", ".ts": "torchscript", ".torchscript": "torchscript",
                   ".zip": "bundle"}
SUFFIX_OF = {"bundle": ".zip", "onnx": ".onnx", "torchscript": ".pt"}  # an export's file without --out


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "predict", help="classify pictures with a trained model",
        description="Classify pictures (files or whole folders, searched recursively) with a trained model. "
                    "MODEL is a model bundle (folder or .zip) or a project folder (its best finished run).")
    p.add_argument("model", metavar="MODEL", help="model bundle (folder or .zip) or project folder")
    p.add_argument("inputs", metavar="IMAGE_OR_FOLDER", nargs="+", help="pictures and/or folders of pictures")
    p.add_argument("--run", metavar="RUN_ID",
                   help=f"with a project folder: use this run instead of the best one ({RUN_WORDS})")
    p.add_argument("--csv", metavar="FILE",
                   help="also write a CSV: path, label, confidence, one column per class, error (why a file was "
                        "skipped), unsure (true when the model is unsure of its answer), unlike_training (true "
                        "when the picture looks unlike the pictures the model learned from; empty when there is no "
                        "such hint: a model bundle given alone, or a run with too few validation pictures)")
    p.add_argument("--top", metavar="K", type=int, default=None,
                   help="show only the K most probable classes per picture (default: all)")
    p.add_argument("--batch-size", type=int, default=None, help=argparse.SUPPRESS)  # None: by device
    p.add_argument("--device", choices=["auto", "cpu", "cuda", "mps"], default=None,
                   help="where to run the model: auto, cpu, cuda or mps (default: the processor for a few pictures, "
                        "auto for many: the graphics card when this computer has one)")
    add_json_flag(p)
    p.set_defaults(func=cmd_predict)

    e = sub.add_parser(
        "export", help="save a trained model as a bundle, ONNX or TorchScript file",
        description="Export a trained model. DIR_OR_MODEL is a project folder (its best finished run, or "
                    "--run RUN_ID) or a model bundle. Formats: bundle (folder or .zip, opens in CNN Studio), "
                    "onnx (needs the 'export' extra), torchscript.")
    e.add_argument("model", metavar="DIR_OR_MODEL", help="project folder or model bundle (folder or .zip)")
    e.add_argument("--run", metavar="RUN_ID",
                   help=f"with a project folder: export this run instead of the best one ({RUN_WORDS})")
    e.add_argument("--format", choices=("bundle", "onnx", "torchscript"), default=None,
                   help="output format (default: from the --out name: .onnx, .pt, .zip or a folder -> bundle; "
                        "without --out: bundle)")
    e.add_argument("--out", metavar="PATH", default=None,
                   help="where to write the exported model (default: in the current folder, named after the "
                        "project and the run: 'Flowers - Small VGG - 40 epochs.onnx')")
    e.add_argument("--replace", action="store_true",
                   help="replace an earlier export of another run at --out (an export of the same run is always "
                        "replaced; a file CNN Studio did not export never is)")
    add_json_flag(e)
    e.set_defaults(func=cmd_export)


def cmd_predict(args: argparse.Namespace) -> int:
    from ..engine.errors import EngineError
    from ..engine.use.batching import scoring_device
    from ..engine.use.bundle import load_bundle
    from ..engine.use.predict import (BatchResult, Predictor, check_csv_path, collect_images, resolve_model_path,
                                      write_csv)
    from ..engine.use.figures import probability_percent
    from ..engine.use.novelty_words import HINT_HOW
    from ..engine.use.unsure import RULE_WORDS

    check_at_least(args.top, "--top", 1)
    if args.batch_size is not None:
        check_at_least(args.batch_size, "--batch-size", 1)
    for raw in args.inputs:
        if not Path(raw).exists():
            raise CliError(f"{raw} does not exist")
    check_run_has_model(args.model, args.run)  # a run that failed before saving its model: how to resume it
    run_id = model_run_in(args.model, args.run)  # by its id or name, else the run evaluate and the window use
    try:
        if args.csv:
            check_out_file(args.csv, "predictions.csv")
            check_csv_path(args.csv)  # before any work: never over a picture or a report
        files, skipped = collect_images(args.inputs, exclude=[args.csv] if args.csv else ())
        if not files and not skipped:  # an empty folder: said before any model is loaded
            _nothing_to_classify(args, BatchResult())
        bundle = resolve_model_path(args.model, run_id)  # once: the predictor and the novelty hint use this one
        predictor = Predictor(load_bundle(bundle), device=args.device or scoring_device(len(files)),
                              batch_size=args.batch_size)
        no_hint = _attach_novelty(predictor, args.model, bundle)
        progress = Progress("Predicting", quiet=len(files) < 2 * predictor.batch_size)
        result = _predict_stoppable(predictor, files, progress)
        result.skipped = skipped + result.skipped
        if args.csv:
            result.csv_path = str(write_csv(result, predictor.class_names, args.csv))
    except EngineError as e:
        raise engine_error(e) from None  # its details in --json
    lines = []
    for pr in result.predictions:
        ranked = pr.top(args.top or 1)
        others = ", ".join(f"{name} {probability_percent(p)}" for name, p in ranked[1:])
        unsure = ", unsure" if pr.unsure else ""
        unlike = f", {UNLIKE_LONG}" if pr.unlike_training else ""
        lines.append(f"{pr.shown_path}: {pr.label} ({probability_percent(pr.confidence)}{unsure}{unlike})"
                     + (f"  [{others}]" if others else ""))
    for s in result.skipped:
        lines.append(f"{s['path']}: skipped: {s['reason']}")
    if any(pr.unsure for pr in result.predictions):
        lines.append(f"Unsure: {RULE_WORDS}; the picture may be unlike any the model learned from.")
    if any(pr.unlike_training for pr in result.predictions):
        lines.append(f"Unlike the training pictures (a hint, not a promise): {HINT_HOW}")
    if no_hint and result.predictions:
        lines.append(no_hint[0].upper() + no_hint[1:] + ".")
    if result.csv_path:
        lines.append(f"Wrote {result.csv_path}.")
    stopped = ""
    if result.cancelled:  # Ctrl-C: what was classified is kept and said, as import and train keep theirs
        done = len(result.predictions) + len(result.skipped) - len(skipped)
        kept = f": their predictions are in {result.csv_path}" if result.csv_path else ""
        stopped = f"stopped after {done:,} of {len(files):,} pictures{kept}"
        lines.append(stopped[0].upper() + stopped[1:] + ".")
    elif not result.predictions:
        _nothing_to_classify(args, result, lines)
    run = {"run": bundle.parent.name} if is_project_folder(args.model) else {}  # which run "the best" was
    extra = {"stopped": True, "done": done, "total": len(files)} if stopped else {}
    emit(args, {**result.to_json(top=args.top), **run, **extra}, "\n".join(lines), exit_code=130 if stopped else 0,
         error=stopped)
    return 130 if stopped else 0


def _predict_stoppable(predictor, files, progress):
    """``predictor.predict_many(files)``, where a Ctrl-C stops after the batch in hand and keeps the pictures
    classified so far (``result.cancelled``, written to the CSV by the caller); a second one aborts at once, writing
    nothing more. SIGTERM is not caught: it ends the process as the system means it to."""
    import signal
    import threading

    cancel = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        return predictor.predict_many(files, progress=progress, cancel=cancel)

    def on_interrupt(signum, frame):
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        return predictor.predict_many(files, progress=progress, cancel=cancel)
    finally:
        signal.signal(signal.SIGINT, previous)


def _nothing_to_classify(args: argparse.Namespace, result, lines: list[str] = ()) -> None:
    """No picture classified: a failure, said once on stderr; with --json the result carries it (``error`` and
    ``exit_code``, as import's does), and without, the skipped files' reasons come first (not the one file's
    reason, which the sentence says)."""
    said = _nothing_classified(args.inputs, result.skipped)
    one_reason = len(result.skipped) == 1 and said.endswith(result.skipped[0]["reason"])  # said once, by the error
    if args.json or (lines and not one_reason):
        emit(args, {**result.to_json(top=args.top), "error": said, "exit_code": 1}, "\n".join(lines))
    raise CliError(said)


def _nothing_classified(inputs: list[str], skipped: list[dict]) -> str:
    """Why ``predict`` classified no picture, one sentence: nothing found in what was given, or every file skipped
    (the one file's reason when a single file was given)."""
    where = inputs[0] if len(inputs) == 1 else "the files and folders given"
    if not skipped:
        return f"there are no pictures to classify in {where}"
    if len(skipped) == 1 and skipped[0]["path"] in map(str, inputs):
        return f"no picture could be classified from {skipped[0]['path']}: {skipped[0]['reason']}"
    return (f"no picture could be classified from {where}: "
            + ("the one file found was skipped" if len(skipped) == 1 else f"all {len(skipped)} files were skipped"))


def _attach_novelty(predictor, model: str, bundle: Path) -> str:
    """For a project's run (``bundle``: its model folder, resolved once by the caller): its "unlike the training
    pictures" hint (computed and kept in the run's folder the first time, :mod:`cnnstudio.engine.runs.run_novelty`);
    returns why there is none ("" when there is one, or when MODEL is a bundle given alone: it carries no training
    pictures, and its CSV column stays empty)."""
    from ..engine.runs.run_novelty import attach_novelty
    from ..project import Project

    if not is_project_folder(model):
        return ""
    from ..engine.errors import EngineError
    from ..project.errors import ProjectError

    try:
        with Project.open(model, read_only=True) as project:  # it only reads; the kept result goes in the run folder
            return attach_novelty(predictor, project, bundle.parent.name,
                                  progress=Progress("Comparing with the training pictures"))
    except (EngineError, ProjectError, OSError) as e:  # the answers do not need it: they are printed without it
        return f"{NO_HINT}: {e}"
    except (KeyError, TypeError, ValueError):  # a dataset.json edited by hand
        return f"{NO_HINT}: the run's list of pictures is damaged"


#: each format in the export's one sentence ("Exported run 'first' as an ONNX file to m.onnx.")
FORMAT_WORDS = {"bundle": "a model bundle", "onnx": "an ONNX file", "torchscript": "a TorchScript file"}
#: the names each format's file may end in, as a refusal suggests them
NAME_WORDS = {"bundle": "a .zip name or a folder", "onnx": "a .onnx name", "torchscript": "a .pt name"}


def _format_for(out: str, fmt: str | None) -> str:
    """The export's format: --format, else told by the --out name; a --format the name's known ending contradicts
    (``--format torchscript --out m.onnx``) is refused rather than written under a name that says another."""
    p = Path(out)
    suffix = p.suffix.lower()
    if fmt:
        named = EXPORT_SUFFIXES.get(suffix)
        if named is not None and named != fmt:
            raise CliError(f"--out ends in {suffix} but --format is {fmt}: use {NAME_WORDS[fmt]} or --format "
                           f"{named}")
        return fmt
    if suffix in EXPORT_SUFFIXES:
        return EXPORT_SUFFIXES[suffix]
    if not suffix or p.is_dir():
        return "bundle"
    raise CliError(f"cannot tell the format from {p.name}: add --format bundle, onnx or torchscript")


def _refuse_exported_file(model: str) -> None:
    """An ONNX or TorchScript file CNN Studio exported given as what to export: what export needs instead."""
    from ..engine.use.export_paths import exported_kind

    path = Path(model)
    kind = exported_kind(path) if path.is_file() else ""
    if kind:
        raise CliError(f"{path.name} is {'a TorchScript' if kind == 'TorchScript' else 'an ONNX'} file CNN Studio "
                       "exported, which cannot be exported again: export needs the project folder (its best run, or "
                       "--run RUN_ID) or a model bundle (a .zip or folder made by 'cnnstudio export --out model.zip')")


def _run_names(model: str):
    """Names a run of the project folder ``model`` by its id ("" when it is not one of its runs, or ``model`` is a
    bundle): what the sentence about an earlier export calls the run it holds."""
    from ..project import Project
    from ..project.run_records import find_run

    def name_of(run_id: str) -> str:
        if not is_project_folder(model):
            return ""
        try:
            with Project.open(model) as project:
                run = find_run(project, run_id)
        except Exception:  # noqa: BLE001 - only a name for a sentence: without it the run's id is said
            return ""
        return run.name if run is not None else ""

    return name_of


def _default_out(model: str, src: Path, fmt: str) -> Path:
    """Where an export goes without --out: the current folder, named after the project and the run it exports
    (:func:`.run_names.export_file_stem`), or after the bundle given."""
    from ..project.run_names import export_file_stem

    given = Path(model)
    if is_project_folder(given):
        stem = export_file_stem(given.resolve().name, _run_names(model)(src.parent.name))
    else:
        stem = export_file_stem(given.resolve().stem)
    out = Path.cwd() / (stem + SUFFIX_OF[fmt])
    if out.resolve() == given.resolve():
        raise CliError(f"{given.name} is the bundle given: add --out to say where its copy goes")
    return out


def cmd_export(args: argparse.Namespace) -> int:
    from ..engine.errors import EngineError
    from ..engine.use.export import export
    from ..engine.use.export_held import other_export, replace_refused
    from ..engine.use.export_paths import check_target
    from ..engine.use.predict import resolve_model_path

    fmt = _format_for(args.out, args.format) if args.out else args.format or "bundle"
    check_run_has_model(args.model, args.run)
    _refuse_exported_file(args.model)
    run_id = model_run_in(args.model, args.run)  # by its id or name, else the run evaluate and the window use
    try:
        src = resolve_model_path(args.model, run_id)
        out = Path(args.out) if args.out else _default_out(args.model, src, fmt)
        if fmt != "bundle":  # a bundle may be a folder
            check_out_file(out, f"model{SUFFIX_OF[fmt]}")
        check_target(fmt, out)  # a file CNN Studio did not export: refused before anything is loaded or converted
        held = other_export(src, fmt, out)
        if held is not None and not args.replace:
            raise CliError(replace_refused(out, held, _run_names(args.model)))
        progress = Progress(f"Exporting {fmt}")
        result = export(src, fmt, out, progress=progress)
    except EngineError as e:
        raise engine_error(e) from None  # its details in --json
    obj = {"path": str(result.path), "format": result.format, "source": str(src), "exporter": result.exporter,
           "max_abs_diff": result.max_abs_diff, **({"run": src.parent.name} if is_project_folder(args.model) else {})}
    emit(args, obj, exported_words(_what_exported(args.model, src), fmt, result.path, result.max_abs_diff is not None))
    return 0


def exported_words(what: str, fmt: str, path, checked: bool) -> str:
    """Export's sentence: "Exported run 'first' as an ONNX file to m.onnx; it gives the same answers as the model in
    CNN Studio (checked)." The check's number is for scripts (--json's ``max_abs_diff``), not for this sentence."""
    same = "; it gives the same answers as the model in CNN Studio (checked)" if checked else ""
    return f"Exported {what} as {FORMAT_WORDS.get(fmt, fmt)} to {path}{same}."


def _what_exported(model: str, src: Path) -> str:
    """ "run 'first'" for a project's run (its id when it has no name), "the model bundle m.zip" for a bundle."""
    if is_project_folder(model):
        return f"run '{_run_names(model)(src.parent.name) or src.parent.name}'"
    return f"the model bundle {Path(model).name}"
