"""The Model page's edits as undo steps: one :class:`DesignEdit` per add, remove, move, copy, setting, ready-made
design, backbone or input change, and per run's design put back ("Use this design" in the Train page's runs list),
on the page's own undo stack (``session.stack("model")``).

The page makes an edit first, then pushes a DesignEdit holding the page's state from before and after it
(:meth:`~.designer.ModelPage.state`: the design's snapshot, the input and augmentation settings); undo and redo
put one of them back (:meth:`~.designer.ModelPage.restore_state`; the field it changed tells the page where the
keyboard focus goes). Consecutive edits of one field (the augmentation; a setting of one layer or the input's size
stepped with its box's arrows, the arrow keys or the wheel) merge into one step, so clicking through a number is one
undo; an edit merged back to where it started leaves no step at all. A layer's setting or an input setting typed and
confirmed (Enter, leaving the box), chosen in a list or ticked is a step of its own (``merge=False``): typing 5, then
7, into the kernel size, Undo goes back to 5, not to where it started (QA).
"""

from __future__ import annotations

from typing import Hashable

from PySide6.QtGui import QUndoCommand

MERGE_ID = 0x4D4F44  # "MOD": the Model page's mergeable edits


class DesignEdit(QUndoCommand):
    def __init__(self, page, text: str, before: dict, after: dict, field: Hashable | None = None,
                 merge: bool = True):
        super().__init__(text)
        self.page, self.before, self.after, self.field = page, before, after, field
        self.merge = merge and field is not None  # False: never merged with the step before or after it
        self._first = True  # pushed after the page made the edit: the first redo has nothing to do

    def id(self) -> int:  # noqa: A003 - Qt name
        return MERGE_ID if self.merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt name
        if not isinstance(other, DesignEdit) or not (self.merge and other.merge) or other.field != self.field:
            return False
        self.after = other.after
        self.setObsolete(self.after == self.before)
        return True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self.page.restore_state(self.after, self.field)

    def undo(self) -> None:
        self.page.restore_state(self.before, self.field)
