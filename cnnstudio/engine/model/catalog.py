"""The layer catalog: one record per layer type, read by the form, the validator, the builder and the docs.

Like timm's ``create_act.py`` registry, a layer type is data: a :class:`LayerType` holds its id, a title
and help text for people, a parameter schema (:class:`ParamSpec`), a factory that makes the
``nn.Module``, a shape rule, and formulas for its parameter count and multiply-adds. Adding a layer
type is one :func:`register` call in :mod:`.layer_types`, where every entry is.

Shapes are tuples without the batch dimension: ``(C, H, W)`` for a feature map, ``(F,)`` for a flat
vector. A shape rule gets a checked input shape and checked parameters and returns the output shape,
or raises :class:`ShapeProblem` with the second half of a sentence ("would shrink the 64 × 1 × 1 feature map
to nothing: remove a pooling layer or use a larger input"); the validator puts the layer's name in
front. A shape is said as the cards say it (:func:`~.param_words.shape_words`), a setting by its name in words
("kernel size", never ``kernel_size``).

Parameter schema, kept simple on purpose:

- ``kind`` is ``"int"``, ``"float"``, ``"bool"`` or ``"choice"``.
- ``int``/``float`` have an inclusive ``min``/``max``. For ``int`` and ``float``, ``choices`` lists
  words accepted *instead of* a number (convolution ``padding`` is a number of pixels or ``"same"``).
- ``choice`` accepts exactly one of ``choices``.
- Kernel size, stride and padding are single ints: every kernel is square.
- ``default`` is what the form and :func:`default_params` put in a new layer, and what a design file that leaves a
  setting out gets when it is loaded (:mod:`.spec`); a setting given is checked, never replaced.

Multiply-adds count one per multiply-accumulate in a forward pass of one image: convolutions and
fully connected layers, plus one per value for batch normalisation (scale and shift). Activations,
pooling, dropout and the residual addition count as zero.

Nothing here imports torch at import time (the ``cnnstudio layers`` command lists the catalog
without it); factories import ``torch.nn`` when they are called.
"""

from __future__ import annotations

import difflib
import json
import math
from dataclasses import dataclass, field
from typing import Any, Callable

from ..errors import SpecError

Shape = tuple[int, ...]

KINDS = ("int", "float", "bool", "choice")
CATEGORIES = ("convolution", "normalisation", "activation", "pooling", "regularisation", "reshape", "dense", "composite")


class ShapeProblem(Exception):
    """Raised by a shape rule: the message is the end of a sentence that starts with the layer's name."""


def _word(v: Any) -> str:
    """A value as a user wrote it in JSON: 'same', 3, 0.5, true, empty."""
    if isinstance(v, str):
        return f"'{v}'"
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "empty"
    if isinstance(v, float) and math.isfinite(v):
        return repr(v)
    if isinstance(v, (float, list, dict)):  # NaN, Infinity, [3, 3]: as the file says them, not Python's nan, inf
        try:
            return json.dumps(v, ensure_ascii=False)
        except (TypeError, ValueError):  # made in Python, not read from JSON
            return repr(v)
    return repr(v)


def _format_number(v: float) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


@dataclass(frozen=True)
class ParamSpec:
    """One setting of a layer type."""

    name: str
    kind: str  # "int" | "float" | "bool" | "choice"
    default: Any
    help: str
    min: float | None = None
    max: float | None = None
    choices: tuple = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"ParamSpec {self.name}: kind must be one of {KINDS}")
        if self.check(self.default) is not None:
            raise ValueError(f"ParamSpec {self.name}: default {self.default!r} is not valid")

    def describe(self) -> str:
        """What a valid value looks like, e.g. "a whole number from 1 to 15, or 'same'"."""
        words = " or ".join(_word(c) for c in self.choices)
        if self.kind == "bool":
            return "true or false"
        if self.kind == "choice":
            return f"one of {', '.join(_word(c) for c in self.choices)}"
        what = "a whole number" if self.kind == "int" else "a number"
        if self.min is not None and self.max is not None:
            what += f" from {_format_number(self.min)} to {_format_number(self.max)}"
        elif self.min is not None:
            what += f" of at least {_format_number(self.min)}"
        return what + (f", or {words}" if words else "")

    def check(self, value: Any) -> str | None:
        """None if ``value`` is valid, else "must be ..., not ..." (the caller names the layer)."""
        bad = f"must be {self.describe()}, not {_word(value)}"
        if self.kind == "bool":
            return None if isinstance(value, bool) else bad
        if self.kind == "choice":
            return None if isinstance(value, str) and value in self.choices else bad
        if isinstance(value, str):
            return None if value in self.choices else bad
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return bad
        if self.kind == "int" and not isinstance(value, int):
            return bad
        if isinstance(value, float) and not math.isfinite(value):
            return bad
        if (self.min is not None and value < self.min) or (self.max is not None and value > self.max):
            return bad
        return None

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "kind": self.kind,
            "default": self.default,
            "min": self.min,
            "max": self.max,
            "choices": list(self.choices),
            "help": self.help,
        }


