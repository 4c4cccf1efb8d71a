"""The design being edited on the Model page, and the rules that go with it. Qt-free and torch-free.

:class:`Design` holds what a :class:`~cnnstudio.engine.model.spec.ModelSpec` holds besides the input (the layers as
JSON, the backbone), the selected layer, and what choosing a backbone does: a pretrained backbone's features are
a flat vector, so the layers become the transfer presets' head (dropout 0.2) and come back when the backbone is
switched off again. The input settings (the five the Model page edits, see :data:`INPUT_KEYS`) follow the rules
below: a pretrained backbone wants RGB input (224 x 224 to start with, at least 32 x 32), normalised the
ImageNet way; a design from scratch that follows one (a preset chosen, the backbone switched off) gets the input
the project starts with back (:meth:`Design.input_from_scratch`). The transfer presets (:mod:`.presets`) are made
with the same constants.

The Model page shows a Design and forwards the user's edits to it (napari's ``components/dims.py`` under
``_qt/widgets/qt_dims.py``); the tests drive it without Qt.
"""

from __future__ import annotations

import copy
from typing import Any, Callable

INPUT_KEYS = ("height", "width", "channels", "resize", "normalization")
# Where the Model page keeps its design in the project (project meta keys, JSON): the data check reads them too.
META_SPEC, META_PREPROCESS, META_AUGMENT = "model_spec", "model_preprocess", "model_augment"
# a pretrained backbone (torchvision, ImageNet): what its input must be
PRETRAINED_MIN_SIDE = 32
# the transfer presets' input: the side MobileNetV2 was trained at. Measured (benchmarks/bench_transfer.py,
# frozen features + logistic head, 20 real MNIST digits per class): 88 % at 224 px, 83 % at 160, 79 % at 96,
# for 1.3x the feature time of 160 px; at 32 px they are poor (issue 15). The data check keeps 160 px
# (engine/use/features.py DEFAULT_SIZE): it only ranks pictures.
PRETRAINED_SIDE = 224
PRETRAINED_CHANNELS = 3
PRETRAINED_NORMALIZATION = "imagenet"
HEAD_DROPOUT = 0.2  # the head of the transfer presets, put after a backbone chosen on the page
MAP_ENDS = ("flatten", "global_avg_pool")  # layers that turn a feature map into a flat list (see Design.place_for)


def input_values(stored: dict | None, suggest: Callable[[], Any]) -> dict:
    """The input settings to show: ``stored`` (the project's, as JSON), what it lacks from ``suggest()`` (a
    Preprocess suited to the project's pictures, only asked for when something is missing)."""
    stored = stored or {}
    if all(k in stored for k in INPUT_KEYS):
        return {k: stored[k] for k in INPUT_KEYS}
    suggested = suggest()
    return {k: stored.get(k, getattr(suggested, k)) for k in INPUT_KEYS}


def input_for_spec(spec, values: dict) -> dict:
    """``values`` with the size and channels of ``spec``'s input (a design brings its input size along)."""
    return {**values, "height": spec.input.height, "width": spec.input.width, "channels": spec.input.channels}


def input_for_preset(spec, values: dict) -> dict:
    """A ready-made design's input: its size, and ImageNet normalisation when it starts from pretrained weights."""
    out = input_for_spec(spec, values)
    if spec.backbone is not None and spec.backbone.pretrained:
        out["normalization"] = PRETRAINED_NORMALIZATION
    return out


def input_after_backbone(values: dict, start) -> dict:
    """A design from scratch after a pretrained backbone: the size, colours and normalisation the project starts
    with (``start``, a Preprocess: :func:`~cnnstudio.engine.train.settings.suggest_preprocess`, the rule that sizes
    the first design for the project's pictures), not the backbone's 224 x 224 colour, ImageNet-normalised input
    (127 M multiply-adds for the Recommended design instead of 15 M on 28 x 28 digits). How pictures are resized
    is the user's choice and is kept."""
    return {**values, "height": start.height, "width": start.width, "channels": start.channels,
            "normalization": start.normalization}


def input_for_pretrained(values: dict) -> dict:
    """A pretrained backbone wants RGB input normalised the ImageNet way, at a size near the one it was trained
    at: sides below :data:`PRETRAINED_SIDE` are raised to it (the user may lower them again, down to
    :data:`PRETRAINED_MIN_SIDE`), larger ones are kept."""
    return {**values, "height": max(values["height"], PRETRAINED_SIDE),
            "width": max(values["width"], PRETRAINED_SIDE), "channels": PRETRAINED_CHANNELS,
            "normalization": PRETRAINED_NORMALIZATION}


