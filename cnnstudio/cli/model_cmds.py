"""``cnnstudio layers`` and ``cnnstudio validate``: the model-design part of the engine, from the shell.

Neither command imports torch for catalog-only designs, so both start fast; a design with a backbone
loads torch to measure it. ``validate --input`` sets the input of a spec file and of any preset (a transfer
preset's own 224x224x3 included, as the Model page lets one change it); without it a preset keeps its own input (a
transfer preset's 224x224x3), or, for a preset from scratch (which has none), takes the one suggested for the pictures
of ``--project DIR``. A pretrained backbone whose weights are not on this computer is a mistake, in the words
``cnnstudio train`` refuses with (:func:`weights_problem`). A design without mistakes gets the
training memory estimate (weights and training state, plus per picture, a batch of 64 counted) and, when a batch of 64 pictures (the default batch size: the command has no batch size
of its own, where the Model page counts the Train page's) would need too much of this computer's memory, the same
warning as the Model page (:mod:`cnnstudio.engine.model.cost`).
"""

from __future__ import annotations

import argparse
import re

from ..project.counting import counted
from .common import CliError, add_json_flag, emit


def register(sub) -> None:
    from ..engine.model.cost import DEFAULT_BATCH_SIZE

    p = sub.add_parser("layers", help="list the layer types, presets and backbones for model designs",
                       description="List the layer types a model spec can use (with every setting and its "
                                   "default), the ready-made designs (presets) and the pretrained networks "
                                   "(backbones) for transfer learning. Nothing is changed.")
    add_json_flag(p)
    p.set_defaults(func=cmd_layers)

    p = sub.add_parser(
        "validate",
        help="check a model design: output shape, parameters and multiply-adds of every layer",
        description="Check a model spec (JSON) or a preset before training. Exit status 0 if it is fine, "
        f"1 if it has mistakes (each explained in one sentence). A design that a batch of {DEFAULT_BATCH_SIZE} "
        "pictures (the default batch size) would not fit in this computer's memory gets a warning.",
    )
    p.add_argument("spec", nargs="?", metavar="SPEC.json", help="a model spec file")
    p.add_argument("--preset", metavar="NAME", help="check a preset instead of a file (see 'cnnstudio layers')")
    p.add_argument("--input", metavar="HxWxC",
                   help="picture size, e.g. 28x28x1 (height x width x channels); overrides the spec's or the "
                   "preset's own (a transfer preset's 224x224x3); a preset from scratch has none: give --input "
                   "or --project")
    p.add_argument("--project", metavar="DIR",
                   help="a project folder: a preset from scratch given no --input takes the input suggested for "
                   "its pictures")
    p.add_argument("--classes", type=int, required=True, metavar="N", help="number of classes: the design's last layer gives one score per class, so its "
                   "size depends on it (a spec file does not say it)")
    add_json_flag(p)
    p.set_defaults(func=cmd_validate)


def parse_input(text: str) -> tuple[int, int, int]:
    """ "28x28x1" -> (28, 28, 1): height, width, channels."""
    m = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*[xX×]\s*(\d+)\s*", text or "")
    if not m:
        raise CliError(f"--input must look like 28x28x1 (height x width x channels), not '{text}'")
    h, w, c = (int(g) for g in m.groups())
    return h, w, c


def cmd_layers(args: argparse.Namespace) -> int:
    from ..engine.model.backbones import list_backbones, weights_status
    from ..engine.model.catalog import list_layers
    from ..engine.model.presets import list_presets

    backbones = [{**b.to_json(), "weights": weights_status(b.name)} for b in list_backbones()]
    obj = {
        "layers": [lt.to_json() for lt in list_layers()],
        "presets": list_presets(),
        "backbones": backbones,
    }
    lines = ["Layer types (a setting a spec leaves out gets its default):"]
    for lt in list_layers():
        lines.append(f"  {lt.type:<16} {lt.title} [{lt.category}]: {lt.help}")
        for ps in lt.params:
            lines.append(f"      {ps.name:<14} {ps.describe()}; default {_text(ps.default)}. {ps.help}")
    lines.append("")
    lines.append("Presets (cnnstudio validate --preset NAME ...):")
    for p in obj["presets"]:
        lines.append(f"  {p['name']:<22} {p['title']}: {p['description']}")
    lines.append("")
    lines.append("Backbones (transfer learning):")
    for b in backbones:
        state = "weights installed" if b["weights"]["installed"] else "pretrained weights not installed"
        lines.append(f"  {b['name']:<16} {b['title']}: {b['help']} ({state})")
    emit(args, obj, "\n".join(lines))
    return 0


