"""The search space: which settings a study tries, as plain JSON, checked before anything runs.

A space is ``{"epochs": N, "params": {NAME: RANGE, ...}}``. A range is one of

- ``{"low": a, "high": b}`` (add ``"log": true`` to search on a log scale: rates, decays, widths),
- ``{"choices": [...]}``,
- a plain value: that setting is fixed for every trial (not searched).

A parameter left out keeps the starting point's value. ``epochs`` is the budget of every trial (the
same for all, so that the pruner compares like with like); pruning stops hopeless trials before it.
``"auto"`` (the default, stored as 0 like ``TrainSettings.epochs``): as many as the default recipe's Auto
gives the starting settings — trial 0 (the starting settings) chooses it by timing its first batches, as
a run from the Train page does, and every later trial of the study trains that many (see
:mod:`.study`). So trial 0 is the run the user would have got without tuning, and a trial is only
"better" when it beats that at the same length. Measured on 4,000 MNIST digits
(``benchmarks/bench_tune.py``): trials of a fixed 10 epochs chose a best trial at 98.4 % test against the
default recipe's 98.9 %.

The parameters (:data:`PARAMS`): the training settings ``lr``, ``batch_size``, ``weight_decay``,
``label_smoothing``, ``augment`` (one knob that scales rotation, shift and zoom: 0 is none, 1 the
starting point's, 2 twice that), ``optimizer``; and the structure of the built-in ``default``
design: ``blocks`` (convolution blocks), ``width`` (channel multiplier), ``dropout`` — the structure
search. A user's own design (or another preset) can be tuned on the training settings alone: a space
that asks for structure parameters with such a design is refused with a sentence that says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..data.augment import AugmentSettings
from ..errors import EngineError
from ..model.catalog import suggest
from ..model.presets import DEFAULT_BLOCKS, DEFAULT_DROPOUT, DEFAULT_WIDTH, make_preset, scaled_default
from ..train.settings import SAFE_AUGMENT, TrainSettings

STRUCTURE = ("blocks", "width", "dropout")
#: The largest learning rate a search tries: already far past what any optimizer here trains with (0.1 is a big
#: step for SGD, 0.01 for Adam), so a larger one is a typing slip, not a setting worth a trial.
LR_MOST = 10.0
DEFAULT_EPOCHS = 0  # "auto": the starting settings' Auto epochs (see the module doc)
AUTO = "auto"


class SpaceError(EngineError):
    """A search space that cannot be searched (unknown parameter, empty range, wrong type).

    ``str(e)``: one sentence in plain words, about the settings by their names for people ("Tick at least one batch
    size to try."), what the Tune page shows. ``in_file``: the same said of a space file's JSON keys
    ("'batch_size': 'choices' must be a non-empty list"), what ``cnnstudio tune --space FILE`` says."""

    def __init__(self, plain: str, in_file: str | None = None):
        super().__init__(plain)
        self.in_file = in_file or plain


@dataclass(frozen=True)
class Param:
    name: str
    title: str  # for people
    explain: str  # one line for the Tune page
    kind: str  # float | int | choice
    default: dict  # the default range
    most: float | None = None  # the largest value that makes sense to try (None: the setting's own check)


PARAMS: dict[str, Param] = {p.name: p for p in (
    Param("lr", "learning rate", "How big each learning step is: too small learns slowly, too big never settles.",
          "float", {"low": 3e-4, "high": 3e-2, "log": True}, most=LR_MOST),
    Param("batch_size", "batch size", "How many pictures the network looks at before each step.",
          "choice", {"choices": [32, 64, 128]}),
    Param("weight_decay", "weight decay", "A gentle pull of the weights towards zero, against overfitting.",
          "float", {"low": 1e-6, "high": 1e-2, "log": True}),
    Param("label_smoothing", "label smoothing", "Teaches the network not to be over-confident.",
          "float", {"low": 0.0, "high": 0.2}),
    Param("augment", "augmentation strength",
          "How much the pictures are turned, shifted and zoomed while training (0: not at all).",
          "float", {"low": 0.0, "high": 2.0}),
    Param("optimizer", "optimizer", "The rule that turns the errors into weight changes.",
          "choice", {"choices": ["adamw", "adam", "sgd"]}),
    Param("blocks", "network depth", "How many convolution blocks the network has (built-in design only).",
          "int", {"low": 2, "high": 4}),
    Param("width", "network width", "How many filters each block has, as a multiple of the usual.",
          "float", {"low": 0.5, "high": 2.0, "log": True}),
    Param("dropout", "dropout", "The share of features switched off while training, against overfitting.",
          "float", {"low": 0.0, "high": 0.5}),
)}


@dataclass(frozen=True)
class Range:
    name: str
    low: float | None = None
    high: float | None = None
    log: bool = False
    choices: tuple | None = None
    fixed: Any = None
    is_fixed: bool = False

    def to_json(self) -> Any:
        if self.is_fixed:
            return self.fixed
        if self.choices is not None:
            return {"choices": list(self.choices)}
        return {"low": self.low, "high": self.high, **({"log": True} if self.log else {})}


@dataclass(frozen=True)
class SearchSpace:
    epochs: int  # per trial; 0: "auto" (the starting settings' Auto epochs)
    ranges: tuple[Range, ...]

    @property
    def searched(self) -> list[str]:
        return [r.name for r in self.ranges if not r.is_fixed]

    @property
    def structure(self) -> bool:
        return any(r.name in STRUCTURE for r in self.ranges)

    def to_json(self) -> dict:
        return {"epochs": self.epochs or AUTO, "params": {r.name: r.to_json() for r in self.ranges}}

    def suggest(self, trial) -> dict:
        """This trial's values (Optuna's ``trial.suggest_*``; fixed values are recorded as user attributes)."""
        out = {}
        for r in self.ranges:
            if r.is_fixed:
                out[r.name] = r.fixed
            elif r.choices is not None:
                out[r.name] = trial.suggest_categorical(r.name, list(r.choices))
            elif PARAMS[r.name].kind == "int":
                out[r.name] = trial.suggest_int(r.name, int(r.low), int(r.high), log=r.log)
            else:
                out[r.name] = trial.suggest_float(r.name, float(r.low), float(r.high), log=r.log)
        return out


def is_built_in_design(spec_json: dict, height: int, width: int, channels: int) -> bool:
    """True when the design is the built-in ``default`` one for this input: its depth, width and dropout can be
    searched (the structure search starts from the preset, not from a copy of it). The Tune page and ``cnnstudio
    tune`` ask this of the Model page's design."""
    return spec_json == make_preset("default", height, width, channels).to_json()


