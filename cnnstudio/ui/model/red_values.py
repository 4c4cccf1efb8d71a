"""The values the Model page's boxes show in red (typed out of range: kept in the box, not used by the design,
:mod:`~cnnstudio.engine.model.param_entry`) as part of the page's undo state, and the sentence that says them.

A value typed in red is an undo step of its own ("Change the out channels of layer 1"): out channels 32, typed 48,
then 0 (red), the first Undo puts back 48, the value the design kept, not 32 (QA: the red value was no step, so
Undo took back the 48 as well); Redo shows the 0 in red again.
"""

from __future__ import annotations

from ...engine.model.param_entry import red_value, unused_reason


def red_state(stack, panel) -> dict:
    """What ``stack``'s cards (a :class:`~.layer_stack.LayerStack`) and the Input tab's ``panel`` (a
    :class:`~.inputs.PreprocessPanel`) show in red: ``{"layers": ((index, setting, value), ...), "input": ((side,
    value), ...)}``."""
    return {"layers": tuple(sorted((card.index, name, value) for card in stack.cards
                                   for name, (_, value) in card.red_values.items())),
            "input": tuple(sorted(panel.red_values().items()))}


def show_red(stack, panel, red: dict) -> None:
    """Type ``red`` (:func:`red_state`) back into the boxes: they show it in red again and say why."""
    for index, name, value in red.get("layers", ()):
        if index < len(stack.cards) and name in stack.cards[index].editors:
            stack.cards[index].show_typed(name, value)
    panel.show_red(dict(red.get("input", ())))


def changed_setting(before: dict, after: dict) -> tuple[int, str] | None:
    """The layer's setting whose red value differs between two :func:`red_state`\\s: (index, setting), or None."""
    old, new = dict(((i, n), v) for i, n, v in before.get("layers", ())), \
        dict(((i, n), v) for i, n, v in after.get("layers", ()))
    return next((key for key in sorted(set(old) | set(new)) if old.get(key) != new.get(key)), None)


def unused_words(stack, panel) -> str | None:
    """Why the design is not ready while boxes show values in red, naming each layer as its card does, the setting
    and what it allows (:func:`~cnnstudio.engine.model.param_entry.unused_reason`); None when none does."""
    return unused_reason([(card.index + 1, red_value(card.index, card.layer_type.title, ps, value))
                          for card in stack.cards for ps, value in card.red_values.values()]
                         + [(0, said) for said in panel.red_sides])