@dataclass(frozen=True)
class LayerType:
    """One record of the catalog. ``params`` passed to the callables are complete and checked."""

    type: str  # lowercase id used in specs, e.g. "conv2d"
    title: str  # for people, e.g. "Convolution"
    category: str
    help: str  # one line
    params: tuple[ParamSpec, ...]
    factory: Callable[[Shape, dict], Any]  # (in_shape, params) -> nn.Module
    shape: Callable[[Shape, dict], Shape]  # (in_shape, params) -> out_shape, or raises ShapeProblem
    count_params: Callable[[Shape, dict], int]
    count_macs: Callable[[Shape, dict], int]
    accepts: str = "any"  # "map" (C,H,W), "vector" (F,) - a feature map is flattened first - or "any"
    label: Callable[[dict], str] | None = field(default=None, compare=False)

    def param(self, name: str) -> ParamSpec | None:
        return next((p for p in self.params if p.name == name), None)

    def describe(self, params: dict) -> str:
        """A short name for one configured layer, e.g. "conv 32 3x3" or "max-pool 2x2"."""
        if self.label is not None:
            try:
                return self.label(params)
            except Exception:  # incomplete params: fall back to the title
                pass
        return self.title

    @property
    def name_in_sentence(self) -> str:
        """The title as it reads inside a sentence: "convolution", "leaky ReLU", "ReLU"."""
        t = self.title
        acronym = sum(ch.isupper() for ch in t.split()[0]) > 1
        return t if acronym else t[0].lower() + t[1:]

    def to_json(self) -> dict:
        return {
            "type": self.type,
            "title": self.title,
            "category": self.category,
            "help": self.help,
            "accepts": self.accepts,
            "params": [p.to_json() for p in self.params],
        }


CATALOG: dict[str, LayerType] = {}


def register(layer: LayerType) -> LayerType:
    if layer.type in CATALOG:
        raise ValueError(f"layer type {layer.type!r} is registered twice")
    if layer.category not in CATEGORIES:
        raise ValueError(f"layer type {layer.type!r}: unknown category {layer.category!r}")
    CATALOG[layer.type] = layer
    return layer


def list_layers(category: str | None = None) -> list[LayerType]:
    return [lt for lt in CATALOG.values() if category is None or lt.category == category]


def suggest(name: str, options) -> str | None:
    """The closest of ``options`` to ``name`` (case-insensitive), or None."""
    options = list(options)
    low = {o.lower(): o for o in options}
    hit = difflib.get_close_matches(str(name).lower(), list(low), n=1, cutoff=0.6)
    return low[hit[0]] if hit else None


def unknown_layer_message(name: Any) -> str:
    """ "there is no layer called 'conv3d'; did you mean 'conv2d'?" """
    if not isinstance(name, str):
        return f"the layer type must be a name like 'conv2d', not {_word(name)}"
    if name.lower() in ("softmax", "log_softmax", "logsoftmax"):  # the textbook's last layer: done for the user
        return (f"there is no '{name}' layer to add: the output layer's scores become class probabilities by a "
                "softmax when CNN Studio trains and predicts, so remove this layer")
    close = suggest(name, CATALOG)
    if close:
        return f"there is no layer called '{name}'; did you mean '{close}'?"
    return f"there is no layer called '{name}'; the layer types are {', '.join(CATALOG)}"


def get_layer(name: str) -> LayerType:
    try:
        return CATALOG[name]
    except (KeyError, TypeError):
        raise SpecError(unknown_layer_message(name)) from None


def default_params(name: str) -> dict:
    """Every setting of layer type ``name`` at its default: what a newly added layer gets."""
    return {p.name: p.default for p in get_layer(name).params}


def layer(name: str, **params: Any) -> dict:
    """A spec layer entry ``{"type": name, "params": {...}}`` with defaults for what is not given."""
    full = default_params(name)
    unknown = set(params) - set(full)
    if unknown:
        raise SpecError(f"layer '{name}' has no setting {', '.join(sorted(unknown))}")
    full.update(params)
    return {"type": name, "params": full}


# Every layer type, registered when this module is first imported (layer_types imports the names above).
from . import layer_types as _entries  # noqa: E402

del _entries