def default_space(structure: bool = True, epochs: int = DEFAULT_EPOCHS) -> dict:
    """The default space as JSON: every training setting, and the structure when the design allows it."""
    return {"epochs": epochs or AUTO, "params": {n: dict(p.default) for n, p in PARAMS.items()
                                         if structure or n not in STRUCTURE}}


#: What a frozen pretrained backbone's head trains with when layers of the user's come after the backbone
#: (:func:`~cnnstudio.engine.train.head_fit.head_fit`: AdamW on the features computed once, no augmentation); a
#: linear head (the transfer presets) is fitted exactly and uses none of the searched settings.
HEAD_USES = ("lr", "batch_size", "weight_decay")
FROZEN_NOTHING_TO_SEARCH = (
    "A frozen pretrained backbone's head is fitted without the settings this search would try (learning rate, batch "
    "size, optimizer and the rest), so every trial would train the same: untick \u201cFrozen\u201d on the Model page "
    "or set \u201cThen fine-tune\u201d on the Train page to search a training that uses them.")


def unused_settings(spec_json: dict | None, settings: TrainSettings) -> frozenset[str]:
    """The searched settings a design's training does not use: for a pretrained backbone kept frozen (the frozen
    path, :func:`~cnnstudio.engine.runs.frozen_run.uses_frozen_path`) with no fine-tuning after, every training
    setting for a linear head, all but :data:`HEAD_USES` for another head; none for every other design."""
    from ..model.spec import ModelSpec
    from ..runs.frozen_run import has_linear_head, uses_frozen_path

    if not isinstance(spec_json, dict) or settings.fine_tune_epochs:
        return frozenset()
    try:
        spec = ModelSpec.from_json(spec_json)
    except (EngineError, KeyError, TypeError, ValueError):
        return frozenset()
    if not uses_frozen_path(spec, settings.preprocess):
        return frozenset()
    training = {n for n in PARAMS if n not in STRUCTURE}
    return frozenset(training if has_linear_head(spec) else training - set(HEAD_USES))


