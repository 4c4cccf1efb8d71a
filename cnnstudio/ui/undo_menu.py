"""Edit > Undo and Redo follow the page shown: they name what they would do there ("Undo Change the kernel size of
layer 2"); where that page has nothing to undo or redo they are greyed, and say which other page holds a step
(ui/undo_where.py's words), since each page keeps its own history."""

from __future__ import annotations

from PySide6.QtGui import QAction

from .undo_where import elsewhere


def show_undo_redo(undo: QAction, redo: QAction, session, steps: list[tuple[str, str]]) -> None:
    """``session``: the open project's (None: none); ``steps``: (key, page name) of each workflow step, in order."""
    group = session.undo_group if session is not None else None
    for action, word in ((undo, "Undo"), (redo, "Redo")):
        forward = word == "Redo"
        can = group is not None and (group.canRedo() if forward else group.canUndo())
        text = (group.redoText() if forward else group.undoText()) if can else ""
        hint = None if can or group is None else elsewhere(word, _others(session, group, steps, forward))
        action.setEnabled(bool(can))
        action.setText(f"&{word} {text}" if can and text else f"&{hint[0]}" if hint else f"&{word}")
        action.setToolTip(hint[1] if hint else "")
        action.setStatusTip(hint[1] if hint else "")


def _others(session, group, steps, forward: bool) -> list[tuple[str, str]]:
    """(page name, step text) of each other page's stack that could undo (redo); a shared stack once, by its first
    page (Evaluate's relabels are on the Data page's stack)."""
    seen, out = {group.activeStack()}, []
    for key, name in steps:
        stack = session.stack(key)
        if stack in seen:
            continue
        seen.add(stack)
        if stack.canRedo() if forward else stack.canUndo():
            out.append((name, stack.redoText() if forward else stack.undoText()))
    return out
