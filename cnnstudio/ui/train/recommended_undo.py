""""Recommended settings" as an undo step on the Train page's own stack (``session.stack("train")``): Ctrl+Z puts
back the settings it changed, Ctrl+Y brings the recommended ones again. A setting changed by hand since keeps the
user's value both ways (only a setting still showing what the step left is put back)."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

TEXT = "Recommended settings"  # Edit > Undo's words: "Undo Recommended settings"


class RecommendedStep(QUndoCommand):
    def __init__(self, form, before: dict, after: dict):
        super().__init__(TEXT)
        self.form, self.before, self.after = form, before, after
        self._first = True  # pushed after the form changed: the push's own redo has nothing to do

    def _put(self, old: dict, new: dict) -> None:
        shown = self.form.values()
        self.form.set_values({key: new[key] if shown.get(key) == old.get(key) else value
                              for key, value in shown.items()})
        self.form.save()

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._put(self.before, self.after)

    def undo(self) -> None:
        self._put(self.after, self.before)