def used_space(space: Any, spec_json: dict | None, settings: TrainSettings) -> Any:
    """``space`` without the settings the design's training does not use (:func:`unused_settings`), so a search of a
    frozen backbone's head tries only what changes it; raises :class:`SpaceError` with
    :data:`FROZEN_NOTHING_TO_SEARCH` when that leaves nothing to search. A space that is not one is given back as it
    is, for :func:`parse_space` to say why."""
    params = space.get("params") if isinstance(space, dict) else None
    unused = unused_settings(spec_json, settings) if isinstance(params, dict) else frozenset()
    if not unused or not unused & set(params):
        return space
    kept = {n: r for n, r in params.items() if n not in unused}
    if not any(isinstance(r, dict) for r in kept.values()):  # nothing left that varies
        raise SpaceError(FROZEN_NOTHING_TO_SEARCH)
    return {**space, "params": kept}


def frozen_refusal(space: Any, spec_json: dict | None, settings: TrainSettings) -> str:
    """:data:`FROZEN_NOTHING_TO_SEARCH` when the design's training uses none of what ``space`` searches (the Tune
    page says it before Start, as :func:`used_space` refuses it), else ""."""
    try:
        used_space(space, spec_json, settings)
    except SpaceError as e:
        return str(e)
    return ""


#: The searched parameters trial 0 (the starting trial) takes from the Train page's settings, by their names there.
FROM_TRAIN_PAGE = ("lr", "batch_size", "weight_decay", "label_smoothing", "optimizer")


def starting_value(r, v):
    """What the starting trial uses for a setting ``v`` in range ``r``: ``v`` itself when it is searched; a choice
    not offered becomes the first one offered, a number outside the range the nearest end (the one rule the
    search and the Tune page's words both follow)."""
    if r.choices is not None:
        return v if v in r.choices else r.choices[0]
    return min(max(v, r.low), r.high)


def parse_space(d: Any, *, structure_allowed: bool = True) -> SearchSpace:
    """Check a space (JSON, see the module doc); raises :class:`SpaceError` with one sentence."""
    if not isinstance(d, dict):
        raise SpaceError("The search space must be a JSON object like {\"epochs\": \"auto\", \"params\": {...}}.")
    unknown = set(d) - {"epochs", "params"}
    if unknown:
        raise SpaceError(f"unknown key {sorted(unknown)[0]!r} in the search space: use 'epochs' and 'params'")
    epochs = d.get("epochs", AUTO)
    if epochs == AUTO:
        epochs = 0
    elif not isinstance(epochs, int) or isinstance(epochs, bool) or not 1 <= epochs <= 1000:
        raise SpaceError("The epochs per trial must be Auto or a whole number from 1 to 1000.",
                         f"'epochs' (per trial) must be \"auto\" or a whole number from 1 to 1000, not {epochs!r}")
    params = d.get("params", {})
    if not isinstance(params, dict) or not params:
        raise SpaceError("Tick at least one setting to search.",
                         "the search space has no parameters: add some under 'params'")
    ranges = []
    for name, spec in params.items():
        if name not in PARAMS:
            close = suggest(str(name), PARAMS)
            hint = f"did you mean '{close}'?" if close else f"the parameters are {', '.join(PARAMS)}"
            raise SpaceError(f"unknown parameter {name!r} in the search space; {hint}")
        if name in STRUCTURE and not structure_allowed:
            raise SpaceError("Network depth, width and dropout can only be searched for the built-in design: "
                             "untick them to search your own design's training settings.",
                             f"'{name}' changes the built-in design's structure; your own design can only be "
                             "tuned on the training settings (remove blocks, width and dropout)")
        ranges.append(_parse_range(PARAMS[name], spec))
    space = SearchSpace(epochs, tuple(ranges))
    if not space.searched:
        raise SpaceError("Tick at least one setting to search.",
                         "every parameter of the search space is fixed: give at least one a range")
    for r in space.ranges:  # every corner must make valid settings
        for v in ([r.fixed] if r.is_fixed else list(r.choices) if r.choices is not None else [r.low, r.high]):
            try:
                apply_params({r.name: v}, TrainSettings(), {"design": "default", "input": (28, 28, 1)})
            except EngineError as e:
                raise SpaceError(f"{_title(PARAMS[r.name])} {v!r} cannot be tried: {e}.",
                                 f"'{r.name}' = {v!r} is not a valid setting: {e}") from None
    return space


