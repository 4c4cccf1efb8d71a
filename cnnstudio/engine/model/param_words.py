"""A layer's setting in words: what the Model page's undo history says an edit changed ("Change the dropout rate of
layer 3"), never the catalog's raw name ("p"); and a layer's output shape as the cards, the runs list and the CLI say
it (:func:`shape_words`). Qt-free and torch-free.

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


def shape_words(shape) -> str:
    """(32, 28, 28) -> "32 × 28 × 28"; (10,) -> "10 numbers"; None -> "?" (the Model page's cards' words)."""
    if shape is None:
        return "?"
    if len(shape) == 3:
        return f"{shape[0]} × {shape[1]} × {shape[2]}"
    return f"{shape[0]} number{'s' if shape[0] != 1 else ''}"
