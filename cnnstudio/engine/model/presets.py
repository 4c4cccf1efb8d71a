"""Ready-made designs: ``PRESETS[name](height, width, channels) -> ModelSpec``, each with a title and description.

A preset is a starting point the user can edit in the form; it is plain catalog layers (or a backbone
plus a head), so everything :func:`validate` says about a hand-made design holds for it. The output
layer is never part of a preset: it is added for the project's classes.

The modern presets (``default``, ``vgg_small``, ``resnet_small``) start with stride-2 convolutions
for large pictures, so that the first full-size layer works on at most about 64x64 pixels; ``classic``
and ``lenet5`` are the textbook designs, as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .catalog import layer, suggest
from .design import PRETRAINED_CHANNELS, PRETRAINED_SIDE, backbone_head
from ..errors import SpecError
from .spec import ModelSpec


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    description: str
    make: Callable[[int, int, int], ModelSpec]

    def __call__(self, height: int, width: int, channels: int) -> ModelSpec:
        return self.make(height, width, channels)

    def to_json(self) -> dict:
        return {"name": self.name, "title": self.title, "description": self.description}


def _conv_bn_relu(out_channels: int, stride: int = 1) -> list[dict]:
    return [
        layer("conv2d", out_channels=out_channels, kernel_size=3, stride=stride, padding="same", bias=False),
        layer("batch_norm2d"),
        layer("relu"),
    ]


def _stem(height: int, width: int, out_channels: int) -> list[dict]:
    """Stride-2 conv-BN-ReLU layers until the smaller side is at most 64 pixels."""
    layers: list[dict] = []
    side = min(height, width)
    while side > 64:
        layers += _conv_bn_relu(out_channels, stride=2)
        side = (side + 1) // 2
    return layers


def classic(height: int, width: int, channels: int) -> ModelSpec:
    """The classic small CNN of the Keras/PyTorch MNIST examples."""
    return ModelSpec.create(height, width, channels, [
        layer("conv2d", out_channels=32, kernel_size=3),
        layer("relu"),
        layer("max_pool2d", kernel_size=2, stride=2),
        layer("conv2d", out_channels=64, kernel_size=3),
        layer("relu"),
        layer("max_pool2d", kernel_size=2, stride=2),
        layer("flatten"),
        layer("linear", out_features=128),
        layer("relu"),
    ])


def lenet5(height: int, width: int, channels: int) -> ModelSpec:
    """LeNet-5 (LeCun et al., 1998): tanh and average pooling; a 'same' first convolution stands in for
    the original's 32x32 padded input."""
    return ModelSpec.create(height, width, channels, [
        layer("conv2d", out_channels=6, kernel_size=5, padding="same"),
        layer("tanh"),
        layer("avg_pool2d", kernel_size=2, stride=2),
        layer("conv2d", out_channels=16, kernel_size=5, padding=0),
        layer("tanh"),
        layer("avg_pool2d", kernel_size=2, stride=2),
        layer("flatten"),
        layer("linear", out_features=120),
        layer("tanh"),
        layer("linear", out_features=84),
        layer("tanh"),
    ])


def vgg_small(height: int, width: int, channels: int) -> ModelSpec:
    """Three VGG blocks (two 3x3 convolutions and a max-pool each) with batch norm, then a small dense head."""
    layers = _stem(height, width, 32)
    for ch in (32, 64, 128):
        layers += _conv_bn_relu(ch) + _conv_bn_relu(ch) + [layer("max_pool2d", kernel_size=2, stride=2)]
    layers += [layer("global_avg_pool"), layer("dropout", p=0.3), layer("linear", out_features=128), layer("relu")]
    return ModelSpec.create(height, width, channels, layers)


def resnet_small(height: int, width: int, channels: int) -> ModelSpec:
    """A small ResNet: a 3x3 stem and three residual blocks (32, 64 and 128 filters), global average pool."""
    layers = _stem(height, width, 32) + _conv_bn_relu(32)
    layers += [
        layer("residual_block", out_channels=32, stride=1),
        layer("residual_block", out_channels=64, stride=2),
        layer("residual_block", out_channels=128, stride=2),
        layer("global_avg_pool"),
    ]
    return ModelSpec.create(height, width, channels, layers)


def default(height: int, width: int, channels: int) -> ModelSpec:
    """The default recipe's network: small, fast on a CPU, with batch norm.

    Target (checked by the training side, with its augmentation and one-cycle schedule): at least 98.5%
    test accuracy on MNIST-style 28x28 grey digits from 4,000 training images in at most 60 s of
    training on 2 CPU cores. To get there it spends little computation at full resolution (one 32-filter
    convolution before the first pooling) and more on the 14x14 and 7x7 maps; the last 3x3 map is
    flattened (keeping where strokes are, which global average pooling would lose) behind a dropout.

    At 28x28x1 with 10 classes: 141,418 parameters, 14.7 million multiply-adds per picture. Measured
    with 2 threads (server CPU, batch 64, forward + backward + SGD step): 38 ms per batch in
    ``channels_last`` (56 ms without), about 2.4 s per epoch of 4,000 pictures. The brief's alternative
    with two 32-filter convolutions at full size and global average pooling took 57 ms per batch.
    """
    return scaled_default(height, width, channels)