def _title(p: Param) -> str:
    """ "Learning rate": the setting's name to start a sentence."""
    return p.title[0].upper() + p.title[1:]


def _most(p: Param, high: float) -> None:
    if p.most is not None and high > p.most:
        raise SpaceError(f"The {p.title}'s largest value must be {p.most:g} or less.",
                         f"'{p.name}' must be {p.most:g} or less, not {high:g}")


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _parse_range(p: Param, spec: Any) -> Range:
    if not isinstance(spec, dict):
        if p.kind != "choice" and not _number(spec):
            raise SpaceError(f"The {p.title} must be a number.",
                             f"'{p.name}' must be a number, a range {{\"low\": .., \"high\": ..}} or choices")
        if _number(spec):
            _most(p, spec)
        return Range(p.name, fixed=int(spec) if p.kind == "int" and _number(spec) else spec, is_fixed=True)
    extra = set(spec) - {"low", "high", "log", "choices"}
    if extra:
        raise SpaceError(f"'{p.name}': unknown key {sorted(extra)[0]!r} (use low, high, log or choices)")
    if "choices" in spec:
        choices = spec["choices"]
        if not isinstance(choices, list) or not choices:
            raise SpaceError(f"Tick at least one {p.title} to try.", f"'{p.name}': 'choices' must be a non-empty list")
        if len(set(map(repr, choices))) != len(choices):
            raise SpaceError(f"The {p.title}'s choices repeat a value.", f"'{p.name}': the choices repeat a value")
        return Range(p.name, choices=tuple(choices))
    if p.kind == "choice":
        raise SpaceError(f"'{p.name}' takes choices: {{\"choices\": [...]}}")
    low, high, log = spec.get("low"), spec.get("high"), spec.get("log", False)
    if not (_number(low) and _number(high)):
        raise SpaceError(f"Give the {p.title}'s smallest and largest values as numbers.",
                         f"'{p.name}' needs numbers 'low' and 'high'")
    if p.kind == "int" and not (float(low).is_integer() and float(high).is_integer()):
        raise SpaceError(f"The {p.title} takes whole numbers.", f"'{p.name}' takes whole numbers")
    if not low < high:
        raise SpaceError(f"{_title(p)}: the range is empty (the smallest value, {low:g}, must be below the largest, "
                         f"{high:g}).", f"'{p.name}': the range is empty (low {low:g} must be below high {high:g})")
    if not isinstance(log, bool):
        raise SpaceError(f"'{p.name}': 'log' must be true or false")
    if (log or p.name == "lr") and low <= 0:
        raise SpaceError(f"The {p.title}'s smallest value must be more than 0.",
                         f"'{p.name}': {'a log range' if log else 'the range'} must start above 0, not at {low:g}")
    _most(p, high)
    return Range(p.name, low=low, high=high, log=log)


