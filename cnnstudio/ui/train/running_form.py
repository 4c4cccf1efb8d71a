"""While a run trains, the Train page's settings show what it trains and nothing changes them (Qt-free): an advice
button that would set them, set up a next run or resume one is refused in one sentence, never queued."""

from __future__ import annotations

from ...engine.runs.advice_actions import NEXT_RUN


def changes_training(action: dict) -> bool:
    """Whether an advice button sets the Train page's settings or starts something there (a next run set up, a run
    resumed, the learning-rate finder)."""
    return bool(action.get("settings") or action.get("resume") or action.get("tool") == "lr_find"
                or action.get("id") in NEXT_RUN)


def advice_waits(action: dict, training: bool) -> str:
    """The sentence an advice button says instead of acting while a run trains ("" when it may act)."""
    if not training or not changes_training(action):
        return ""
    label = action.get("label") or "this advice"
    return f"A run is training: wait for the run to end, or stop it, before “{label}”."
