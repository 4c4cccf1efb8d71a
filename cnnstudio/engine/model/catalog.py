"""The layer catalog: one record per layer type, read by the form, the validator, the builder and the docs.

Like timm's ``create_act.py`` registry, a layer type is data: a :class:`LayerType` holds its id, a title
and help text for people, a parameter schema (:class:`ParamSpec`), a factory that makes the
``nn.Module``, a shape rule, and formulas for its parameter count and multiply-adds. Adding a layer
type is one :func:`register` call at the bottom of this file.

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
import math
from dataclasses import dataclass, field
from typing import Any, Callable

from ..errors import SpecError
from .param_words import shape_words

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


# ----------------------------------------------------------------------------------------------------
# helpers shared by the entries

def _same(shape: Shape, p: dict) -> Shape:
    return tuple(shape)


def _zero(shape: Shape, p: dict) -> int:
    return 0


def _conv_padding(p: dict) -> int:
    if p["padding"] == "same":
        if p["kernel_size"] % 2 == 0:
            raise ShapeProblem(
                "'same' padding needs an odd kernel size: use a kernel size of "
                f"{p['kernel_size'] - 1} or {p['kernel_size'] + 1}, or give padding as a number of pixels"
            )
        return p["kernel_size"] // 2
    return p["padding"]


def _window_out(shape: Shape, k: int, s: int, pad: int, fix: str) -> Shape:
    c, h, w = shape
    if h + 2 * pad < k or w + 2 * pad < k:
        raise ShapeProblem(f"would shrink the {shape_words(shape)} feature map to nothing: {fix}")
    return (c, (h + 2 * pad - k) // s + 1, (w + 2 * pad - k) // s + 1)


def _nn():
    from torch import nn

    return nn


# ----------------------------------------------------------------------------------------------------
# convolution

def _conv_shape(shape: Shape, p: dict) -> Shape:
    k, s = p["kernel_size"], p["stride"]
    pad = _conv_padding(p)
    c, h, w = shape
    if h + 2 * pad < k or w + 2 * pad < k:
        raise ShapeProblem(
            f"gets a {shape_words(shape)} feature map, smaller than its {k} × {k} kernel: use 'same' padding, "
            "a smaller kernel, fewer pooling layers before it, or a larger input"
        )
    return (p["out_channels"], (h + 2 * pad - k) // s + 1, (w + 2 * pad - k) // s + 1)


def _conv_params(shape: Shape, p: dict) -> int:
    return p["out_channels"] * shape[0] * p["kernel_size"] ** 2 + (p["out_channels"] if p["bias"] else 0)


def _conv_macs(shape: Shape, p: dict) -> int:
    co, ho, wo = _conv_shape(shape, p)
    return co * ho * wo * shape[0] * p["kernel_size"] ** 2


def _conv_factory(shape: Shape, p: dict):
    return _nn().Conv2d(
        shape[0], p["out_channels"], p["kernel_size"], stride=p["stride"], padding=_conv_padding(p), bias=p["bias"]
    )


def _conv_label(p: dict) -> str:
    s = f"conv {p['out_channels']} {p['kernel_size']}x{p['kernel_size']}"
    return s + (f" stride {p['stride']}" if p["stride"] != 1 else "")


register(LayerType(
    type="conv2d",
    title="Convolution",
    category="convolution",
    help="Slides small learned filters over the picture; each filter finds one kind of pattern.",
    params=(
        ParamSpec("out_channels", "int", 32, "number of filters, i.e. channels of the output", 1, 4096),
        ParamSpec("kernel_size", "int", 3, "width and height of each filter in pixels (3 is usual)", 1, 15),
        ParamSpec("stride", "int", 1, "step between filter positions; 2 halves the size", 1, 8),
        ParamSpec("padding", "int", "same", "pixels of zeros added on each side, or 'same' to keep the size "
                  "(at stride 1; needs an odd kernel)", 0, 15, ("same",)),
        ParamSpec("bias", "bool", True, "learn an offset per filter (not needed when batch norm follows)"),
    ),
    factory=_conv_factory,
    shape=_conv_shape,
    count_params=_conv_params,
    count_macs=_conv_macs,
    accepts="map",
    label=_conv_label,
))


# ----------------------------------------------------------------------------------------------------
# normalisation

register(LayerType(
    type="batch_norm2d",
    title="Batch normalisation",
    category="normalisation",
    help="Rescales each channel to a steady range; makes training faster and more reliable.",
    params=(),
    factory=lambda shape, p: _nn().BatchNorm2d(shape[0]),
    shape=_same,
    count_params=lambda shape, p: 2 * shape[0],
    count_macs=lambda shape, p: math.prod(shape),
    accepts="map",
    label=lambda p: "batch norm",
))


# ----------------------------------------------------------------------------------------------------
# activations

def _activation(type_: str, title: str, help_: str, make: Callable[[dict], Any], params=(), label=None):
    register(LayerType(
        type=type_,
        title=title,
        category="activation",
        help=help_,
        params=tuple(params),
        factory=lambda shape, p: make(p),
        shape=_same,
        count_params=_zero,
        count_macs=_zero,
        accepts="any",
        label=label or (lambda p: title),
    ))


_activation("relu", "ReLU", "Keeps positive values and sets negative ones to zero: the usual choice.",
            lambda p: _nn().ReLU())
_activation("leaky_relu", "Leaky ReLU", "Like ReLU, but lets a small part of negative values through.",
            lambda p: _nn().LeakyReLU(p["negative_slope"]),
            (ParamSpec("negative_slope", "float", 0.01, "how much of a negative value is kept", 0.0, 1.0),),
            lambda p: f"leaky ReLU {p['negative_slope']:g}")
_activation("gelu", "GELU", "A smooth version of ReLU, common in newer networks.", lambda p: _nn().GELU())
_activation("silu", "SiLU", "A smooth version of ReLU (also called swish).", lambda p: _nn().SiLU())
_activation("tanh", "Tanh", "Squashes values to between -1 and 1 (as in the original LeNet).",
            lambda p: _nn().Tanh())
_activation("sigmoid", "Sigmoid", "Squashes values to between 0 and 1.", lambda p: _nn().Sigmoid())


# ----------------------------------------------------------------------------------------------------
# pooling

_POOL_PARAMS = (
    ParamSpec("kernel_size", "int", 2, "width and height of the window in pixels", 1, 16),
    ParamSpec("stride", "int", 2, "step between windows; usually the same as the kernel size", 1, 16),
    ParamSpec("padding", "int", 0, "pixels added on each side (at most half the kernel size)", 0, 8),
)
_POOL_FIX = "remove a pooling layer or use a larger input"


def _pool_shape(shape: Shape, p: dict) -> Shape:
    if 2 * p["padding"] > p["kernel_size"]:
        raise ShapeProblem(
            f"has padding {p['padding']}, more than half its kernel size {p['kernel_size']}: use padding "
            f"{p['kernel_size'] // 2} or less"
        )
    return _window_out(shape, p["kernel_size"], p["stride"], p["padding"], _POOL_FIX)


def _pool_label(word: str) -> Callable[[dict], str]:
    def label(p: dict) -> str:
        s = f"{word} {p['kernel_size']}x{p['kernel_size']}"
        return s + (f" stride {p['stride']}" if p["stride"] != p["kernel_size"] else "")

    return label


register(LayerType(
    type="max_pool2d",
    title="Max pooling",
    category="pooling",
    help="Keeps the largest value of each small window: shrinks the feature map (2x2 halves it).",
    params=_POOL_PARAMS,
    factory=lambda shape, p: _nn().MaxPool2d(p["kernel_size"], p["stride"], p["padding"]),
    shape=_pool_shape,
    count_params=_zero,
    count_macs=_zero,
    accepts="map",
    label=_pool_label("max-pool"),
))

register(LayerType(
    type="avg_pool2d",
    title="Average pooling",
    category="pooling",
    help="Averages each small window: shrinks the feature map (2x2 halves it).",
    params=_POOL_PARAMS,
    factory=lambda shape, p: _nn().AvgPool2d(p["kernel_size"], p["stride"], p["padding"]),
    shape=_pool_shape,
    count_params=_zero,
    count_macs=_zero,
    accepts="map",
    label=_pool_label("avg-pool"),
))


def _global_avg_pool_factory(shape: Shape, p: dict):
    nn = _nn()

    class GlobalAvgPool2d(nn.Module):
        """(N, C, H, W) -> (N, C): the mean of each channel. Works for any memory format."""

        def forward(self, x):
            return x.mean(dim=(2, 3))

    return GlobalAvgPool2d()


register(LayerType(
    type="global_avg_pool",
    title="Global average pooling",
    category="pooling",
    help="Averages each channel over the whole picture: turns a feature map into one number per channel.",
    params=(),
    factory=_global_avg_pool_factory,
    shape=lambda shape, p: (shape[0],),
    count_params=_zero,
    count_macs=_zero,
    accepts="map",
    label=lambda p: "global average pool",
))


# ----------------------------------------------------------------------------------------------------
# regularisation, reshape, dense

register(LayerType(
    type="dropout",
    title="Dropout",
    category="regularisation",
    help="While training, sets a random part of the values to zero so the network cannot rely on any one.",
    params=(ParamSpec("p", "float", 0.5, "the fraction of values dropped while training", 0.0, 0.95),),
    factory=lambda shape, p: _nn().Dropout(p["p"]),
    shape=_same,
    count_params=_zero,
    count_macs=_zero,
    accepts="any",
    label=lambda p: f"dropout {p['p']:g}",
))

register(LayerType(
    type="flatten",
    title="Flatten",
    category="reshape",
    help="Lays a feature map out as one long list of numbers, for fully connected layers.",
    params=(),
    factory=lambda shape, p: _nn().Flatten(),
    shape=lambda shape, p: (math.prod(shape),),
    count_params=_zero,
    count_macs=_zero,
    accepts="any",
    label=lambda p: "flatten",
))

register(LayerType(
    type="linear",
    title="Fully connected",
    category="dense",
    help="Connects every input number to every output unit (also called dense or linear).",
    params=(
        ParamSpec("out_features", "int", 128, "number of output units", 1, 100_000),
        ParamSpec("bias", "bool", True, "learn an offset per unit"),
    ),
    factory=lambda shape, p: _nn().Linear(shape[0], p["out_features"], bias=p["bias"]),
    shape=lambda shape, p: (p["out_features"],),
    count_params=lambda shape, p: shape[0] * p["out_features"] + (p["out_features"] if p["bias"] else 0),
    count_macs=lambda shape, p: shape[0] * p["out_features"],
    accepts="vector",
    label=lambda p: f"fully connected {p['out_features']}",
))


# ----------------------------------------------------------------------------------------------------
# composite: the basic block of ResNet-18/34

def _res_shape(shape: Shape, p: dict) -> Shape:
    c, h, w = shape
    s = p["stride"]
    return (p["out_channels"], (h - 1) // s + 1, (w - 1) // s + 1)


def _res_projects(shape: Shape, p: dict) -> bool:
    return p["stride"] != 1 or shape[0] != p["out_channels"]


def _res_params(shape: Shape, p: dict) -> int:
    ci, co = shape[0], p["out_channels"]
    n = 9 * ci * co + 2 * co + 9 * co * co + 2 * co
    return n + (ci * co + 2 * co if _res_projects(shape, p) else 0)


def _res_macs(shape: Shape, p: dict) -> int:
    ci = shape[0]
    co, ho, wo = _res_shape(shape, p)
    hw = ho * wo
    n = hw * co * ci * 9 + hw * co + hw * co * co * 9 + hw * co
    return n + (hw * co * ci + hw * co if _res_projects(shape, p) else 0)


def _res_factory(shape: Shape, p: dict):
    nn = _nn()
    ci, co, s = shape[0], p["out_channels"], p["stride"]

    class ResidualBlock(nn.Module):
        """conv3x3(stride)-BN-ReLU-conv3x3-BN plus a shortcut (1x1 conv + BN when the shape changes), then ReLU."""

        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(ci, co, 3, stride=s, padding=1, bias=False)
            self.bn1 = nn.BatchNorm2d(co)
            self.conv2 = nn.Conv2d(co, co, 3, stride=1, padding=1, bias=False)
            self.bn2 = nn.BatchNorm2d(co)
            self.relu = nn.ReLU()
            if _res_projects(shape, p):
                self.shortcut = nn.Sequential(nn.Conv2d(ci, co, 1, stride=s, bias=False), nn.BatchNorm2d(co))
            else:
                self.shortcut = nn.Identity()

        def forward(self, x):
            out = self.relu(self.bn1(self.conv1(x)))
            out = self.bn2(self.conv2(out))
            return self.relu(out + self.shortcut(x))

    return ResidualBlock()


register(LayerType(
    type="residual_block",
    title="Residual block",
    category="composite",
    help="Two 3x3 convolutions with batch norm, plus a shortcut that adds the input back (as in ResNet).",
    params=(
        ParamSpec("out_channels", "int", 64, "number of filters of both convolutions", 1, 2048),
        ParamSpec("stride", "int", 1, "2 halves the size (the shortcut then gets a 1x1 convolution)", 1, 4),
    ),
    factory=_res_factory,
    shape=_res_shape,
    count_params=_res_params,
    count_macs=_res_macs,
    accepts="map",
    label=lambda p: f"residual block {p['out_channels']}" + (f" stride {p['stride']}" if p["stride"] != 1 else ""),
))