def batch_cap(space: SearchSpace, train_pictures: int) -> tuple[SearchSpace, str]:
    """``space`` with the batch sizes to try capped at the ``train_pictures`` a trial trains on (a batch cannot
    hold more pictures than there are: such a choice trains like the largest that fits), and the one sentence that
    says so ("" when nothing is left out). The smallest choice is kept when every one is above."""
    r = next((r for r in space.ranges if r.name == "batch_size" and r.choices is not None), None)
    if r is None or train_pictures < 1:
        return space, ""
    numbers = [c for c in r.choices if _number(c)]
    kept = [c for c in r.choices if not _number(c) or c <= train_pictures] or [min(numbers)]
    dropped = [c for c in r.choices if c not in kept]
    if not dropped:
        return space, ""
    capped = SearchSpace(space.epochs, tuple(Range(r.name, choices=tuple(kept)) if q is r else q
                                             for q in space.ranges))
    names = ", ".join(str(c) for c in dropped[:-1]) + (" and " if len(dropped) > 1 else "") + str(dropped[-1])
    sizes = "Batch sizes" if len(dropped) > 1 else "Batch size"
    return capped, (f"{sizes} {names} {'are' if len(dropped) > 1 else 'is'} left out of the search: a trial trains "
                    f"on {train_pictures:,} pictures, fewer than such a batch holds.")


def as_drawn(space: SearchSpace, trials) -> SearchSpace:
    """``space`` with the choices a study's ``trials`` already drew from, where they differ (Optuna refuses other
    choices of a setting in one study): a study made before its batch sizes were capped (:func:`batch_cap`), or
    with another count of training pictures, carries on with its own."""
    drawn: dict[str, tuple] = {}
    for t in trials:
        for name, dist in t.distributions.items():
            if hasattr(dist, "choices"):
                drawn.setdefault(name, tuple(dist.choices))
    ranges = tuple(Range(r.name, choices=drawn[r.name]) if r.choices is not None and r.name in drawn
                   and tuple(r.choices) != drawn[r.name] else r for r in space.ranges)
    return space if ranges == space.ranges else SearchSpace(space.epochs, ranges)


def scale_augment(base: AugmentSettings, strength: float) -> AugmentSettings:
    """Rotation, shift and zoom of ``base`` (or of the safe default when ``base`` has none) times ``strength``."""
    unit = base if (base.rotation or base.translate or base.scale_min != 1 or base.scale_max != 1) else SAFE_AUGMENT
    k = float(strength)
    return AugmentSettings(**{**base.__dict__, "rotation": min(180.0, unit.rotation * k),
                              "translate": min(0.5, unit.translate * k),
                              "scale_min": max(0.1, 1 - (1 - unit.scale_min) * k),
                              "scale_max": min(10.0, 1 + (unit.scale_max - 1) * k)})


def apply_params(params: dict, settings: TrainSettings, design: dict) -> tuple[TrainSettings, dict | None]:
    """The settings and (for a structure search) the design JSON one trial trains.

    ``design``: ``{"design": "default", "input": (h, w, c)}`` for the built-in design (the structure can
    change), else ``{"design": "fixed"}`` (the run's own design is used unchanged: returns ``None``).
    """
    changes: dict[str, Any] = {}
    for key in ("lr", "batch_size", "weight_decay", "label_smoothing", "optimizer"):
        if key in params:
            changes[key] = params[key]
    if "augment" in params:
        changes["augment"] = scale_augment(settings.augment, params["augment"])
    new = settings.replace(**changes) if changes else settings
    if design.get("design") != "default":
        return new, None
    h, w, c = design["input"]
    spec = scaled_default(h, w, c, int(params.get("blocks", DEFAULT_BLOCKS)),
                          float(params.get("width", DEFAULT_WIDTH)), float(params.get("dropout", DEFAULT_DROPOUT)))
    return new, spec.to_json()
