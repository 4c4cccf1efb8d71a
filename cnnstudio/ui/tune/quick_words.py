"""What the Tune page's one-click search ("Find better settings (15 minutes)") changes on the form, in words. Qt-free.

The one-click search is the usual search: every setting in its usual range, Auto epochs per trial, stopping hopeless
trials early, for its minutes. When the form on the left holds other choices the user made, the page asks once before
putting the usual ones back, naming what changes (:func:`quick_changes`), and says after that it did
(:func:`quick_started_words`); a form that already holds the usual choices starts at once, nothing to ask.
"""

from __future__ import annotations

from ...engine.tune.space import AUTO, SpaceError, parse_space
from ...project.counting import counted


def budget_words(trials: int | None, minutes: float | None) -> str:
    """ "1 trial and 1 minute", "20 trials", "15 minutes", "no budget"."""
    parts = ([counted(int(trials), "trial")] if trials is not None else []) + (
        [counted(round(minutes), "minute")] if minutes is not None else [])
    return " and ".join(parts) or "no budget"


def _normal(space) -> dict | None:
    try:
        return parse_space(space).to_json()
    except SpaceError:
        return None


def quick_changes(space: dict | None, budget: tuple, usual: dict, minutes: int, objective: str = "accuracy",
                  pruning: bool = True, first_budget: tuple = ()) -> list[str]:
    """What the one-click search changes of the user's choices on the form (``space`` None: the form's numbers
    cannot be read), each a phrase ("the budget of 1 trial and 1 minute becomes 15 minutes"); [] when the form holds
    the usual choices. ``first_budget``: the budget the form opens with, not a choice the user made."""
    out = []
    if tuple(budget) not in ((None, float(minutes)), tuple(first_budget)):
        out.append(f"the budget of {budget_words(*budget)} becomes {counted(minutes, 'minute')}")
    epochs = (space or {}).get("epochs", AUTO)
    if space is not None and epochs not in (AUTO, 0):
        out.append(f"{counted(int(epochs), 'epoch')} per trial becomes Auto")
    if space is None or _normal({**space, "epochs": AUTO}) != _normal({**usual, "epochs": AUTO}):
        out.append("the settings to try go back to their usual ranges")
    if objective != "accuracy":
        out.append("the goal goes back to accuracy alone")
    if not pruning:
        out.append("hopeless trials are stopped early again")
    return out


def quick_question(changes: list[str], minutes: int) -> str:
    """The one question asked before the one-click search replaces the user's choices."""
    return (f"Find better settings runs the usual search for {counted(minutes, 'minute')} and puts the usual choices "
            f"back on the left: {'; '.join(changes)}. Go on?")


def quick_started_words(changes: list[str], minutes: int) -> str:
    """What the page says once the one-click search has started."""
    said = f"Starting the usual search for {counted(minutes, 'minute')}"
    if changes:
        said += f"; the usual choices are back on the left ({'; '.join(changes)})"
    return said + "…"