def _text(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return f"'{v}'" if isinstance(v, str) else str(v)


def cmd_validate(args: argparse.Namespace) -> int:
    from ..engine.errors import EngineError
    from ..engine.model.cost import memory_warning, training_memory_words
    from ..engine.model.validate import shape_text, validate

    if args.spec and args.preset:
        raise CliError("give either SPEC.json or --preset, not both")
    if not args.spec and not args.preset:
        raise CliError("give a model spec file (SPEC.json) or --preset NAME")
    size = parse_input(args.input) if args.input is not None else None
    try:
        if args.preset:
            spec = preset_spec(args.preset, size, getattr(args, "project", None))
        else:
            from ..engine.model.spec import ModelSpec

            spec = ModelSpec.load(args.spec)
            if size is not None:
                spec = spec.with_input(*size)
        report = validate(spec, args.classes)
    except EngineError as e:
        raise CliError(str(e)) from None

    weights = weights_problem(spec)
    width = max([28] + [len(e.label) for e in report.layers])  # a name whole, never cut mid-word
    rows = [f"{'#':>3}  {'layer':<{width}} {'output':<12} {'parameters':>12} {'multiply-adds':>15}"]
    for e in report.layers:
        rows.append(f"{e.index:>3}  {e.label:<{width}} {shape_text(e.out_shape):<12} "
                    f"{_count(e.params):>12} {_count(e.macs):>15}")
    if report.ok:
        rows.append(f"total: {report.total_params:,} parameters ({report.trainable_params:,} trained), "
                    f"{report.total_macs:,} multiply-adds per picture")
        if report.memory is not None:  # the whole of it, as the Model page says it (QA model #7)
            rows.append(f"memory in training: {training_memory_words(report.memory)}")
    else:
        rows.append("totals once the design is valid")
    warning = memory_warning(report.memory)  # a batch of 64 (the default), this computer's memory
    rows += [f"note: {n}" for n in report.notes]
    rows += [f"warning: {warning}"] if warning else []
    errors = report.errors + ([weights] if weights else [])
    rows += [f"error: {e}" for e in errors]
    rows.append("the design is fine" if not errors else f"{counted(len(errors), 'mistake')} to fix")
    code = 0 if not errors else 1
    said = "" if not errors else errors[0] if len(errors) == 1 else (
        f"{counted(len(errors), 'mistake')} to fix: {errors[0]}")  # the first one said, the rest listed in "errors"
    emit(args, {**report.to_json(), "ok": not errors, "errors": errors, "warnings": [warning] if warning else []},
         "\n".join(rows), exit_code=code, error=said)
    return code


def preset_spec(name: str, size: tuple[int, int, int] | None, project_dir: str | None = None):
    """Preset ``name`` at ``size`` (``--input``); without it, at the preset's own input (a transfer preset's
    224x224x3) or, for a preset from scratch, at the input suggested for ``project_dir``'s pictures."""
    from ..engine.model.design import PRETRAINED_CHANNELS, PRETRAINED_SIDE
    from ..engine.model.presets import get_preset, make_preset, pretrained_backbone

    if size is None:
        get_preset(name)  # an unknown name: said first ("did you mean ...?")
        if pretrained_backbone(name) is not None:
            size = (PRETRAINED_SIDE, PRETRAINED_SIDE, PRETRAINED_CHANNELS)
        elif project_dir:
            from ..engine.train.settings import suggest_preprocess
            from ..project import Project

            with Project.open(project_dir) as project:
                pp = suggest_preprocess(project)
            size = (pp.height, pp.width, pp.channels)
        else:
            raise CliError(f"the preset '{name}' has no picture size of its own: give --input, e.g. --input "
                           "28x28x1, or --project DIR for the size suggested for its pictures")
    return make_preset(name, *size).with_input(*size)  # a transfer preset makes its own input: --input overrides it


def weights_problem(spec) -> str:
    """Why ``cnnstudio train`` would refuse ``spec`` for its pretrained weights, in its words (the engine's
    :class:`~cnnstudio.engine.errors.WeightsNotFound`); "" when the design has no pretrained backbone or its weights
    are here."""
    bb = getattr(spec, "backbone", None)
    if bb is None or not bb.pretrained:
        return ""
    from ..engine.errors import EngineError, WeightsNotFound
    from ..engine.model.backbones import find_weights

    try:
        find_weights(bb.name, bb.weights_file)
    except WeightsNotFound as e:
        return str(e)
    except EngineError:  # an unknown backbone: the design's own check says so
        return ""
    return ""


def _count(n) -> str:
    return "?" if n is None else f"{n:,}"
