"""A layer's setting in words: what the Model page's undo history says an edit changed ("Change the dropout rate of
layer 3"), never the catalog's raw name ("p"); and a layer's output shape as the cards, the runs list and the CLI say
it (:func:`shape_words`); what a change of the backbone, "Pretrained" or "Frozen" did, in the undo history's words
(:func:`backbone_change_words`: "Use the MobileNetV2 backbone", "Freeze the backbone"), and how the layers a backbone
put aside come back (:func:`layers_put_aside_words`). Qt-free and torch-free.

A setting is named by its catalog name with spaces ("kernel size", "out channels": what the card shows beside its
editor) unless that name says nothing to a beginner; then :data:`SETTING_WORDS` has its words.
"""

from __future__ import annotations

# catalog names that are not words: a setting's name as people say it
SETTING_WORDS = {"p": "dropout rate"}


def setting_name(name: str) -> str:
    """ "dropout rate" for ``p``, "kernel size" for ``kernel_size``."""
    return SETTING_WORDS.get(name, name.replace("_", " "))


def change_words(index: int, name: str) -> str:
    """The undo step of an edit of setting ``name`` of layer ``index`` (0-based): "Change the kernel size of
    layer 2"."""
    return f"Change the {setting_name(name)} of layer {index + 1}"


def backbone_change_words(before: dict | None, after: dict | None) -> str:
    """The undo step of a change made on the Backbone row, from the backbone (the spec's JSON, None for none)
    ``before`` and ``after`` it: "Use the MobileNetV2 backbone", "Remove the ResNet-18 backbone", "Train the backbone
    from scratch", "Start the backbone from pretrained weights", "Freeze the backbone", "Let the backbone learn".
    Unticking "Pretrained" unticks "Frozen" too: the step is named for what the user did."""
    from .backbones import BACKBONES

    def title(bb: dict) -> str:
        info = BACKBONES.get(bb["name"])
        return info.title if info is not None else str(bb["name"])

    if after is None:
        return f"Remove the {title(before)} backbone" if before is not None else "Change the backbone"
    if before is None or before["name"] != after["name"]:
        return f"Use the {title(after)} backbone"
    if before.get("pretrained", True) != after.get("pretrained", True):
        return ("Start the backbone from pretrained weights" if after.get("pretrained", True)
                else "Train the backbone from scratch")
    if before.get("freeze", True) != after.get("freeze", True):
        return "Freeze the backbone" if after.get("freeze", True) else "Let the backbone learn"
    return "Change the backbone"


def shape_words(shape) -> str:
    """(32, 28, 28) -> "32 × 28 × 28"; (10,) -> "10 numbers"; (3136,) -> "3,136 numbers", with separators as every
    other count; None -> "?" (the Model page's cards' words)."""
    if shape is None:
        return "?"
    if len(shape) == 3:
        return f"{shape[0]:,} × {shape[1]:,} × {shape[2]:,}"
    return f"{shape[0]:,} number{'s' if shape[0] != 1 else ''}"


def layers_put_aside_words(count: int, undo_keys: str = "") -> str:
    """What the status bar says when a backbone chosen on the page put the design's ``count`` layers aside (the
    backbone's head replaces them; :meth:`~.design.Design.choose_backbone` keeps them): how to get them back.
    ``undo_keys``: the Undo shortcut as the platform writes it ("Ctrl+Z"), "" to leave it out."""
    layers = "Your layer" if count == 1 else f"Your {count:,} layers"
    comes = "comes" if count == 1 else "come"
    undo = f" or press {undo_keys}" if undo_keys else ""
    return f"{layers} {comes} back when you set Backbone to None{undo}."
