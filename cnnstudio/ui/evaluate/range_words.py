"""Why a class's 95% range on the Evaluate page is wide, said on the page (Qt-free): with 3 pictures of a class, one
picture more or less right moves its recall by 33 points, so "44–100%" is honest, not a fault."""

from __future__ import annotations

from ...project.counting import counted
from ...project.glossary import RANGE_TERM

FEW_FOR_A_RANGE = 30  # pictures of a class below which its range is said to be wide


def range_note(ev: dict) -> str:
    """One sentence under the per-class table when a class has fewer than :data:`FEW_FOR_A_RANGE` pictures ("" when
    none has). ``ev``: an evaluation (``split``, ``per_class``: class -> ``support``)."""
    supports = [m.get("support", 0) for m in (ev.get("per_class") or {}).values() if isinstance(m, dict)]
    supports = [n for n in supports if isinstance(n, int) and n > 0]
    if not supports or min(supports) >= FEW_FOR_A_RANGE:
        return ""
    n = min(supports)
    split = {"val": "validation", "test": "test"}.get(ev.get("split"), "")
    pictures = counted(n, f"{split} picture".strip())
    moves = f"one picture more or less right moves its recall by {100 / n:.0f} points"
    if len(set(supports)) == 1:
        return f"Each class has only {pictures}, so its {RANGE_TERM} is wide: {moves}. More pictures narrow it."
    return f"The smallest class has only {pictures}, so its {RANGE_TERM} is wide: {moves}. More pictures narrow it."


__all__ = ["FEW_FOR_A_RANGE", "range_note"]
