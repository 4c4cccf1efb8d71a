"""A layer's setting in words: what the Model page's undo history says an edit changed ("Change the dropout rate of
layer 3"), never the catalog's raw name ("p"). Qt-free and torch-free.

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