DEFAULT_BLOCKS, DEFAULT_WIDTH, DEFAULT_DROPOUT = 3, 1.0, 0.25


def scaled_default(height: int, width: int, channels: int, blocks: int = DEFAULT_BLOCKS,
                   width_multiplier: float = DEFAULT_WIDTH, dropout: float = DEFAULT_DROPOUT) -> ModelSpec:
    """The ``default`` network with its depth and width as knobs (what the tuner's structure search turns).

    ``blocks`` convolution blocks, each followed by a 2x2 max-pool while the map is at least 2 pixels on
    its shorter side; block ``i`` has ``32 * 2**i * width_multiplier`` filters (rounded to a multiple of 8,
    at least 8) and two convolutions, except the first and the last block, which have one. With the
    defaults (3 blocks, width 1, dropout 0.25) it is exactly the ``default`` preset.
    """
    if not (isinstance(blocks, int) and 1 <= blocks <= 6):
        raise SpecError(f"the number of convolution blocks must be from 1 to 6, not {blocks!r}")
    if not (0.125 <= float(width_multiplier) <= 8):
        raise SpecError(f"the width multiplier must be from 0.125 to 8, not {width_multiplier!r}")
    if not (0.0 <= float(dropout) < 1.0):
        raise SpecError(f"dropout must be from 0 to below 1, not {dropout!r}")
    layers = _stem(height, width, 32)
    side = min(height, width)
    while side > 64:
        side = (side + 1) // 2
    for i in range(blocks):
        ch = max(8, int(round(32 * 2 ** i * float(width_multiplier) / 8.0)) * 8)
        convs = 1 if i in (0, blocks - 1) else 2
        for _ in range(convs):
            layers += _conv_bn_relu(ch)
        if side >= 2:
            layers.append(layer("max_pool2d", kernel_size=2, stride=2))
            side //= 2
    layers.append(layer("flatten"))
    if dropout > 0:
        layers.append(layer("dropout", p=round(float(dropout), 4)))
    return ModelSpec.create(height, width, channels, layers)


def _transfer(name: str) -> Callable[[int, int, int], ModelSpec]:
    def make(height: int, width: int, channels: int) -> ModelSpec:
        # pretrained weights need RGB (grey pictures are repeated into three channels) and a size near the
        # one they were trained at: PRETRAINED_SIDE x PRETRAINED_SIDE, whatever the pictures' size (the user
        # can change it on the Model page, down to PRETRAINED_MIN_SIDE)
        side = PRETRAINED_SIDE
        return ModelSpec.create(side, side, PRETRAINED_CHANNELS, backbone_head(),
                                backbone={"name": name, "pretrained": True, "freeze": True})

    return make


PRESETS: dict[str, Preset] = {p.name: p for p in (
    Preset("default", "Recommended",
           "A small, fast network with batch normalisation: a good start for most picture sets.", default),
    Preset("classic", "Classic CNN",
           "Two convolutions with max pooling and a dense layer: the textbook first network.", classic),
    Preset("lenet5", "LeNet-5",
           "The historic digit recogniser from 1998, with tanh and average pooling.", lenet5),
    Preset("vgg_small", "Small VGG",
           "Three blocks of two 3x3 convolutions each, with batch norm: more capacity, slower.", vgg_small),
    Preset("resnet_small", "Small ResNet",
           "Residual blocks with shortcuts, like ResNet: deeper networks that still train well.", resnet_small),
    Preset("mobilenet_v2_transfer", "Transfer learning: MobileNetV2",
           "Reuses MobileNetV2 trained on ImageNet and trains only a new output layer: good with few "
           "pictures of everyday things. Needs its pretrained weights; RGB input at 224x224.",
           _transfer("mobilenet_v2")),
    Preset("resnet18_transfer", "Transfer learning: ResNet-18",
           "Reuses ResNet-18 trained on ImageNet and trains only a new output layer. Needs its pretrained "
           "weights; RGB input at 224x224.", _transfer("resnet18")),
)}


def list_presets() -> list[dict]:
    """``[{"name", "title", "description"}, ...]`` in the order a menu shows them."""
    return [p.to_json() for p in PRESETS.values()]


def pretrained_backbone(name: str) -> str | None:
    """The backbone whose pretrained weights preset ``name`` starts from (its weights file must be on this computer),
    None for a design from scratch."""
    spec = make_preset(name, PRETRAINED_SIDE, PRETRAINED_SIDE, PRETRAINED_CHANNELS)
    return spec.backbone.name if spec.backbone is not None and spec.backbone.pretrained else None


def get_preset(name: str) -> Preset:
    try:
        return PRESETS[name]
    except (KeyError, TypeError):
        close = suggest(str(name), PRESETS)
        hint = f"did you mean '{close}'?" if close else f"the presets are {', '.join(PRESETS)}"
        raise SpecError(f"there is no preset called '{name}'; {hint}") from None


def make_preset(name: str, height: int, width: int, channels: int) -> ModelSpec:
    return get_preset(name)(height, width, channels)
