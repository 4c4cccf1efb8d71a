"""How the Model page names a layer and what is done to it: one rule for the undo history ("Move layer 3
(Convolution) up"), the card's buttons as a screen reader announces them (the same words) and the card's settings
("Layer 3, Convolution: kernel size"), and what the output layer says while the project has no classes yet. Qt-free."""

from __future__ import annotations

#: the output card's note in a project with no classes yet (a new, empty one): the design has nothing to change
NO_CLASSES_NOTE = "The output layer gets one unit per class once you add pictures on the Data page."

ACTIONS = {"up": "Move {} up", "down": "Move {} down", "duplicate": "Copy {}", "remove": "Remove {}"}


def layer_title(layer_type, kind) -> str:
    """The catalog's title of a layer ("Convolution"), or its type as written when the catalog has no such type."""
    return layer_type.title if layer_type is not None else str(kind)


def layer_words(index: int, title: str) -> str:
    """Layer ``index`` (0-based) as a sentence names it: "layer 3 (Convolution)"."""
    return f"layer {index + 1} ({title})"


def action_words(what: str, index: int, title: str) -> str:
    """What a card's button ``what`` ("up", "down", "duplicate", "remove") does: "Move layer 3 (Convolution) up"."""
    return ACTIONS[what].format(layer_words(index, title))


def setting_words(index: int, title: str, setting: str) -> str:
    """A setting of layer ``index`` as its editor is announced: "Layer 3, Convolution: kernel size"."""
    return f"Layer {index + 1}, {title}: {setting}"


def waits_for_classes(report) -> bool:
    """Whether the validator's ``report`` was made for a project with no classes yet: its output layer cannot be
    sized, which is no mistake in the design, so the page shows :data:`NO_CLASSES_NOTE`, not an error (the Train
    page's Start says to import pictures first)."""
    return report is not None and type(report.num_classes) is int and report.num_classes == 0
