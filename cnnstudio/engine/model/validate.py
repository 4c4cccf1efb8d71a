"""Check a :class:`ModelSpec` before anything reaches PyTorch: shapes, parameter counts, plain-words errors.

:func:`validate` walks the layers with the catalog's shape rules and returns a
:class:`ValidationReport`: one :class:`LayerReport` per layer (numbered from 1 as users see them; a
backbone is entry 0), then the output layer, which is always added: fully connected, one unit per
class (softmax is applied only when predicting). If the layers end with a feature map, or a fully
connected layer gets one, a flatten is inserted and a note says so.

Every mistake - unknown layer type, missing, extra or wrong settings, a feature map shrunk to
nothing, a bad number of classes, an input side outside the one range (:func:`~cnnstudio.project.imaging.
input_side_problem`), more than :data:`~cnnstudio.engine.model.spec.MAX_LAYERS` layers - becomes a sentence that
names the layer and says what to change. Checking goes on after an error; shapes after it are unknown (None). A
model over :data:`MAX_PARAMS` parameters is the error of the layer that holds most of them, with advice that fits
that layer (:func:`_params_problem`).

A design without mistakes gets an estimate of its training memory (:attr:`ValidationReport.memory`, see
:mod:`.cost`).

For catalog layers this module is pure Python (no torch); for a backbone it measures the torchvision
module once on the meta device (see :func:`cnnstudio.engine.model.backbones.backbone_stats`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ...project.imaging import INPUT_CHANNELS, input_side_problem
from . import cost
from .backbones import BACKBONES, backbone_stats, unknown_backbone_message
from .catalog import CATALOG, LayerType, Shape, ShapeProblem, _word, suggest, unknown_layer_message
from .param_words import setting_name, shape_words
from .spec import ModelSpec, too_many_layers

MAX_PARAMS = 100_000_000
BIG_FLATTEN = 50_000


def shape_text(shape: Shape | None) -> str:
    """(64, 7, 7) -> "64x7x7"; (128,) -> "128"; None -> "?": a table's column (the notes and errors say a shape in
    words, :func:`~.param_words.shape_words`)."""
    return "?" if shape is None else "x".join(str(d) for d in shape)


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


@dataclass(frozen=True)
class LayerReport:
    index: int  # 1-based as shown to users; 0 = the backbone; len(layers) + 1 = the output layer
    type: str
    title: str
    label: str  # e.g. "conv 32 3x3", "max-pool 2x2"
    out_shape: tuple[int, ...] | None  # (C, H, W) or (F,); None when unknown
    params: int | None
    macs: int | None
    trainable_params: int | None
    error: str | None = None
    auto: bool = False  # added by CNN Studio (the output layer)

    def to_json(self) -> dict:
        return {
            "index": self.index,
            "type": self.type,
            "title": self.title,
            "label": self.label,
            "output_shape": list(self.out_shape) if self.out_shape is not None else None,
            "params": self.params,
            "trainable_params": self.trainable_params,
            "macs": self.macs,
            "error": self.error,
            "auto": self.auto,
        }


@dataclass(frozen=True)
class PlanStep:
    """One module to build: a catalog layer with its input shape (includes inserted flattens)."""

    layer: LayerType
    in_shape: Shape
    params: dict
    index: int  # the report entry it belongs to


@dataclass(frozen=True)
class ValidationReport:
    spec: ModelSpec
    num_classes: Any
    layers: tuple[LayerReport, ...]
    notes: tuple[str, ...]
    problems: tuple[str, ...]  # errors not tied to one layer (the input, the number of layers)
    plan: tuple[PlanStep, ...] = field(default=(), repr=False, compare=False)
    memory: cost.MemoryEstimate | None = field(default=None, compare=False)  # None while there are mistakes

    @property
    def errors(self) -> list[str]:
        return list(self.problems) + [entry.error for entry in self.layers if entry.error]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total_params(self) -> int:
        return sum(entry.params or 0 for entry in self.layers)

    @property
    def trainable_params(self) -> int:
        return sum(entry.trainable_params or 0 for entry in self.layers)

    @property
    def total_macs(self) -> int:
        return sum(entry.macs or 0 for entry in self.layers)

    @property
    def output_shape(self) -> tuple[int, ...] | None:
        return self.layers[-1].out_shape if self.layers else None

    def to_json(self) -> dict:
        return {
            "ok": self.ok,
            "input": self.spec.input.to_json(),
            "num_classes": self.num_classes,
            "layers": [entry.to_json() for entry in self.layers],
            "errors": self.errors,
            "notes": list(self.notes),
            "total_params": self.total_params,
            "trainable_params": self.trainable_params,
            "total_macs": self.total_macs,
            "memory": self.memory.to_json() if self.memory is not None else None,
        }


def _flat_words(n: int) -> str:
    """16777216 -> "16,777,216 numbers"; 1 -> "1 number"."""
    return f"{n:,} number{'s' if n != 1 else ''}"


def _check_params(lt: LayerType, params: dict) -> list[str]:
    """What is wrong with a layer's settings. A key the layer does not have is quoted as written (it is in the user's
    file); a setting it has is named as the Model page names it (:func:`~.param_words.setting_name`: "dropout rate",
    never "p")."""
    problems = []
    names = [p.name for p in lt.params]
    for key in params:
        if key not in names:
            close = suggest(key, names) if isinstance(key, str) else None
            if not names:
                problems.append(f"has no settings, so remove '{key}'")
            else:
                hint = f"did you mean '{close}'?" if close else f"its settings are {', '.join(names)}"
                problems.append(f"has no setting '{key}' ({hint})")
    for ps in lt.params:
        if ps.name not in params:
            problems.append(f"the {setting_name(ps.name)} setting is missing: add it ({ps.describe()}; "
                            f"usually {_word(ps.default)})")
            continue
        bad = ps.check(params[ps.name])
        if bad:
            problems.append(f"the {setting_name(ps.name)} {bad}")
    return problems


def params_sentence(index: int, lt: LayerType, params: dict) -> str | None:
    """What is wrong with the settings of layer ``index`` (counted from 1), a ``lt``, in one sentence ("layer 1,
    convolution: the kernel size must be a whole number from 1 to 15, not NaN"); None when they are right. The design
    check's words, which :meth:`ModelSpec.from_json <cnnstudio.engine.model.spec.ModelSpec.from_json>` says too when
    it refuses a setting that is not a number at all (NaN or infinity)."""
    problems = _check_params(lt, params)
    return f"layer {index}, {lt.name_in_sentence}: " + "; ".join(problems) if problems else None


def _check_input(spec: ModelSpec) -> list[str]:
    problems = [p for p in (input_side_problem(name, getattr(spec.input, name)) for name in ("height", "width")) if p]
    c = spec.input.channels
    if not _is_int(c) or c not in INPUT_CHANNELS:  # what training can feed it: pictures are read grey or colour
        problems.append(f"the input's channels must be 1 (grey) or 3 (colour), not {c!r}")
    return problems


def validate(spec: ModelSpec, num_classes: int) -> ValidationReport:
    """Check ``spec`` for a classifier with ``num_classes`` classes; never raises for a bad design."""
    entries: list[LayerReport] = []
    notes: list[str] = []
    problems = _check_input(spec)
    too_many = too_many_layers(len(spec.layers))  # a spec made in Python: from_json refuses such a file
    if too_many:
        problems.append(too_many)
    plan: list[PlanStep] = []
    shape: Shape | None = None if problems else spec.input.shape

    # -- the backbone ---------------------------------------------------------------------------------
    bb = spec.backbone
    if bb is not None:
        info = BACKBONES.get(bb.name)
        errs: list[str] = []
        title = info.title if info else bb.name
        label = f"{title} ({'pretrained' if bb.pretrained else 'from scratch'}{', frozen' if bb.freeze else ''})"
        out = params = macs = trainable = None
        if info is None:
            errs.append(unknown_backbone_message(bb.name))
        if bb.freeze and not bb.pretrained:
            errs.append("it is frozen but not pretrained, so it would never learn: set pretrained to true, "
                        "or freeze to false")
        if shape is not None and info is not None:
            c, h, w = shape
            if bb.pretrained and c != 3:
                errs.append(f"use RGB input for a pretrained backbone: the input has {c} channel"
                            f"{'s' if c != 1 else ''}, {info.title} weights need 3 (set the input's channels to 3; "
                            "grey pictures are then repeated into all three)")
            if h < info.min_input or w < info.min_input:
                errs.append(f"it needs an input of at least {info.min_input} × {info.min_input} pixels, not {h} × {w}: "
                            f"use a larger input ({info.default_input} × {info.default_input} suits it best)")
            elif bb.pretrained and min(h, w) < 96:
                notes.append(f"{info.title} learned from {info.default_input} × {info.default_input} pictures; "
                             f"at {h} × {w} its pretrained features work less well (96 × 96 or more is better)")
            if not errs:
                out_dim, params, macs = backbone_stats(bb.name, c, h, w)
                out = (out_dim,)
                trainable = 0 if bb.freeze else params
        error = f"the backbone, {label}: " + "; ".join(errs) if errs else None
        entries.append(LayerReport(0, bb.name, f"{title} backbone", label, out, params, macs, trainable, error))
        shape = out

    # -- the layers -----------------------------------------------------------------------------------
    for i, ls in enumerate(spec.layers, 1):
        lt = CATALOG.get(ls.type) if isinstance(ls.type, str) else None
        if lt is None:
            entries.append(LayerReport(i, str(ls.type), "Unknown layer", str(ls.type), None, None, None, None,
                                       f"layer {i}: {unknown_layer_message(ls.type)}"))
            shape = None
            continue
        params = dict(ls.params)
        msg = params_sentence(i, lt, params)
        if msg:  # labelled as it was before the mistake where its settings allow ("conv 32 29x29", not "Convolution")
            entries.append(LayerReport(i, lt.type, lt.title, lt.describe(params), None, None, None, None, msg))
            shape = None
            continue
        label = lt.describe(params)
        if shape is None:  # an earlier mistake: the input of this layer is unknown
            entries.append(LayerReport(i, lt.type, lt.title, label, None, None, None, None, None))
            continue
        if lt.accepts == "map" and len(shape) != 3:
            fix = ("after a backbone use only fully connected, dropout and activation layers" if bb is not None else
                   "move it before the flatten, global average pooling or fully connected layers")
            msg = (f"layer {i}, {label}, needs a feature map (channels x height x width) but gets a flat list of "
                   f"{_flat_words(shape[0])}: {fix}")
            entries.append(LayerReport(i, lt.type, lt.title, label, None, None, None, None, msg))
            shape = None
            continue
        if lt.accepts == "vector" and len(shape) == 3:
            flat = CATALOG["flatten"]
            plan.append(PlanStep(flat, shape, {}, i))
            notes.append(f"a flatten is added before layer {i} ({label}): the {shape_words(shape)} feature map "
                         f"becomes {_flat_words(flat.shape(shape, {})[0])}")
            shape = flat.shape(shape, {})
        try:
            out = lt.shape(shape, params)
        except ShapeProblem as e:
            entries.append(LayerReport(i, lt.type, lt.title, label, None, None, None, None, f"layer {i}, {label}, {e}"))
            shape = None
            continue
        n = lt.count_params(shape, params)
        entries.append(LayerReport(i, lt.type, lt.title, label, out, n, lt.count_macs(shape, params), n))
        plan.append(PlanStep(lt, shape, params, i))
        shape = out

    # -- the output layer -----------------------------------------------------------------------------
    out_index = len(spec.layers) + 1
    if not _is_int(num_classes) or num_classes < 1:
        entries.append(LayerReport(out_index, "linear", "Output (fully connected)", "output", None, None, None, None,
                                   f"the number of classes must be a whole number of at least 1, not {num_classes!r}: "
                                   "add classes to the project"))
    else:
        label = f"output, {num_classes} class{'es' if num_classes != 1 else ''}"
        if num_classes == 1:
            notes.append("with one class there is nothing to tell apart: add a second class before training")
        if shape is None:
            entries.append(LayerReport(out_index, "linear", "Output (fully connected)", label, None, None, None, None,
                                       None, auto=True))
        else:
            if len(shape) == 3:
                flat = CATALOG["flatten"]
                plan.append(PlanStep(flat, shape, {}, out_index))
                notes.append(f"a flatten is added before the output layer: the {shape_words(shape)} feature map "
                             f"becomes {_flat_words(flat.shape(shape, {})[0])}")
                shape = flat.shape(shape, {})
            if shape[0] > BIG_FLATTEN:
                notes.append(_big_input_note(shape[0], plan, entries))
            lin = CATALOG["linear"]
            p = {"out_features": num_classes, "bias": True}
            n = lin.count_params(shape, p)
            entries.append(LayerReport(out_index, "linear", "Output (fully connected)", label, (num_classes,), n,
                                       lin.count_macs(shape, p), n, None, auto=True))
            plan.append(PlanStep(lin, shape, p, out_index))

    total = sum(entry.params or 0 for entry in entries)
    if total > MAX_PARAMS:
        pos, msg = _params_problem(entries, plan, total)
        entries[pos] = replace(entries[pos], error=msg)
    mistakes = problems or any(entry.error for entry in entries)
    memory = None if mistakes else cost.estimate(spec, entries)
    return ValidationReport(spec, num_classes, tuple(entries), tuple(notes), tuple(problems), tuple(plan), memory)


def _share_words(part: int, total: int) -> str:
    """ "all of them", else the share in whole percent, written as every figure of the app is ("87% of them",
    "more than 99% of them"; engine/model sits below figures.percent, and a layer's share needs no decimals)."""
    share = 100 * part / total
    return "all of them" if part == total else "more than 99% of them" if share > 99 else f"{share:.0f}% of them"


def _names_words(entries: list[LayerReport]) -> str:
    """Layers 2, 5 and the output one -> "layers 2 and 5 and the output layer"; in the order of the design."""
    names = [f"{e.index}" for e in entries if not e.auto]
    words = ("layer " if len(names) == 1 else "layers ") + (", ".join(names[:-1]) + f" and {names[-1]}"
                                                           if len(names) > 1 else "".join(names))
    if any(e.auto for e in entries):
        words = f"{words} and the output layer" if names else "the output layer"
    return words


def _made_by(plan: list[PlanStep], at: int) -> PlanStep | None:
    """The step that made step ``at``'s input, past activations and dropout (they keep a shape) and flattens of
    a flat list (they change nothing); None when it is the first step's: the input or a backbone's features."""
    for step in reversed(plan[:at]):
        if step.layer.category in ("activation", "regularisation"):
            continue
        if step.layer.type == "flatten" and len(step.in_shape) == 1:
            continue
        return step
    return None


def _from_a_map(plan: list[PlanStep], at: int) -> bool:
    """Whether step ``at`` gets a flattened feature map (a backbone's features are flat: a map would have had a
    flatten put before it)."""
    made = _made_by(plan, at)
    return made is not None and made.layer.type == "flatten"


def _big_input_note(n: int, plan: list[PlanStep], entries: list[LayerReport]) -> str:
    """The note for an output layer that gets ``n`` numbers (more than :data:`BIG_FLATTEN`), with the advice that fits
    where they come from: a flattened feature map gets pooling before it; a fully connected layer (pooling cannot
    follow one) fewer units, named; anything else fewer filters or units before it."""
    made = _made_by(plan, len(plan))
    head = f"the output layer gets {n:,} numbers"
    if made is not None and made.layer.type == "flatten":
        return (f"{head} from a feature map; a global average pooling layer (or more pooling) before it would make "
                "the model much smaller and faster")
    if made is not None and made.layer.type == "linear":
        entry = next(e for e in entries if e.index == made.index)
        return (f"{head} from layer {made.index}, “{entry.label}”: give that layer fewer units to make the model "
                "much smaller and faster")
    return f"{head}; fewer filters or units in the layers before it would make the model much smaller and faster"


def _params_problem(entries: list[LayerReport], plan: list[PlanStep], total: int) -> tuple[int, str]:
    """Where in ``entries`` the layer that holds most of the model's ``total`` parameters is, and its error. The
    sentence names that layer, its share and what makes that kind of layer smaller; when it holds less than half,
    the largest layers that hold half together (three at most) with their share, and advice for them all."""
    order = sorted(range(len(entries)), key=lambda k: entries[k].params or 0, reverse=True)
    pos, e = order[0], entries[order[0]]
    head = f"the model has {total:,} parameters, more than the {MAX_PARAMS:,} CNN Studio allows"
    if 2 * e.params < total:
        top: list[LayerReport] = []
        for k in order[:3]:
            if 2 * sum(t.params for t in top) < total:
                top.append(entries[k])
        kinds = {t.type for t in top}
        advice = ("give them fewer filters" if kinds <= {"conv2d", "residual_block"} else
                  "give them fewer units, or add pooling before the first" if kinds == {"linear"} else
                  "give them fewer filters or units")
        held = sum(t.params for t in top)
        where = f"{_names_words(sorted(top, key=lambda t: t.index))} hold {_share_words(held, total)}"
        if 2 * held < total:
            return pos, f"{head}, spread over many layers ({where}): {advice}"
        return pos, f"{head}, and {where}: {advice}"
    name = "the output layer" if e.auto else f"layer {e.index}, {e.label}," if e.index else "the backbone"
    at = next((k for k, s in enumerate(plan) if s.index == e.index and s.layer.type == e.type), None)
    if e.type == "linear" and at is not None:
        n_in = plan[at].in_shape[0]
        if _from_a_map(plan, at):
            advice = (f"it gets {n_in:,} numbers from a feature map, so add pooling or global average pooling before "
                      "it" + ("" if e.auto else ", or give it fewer units"))
        elif e.auto or n_in >= plan[at].params["out_features"]:
            advice = f"it gets {n_in:,} numbers, so give {'' if e.auto else 'it or '}the layer before it fewer units"
        else:
            advice = "give it fewer units"
    elif e.type == "conv2d":
        advice = "give it fewer filters or a smaller kernel, or the convolution before it fewer filters"
    elif e.type == "residual_block":
        advice = "give it fewer filters, or the layer before it fewer"
    else:
        advice = "make the layers after it smaller"
    return pos, f"{head}, and {name} holds {_share_words(e.params, total)}: {advice}"