def backbone_head() -> list[dict]:
    """The layers after a backbone chosen on the page: its features are a flat vector already."""
    from .catalog import layer

    return [layer("dropout", p=HEAD_DROPOUT)]


class Design:
    """The layer stack being designed: ``layers`` (``[{"type", "params"}]``, exactly what the spec holds),
    ``backbone`` (the spec's backbone as JSON, or None) and ``selected`` (a layer index, -1 for none)."""

    def __init__(self) -> None:
        self.layers: list[dict] = []
        self.backbone: dict | None = None
        self.selected = -1
        self._layers_before_backbone: list[dict] | None = None

    # -- whole designs ------------------------------------------------------------------------------
    def snapshot(self) -> dict:
        """Everything an edit can change, as a deep copy (an undo step keeps one from before and one after)."""
        return copy.deepcopy({"layers": self.layers, "backbone": self.backbone, "selected": self.selected,
                              "layers_before_backbone": self._layers_before_backbone})

    def restore(self, snap: dict) -> None:
        """Go back to a :meth:`snapshot`."""
        snap = copy.deepcopy(snap)
        self.layers, self.backbone = snap["layers"], snap["backbone"]
        self.selected, self._layers_before_backbone = snap["selected"], snap["layers_before_backbone"]

    def matching_preset(self, values: dict) -> str | None:
        """The name of the ready-made design this design is, unchanged, for the input ``values`` (None: the
        user's own design). Shown in "Start from" so a reopened project says what it holds."""
        from .presets import list_presets, make_preset

        for p in list_presets():
            spec = make_preset(p["name"], values["height"], values["width"], values["channels"])
            if ([ls.to_json() for ls in spec.layers] == self.layers
                    and (spec.backbone.to_json() if spec.backbone else None) == self.backbone):
                return p["name"]
        return None

    def set_spec(self, spec) -> None:
        """Take the layers and backbone of ``spec`` (a ModelSpec); nothing is selected."""
        self.layers = [copy.deepcopy(ls.to_json()) for ls in spec.layers]
        self.backbone = spec.backbone.to_json() if spec.backbone else None
        self.selected = -1

    def apply_preset(self, name: str, values: dict, start: Callable[[], Any] | None = None) -> dict:
        """Take the ready-made design ``name`` made for the input ``values``; returns the input it wants.

        ``start()`` (a Preprocess: the input the project starts with, sized for its pictures) is asked for when a
        design from scratch replaces a pretrained backbone's input (see :func:`input_after_backbone`)."""
        from .presets import make_preset

        spec = make_preset(name, values["height"], values["width"], values["channels"])
        if spec.backbone is None and start is not None and self._input_was_for_a_backbone(values):
            values = self.input_from_scratch(values, start)
            spec = make_preset(name, values["height"], values["width"], values["channels"])
        self.set_spec(spec)
        return input_for_preset(spec, values)

    def _input_was_for_a_backbone(self, values: dict) -> bool:
        """The input was set for a pretrained backbone: the design has one, or its ImageNet normalisation is on."""
        return self.backbone is not None or values.get("normalization") == PRETRAINED_NORMALIZATION

    def input_from_scratch(self, values: dict, start: Callable[[], Any]) -> dict:
        """The one rule of a design from scratch that follows this one (a preset chosen, the backbone switched off):
        the input the project starts with (:func:`input_after_backbone`, ``start()`` a Preprocess) when ``values``
        were set for a pretrained backbone, else ``values``."""
        return input_after_backbone(values, start()) if self._input_was_for_a_backbone(values) else values

    def use_spec(self, spec) -> None:
        """Take ``spec`` as a whole new design (a run's, put back): :meth:`set_spec`, and the layers kept from
        before a backbone belong to the design it replaces, so they are forgotten."""
        self.set_spec(spec)
        self._layers_before_backbone = None

    def spec(self, values: dict):
        """The design as a ModelSpec for the input ``values`` (raises SpecError when its structure is broken)."""
        from .spec import ModelSpec

        return ModelSpec.create(values["height"], values["width"], values["channels"], copy.deepcopy(self.layers),
                                copy.deepcopy(self.backbone))

    # -- layer operations ---------------------------------------------------------------------------
    def add_layer(self, layer_type: str, position: int | None = None) -> None:
        """A ``layer_type`` layer with default settings at ``position`` (the end when None); it becomes selected."""
        from .catalog import layer

        if self.full():
            return
        pos = len(self.layers) if position is None else max(0, min(position, len(self.layers)))
        self.layers.insert(pos, layer(layer_type))
        self.selected = pos

    def full(self) -> bool:
        """The design has as many layers as a design may (:data:`~.spec.MAX_LAYERS`): adding and copying do nothing."""
        from .spec import MAX_LAYERS

        return len(self.layers) >= MAX_LAYERS

    def add_after_selected(self, layer_type: str) -> None:
        """A ``layer_type`` layer after the selected one; with none selected, where :meth:`place_for` puts it. The
        new layer becomes selected, so the next one follows it."""
        at = self.selected + 1 if 0 <= self.selected < len(self.layers) else self.place_for(layer_type)
        self.add_layer(layer_type, at)

    def place_for(self, layer_type: str) -> int:
        """Where a ``layer_type`` layer goes when no layer is selected: a layer that needs a feature map
        (convolution, batch norm, pooling, a residual block: the catalog's ``accepts == "map"``) before the first
        layer that ends the feature map (flatten, global average pooling) or needs a flat list (fully connected),
        where it fits (added at the end of a ready-made design, which ends in fully connected layers, it was red at
        once); any other layer, and any layer after a backbone (whose features are flat already), at the end."""
        from .catalog import CATALOG

        kind = CATALOG.get(layer_type)
        if kind is None or kind.accepts != "map" or self.backbone is not None:
            return len(self.layers)
        for i, entry in enumerate(self.layers):
            other = CATALOG.get(entry.get("type")) if isinstance(entry.get("type"), str) else None
            if other is not None and (other.type in MAP_ENDS or other.accepts == "vector"):
                return i
        return len(self.layers)

    def remove_layer(self, index: int) -> None:
        del self.layers[index]
        self.selected = min(index, len(self.layers) - 1)

    def duplicate_layer(self, index: int) -> None:
        if self.full():
            return
        self.layers.insert(index + 1, copy.deepcopy(self.layers[index]))
        self.selected = index + 1

    def move_layer(self, index: int, to: int) -> bool:
        """Move layer ``index`` to ``to``; False (and nothing changes) when ``to`` is out of range or the same."""
        if not (0 <= to < len(self.layers)) or to == index:
            return False
        self.layers.insert(to, self.layers.pop(index))
        self.selected = to
        return True

    def set_param(self, index: int, name: str, value) -> None:
        self.layers[index].setdefault("params", {})[name] = value

    # -- the backbone -------------------------------------------------------------------------------
    def backbone_chosen(self, name: str | None, pretrained: bool, freeze: bool, values: dict,
                        start: Callable[[], Any]) -> dict:
        """:meth:`choose_backbone`, and the input that goes with the choice (returned): a newly chosen backbone's
        (:func:`input_for_pretrained`); when the backbone is switched off, the input a design from scratch gets
        (:meth:`input_from_scratch`: the project's starting input, as when a preset from scratch is chosen);
        else ``values`` unchanged (a switch changed)."""
        off = name is None and self.backbone is not None
        after = self.input_from_scratch(values, start) if off else values
        if self.choose_backbone(name, pretrained, freeze):
            return input_for_pretrained(values)
        return after

    def choose_backbone(self, name: str | None, pretrained: bool, freeze: bool) -> bool:
        """The user chose backbone ``name`` (None: none) with these switches. True when a backbone was chosen
        where there was none: then the input should follow :func:`input_for_pretrained`.

        A newly chosen backbone starts pretrained and frozen, and the layers become :func:`backbone_head` (the
        ones before are kept, and come back when the backbone is switched off again). Frozen needs pretrained.
        """
        if name is None:
            if self.backbone is not None and self._layers_before_backbone is not None:
                self.layers = self._layers_before_backbone  # switching back restores the layers
                self._layers_before_backbone = None
            self.backbone = None
            return False
        was_none = self.backbone is None
        pretrained = True if was_none else pretrained
        freeze = (True if was_none else freeze) and pretrained
        self.backbone = {"name": name, "pretrained": pretrained, "freeze": freeze}
        if was_none:
            self._layers_before_backbone = self.layers
            self.layers = backbone_head()
        return was_none
