"""The Tune page's one-click search ("Find better settings (15 minutes)"): the usual search for
:data:`QUICK_MINUTES` minutes as a new study. When the form holds choices of the user's, it asks once before
putting the usual ones back (:func:`.quick_words.quick_changes` names what changes; Cancel keeps them and starts
nothing), and says after what it did (:func:`.quick_words.quick_started_words`)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from .quick_words import quick_changes, quick_question, quick_started_words

QUICK_MINUTES = 15  # the one-click search's time limit: its button's words and find_better() both say this one


def find_better(page, minutes: int = QUICK_MINUTES) -> bool:
    """Run the one-click search of ``minutes`` on the Tune ``page`` (a :class:`~.tune_page.TunePage`, which passes
    the minutes its button says); whether it started."""
    from ...engine.tune.space import default_space

    form = page.form
    try:
        space = form.space()
    except Exception:  # noqa: BLE001 - a number that cannot be read: the usual ranges replace it
        space = None
    changes = quick_changes(space, form.budget(), default_space(form.structure_allowed), minutes,
                            form.objective(), form.pruning.isChecked(), form.first_budget())
    if changes and not ask_to_put_back(page, changes, minutes):
        return False
    form.reset()
    form.set_budget(None, minutes)
    started = page.start()
    if started:
        page.status.setText(quick_started_words(changes, minutes))
    return started


def ask_to_put_back(parent: QWidget, changes: list[str], minutes: int = QUICK_MINUTES) -> bool:
    """Ask once whether the usual choices may replace the user's ``changes``; True for "Put them back and search"."""
    box = QMessageBox(QMessageBox.Icon.Question, "Find better settings", quick_question(changes, minutes),
                      QMessageBox.StandardButton.Cancel, parent)
    go = box.addButton("Put them back and search", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(go)
    box.exec()
    return box.clickedButton() is go


__all__ = ["QUICK_MINUTES", "ask_to_put_back", "find_better"]
