"""Where Undo or Redo could act when the page shown has nothing to undo: undo stays on its page (ui/session.py), so
after labelling on Data, Edit > Undo on Train is greyed; its words say which page holds the step
("Undo (“Label 1 picture” is on the Data page)"). Qt-free: the menu (ui/undo_menu.py) passes what each page could
undo, in the order of the steps."""

from __future__ import annotations


def elsewhere(word: str, steps: list[tuple[str, str]]) -> tuple[str, str] | None:
    """``word``: "Undo" or "Redo"; ``steps``: (page name, the step's text) of each other page that could, in the
    steps' order. The greyed action's text and its tooltip, or None when no other page could either."""
    if not steps:
        return None
    page, text = steps[0]
    what = f"“{text}”" if text else "a step"
    return (f"{word} ({what} is on the {page} page)",
            f"Nothing to {word.lower()} on this page: {what} is on the {page} page, where Edit > {word} acts on it.")


__all__ = ["elsewhere"]
