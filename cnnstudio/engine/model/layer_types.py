"""Every layer type of the catalog (:mod:`.catalog`: the records, their schema and the registry): the shape
rules, parameter counts, multiply-adds and factories of each entry, and one :func:`~.catalog.register` call each.
Nothing here imports torch at import time; factories import ``torch.nn`` when they are called."""

from __future__ import annotations

import math
from typing import Any, Callable

from .catalog import LayerType, ParamSpec, Shape, ShapeProblem, register
from .param_words import shape_words


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
