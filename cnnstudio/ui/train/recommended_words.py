"""What "Recommended settings" did, in one sentence for the status bar: which settings it changed, from what to what,
or that the form already held them (it said nothing: the user could not tell whether it had done anything).
Qt-free: the form passes each setting's name and the words it shows, before and after."""

from __future__ import annotations

ALREADY = "The settings are already the recommended ones."
PUT_BACK = "Ctrl+Z puts them back."  # said after what changed: the change is an undo step (recommended_undo.py)


def recommended_words(before: dict[str, str], after: dict[str, str]) -> str:
    """``before`` / ``after``: each setting's name -> the words its field shows ("Epochs" -> "20")."""
    changed = [f"“{name}” {before.get(name, '–')} → {shown}" for name, shown in after.items()
               if before.get(name) != shown]
    if not changed:
        return ALREADY
    listed = changed[0] if len(changed) == 1 else ", ".join(changed[:-1]) + " and " + changed[-1]
    return f"Back to the recommended settings: {listed}."


__all__ = ["ALREADY", "PUT_BACK", "recommended_words"]
