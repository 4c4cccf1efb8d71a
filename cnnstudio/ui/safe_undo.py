"""Undo steps whose write can fail (a full disk, a vanished folder): a failed change never stays on Undo or Redo.

:class:`QUndoStack` runs a command's ``redo`` when it is pushed and keeps the command whatever happens, and moves
its index after an ``undo`` or ``redo`` even when the command raised (PySide then re-raises the error with "Error
calling Python override of QUndoCommand::redo(): " in front). A :class:`SafeCommand` catches its own failure instead:

- the change itself failed: :meth:`UndoGuard.push` runs it before pushing, so nothing is pushed (``QUndoStack.push``
  would delete the Redo steps first, even for a command it then drops) and the error is raised to the caller (a
  message, as before); a command pushed straight onto a stack whose first ``redo`` fails marks itself obsolete, so
  the stack drops it instead of keeping a change that was never saved;
- a later Undo or Redo failed: the project is as it was, so the stack's index is put back (the step is still there
  to undo or redo once the disk has room) by running the command once more as a no-op, and the error is reported
  through ``sys.excepthook`` (the window's error reporter: one sentence for the disk, the crash dialog for a bug).

Subclasses define ``apply()`` (the change) and ``revert()`` (its undo) instead of ``redo`` and ``undo``.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QUndoCommand, QUndoStack


class UndoGuard:
    """Watches undo stacks of :class:`SafeCommand` steps: pushes them, and puts a stack back after a failed step."""

    def __init__(self):
        self.failures = 0  # how many steps failed so far (the window says "Undone: …" only when none did)
        self._first: BaseException | None = None
        self._pending: list[tuple[QUndoStack, SafeCommand, BaseException]] = []
        self._watched: list[QUndoStack] = []

    def watch(self, stack: QUndoStack) -> None:
        if stack not in self._watched:
            self._watched.append(stack)
            stack.indexChanged.connect(lambda _index, s=stack: self._repair(s))

    def push(self, stack: QUndoStack, command: "SafeCommand") -> None:
        """Run ``command``'s change, then push it; when the change fails nothing is pushed and its error is raised
        here. The change runs before the push because ``QUndoStack.push`` deletes the Redo steps first, even for a
        command it then drops: a refused change must leave the Redo history as it was."""
        self.watch(stack)
        command.stack = stack
        command.apply()  # raises: not pushed, the stack untouched
        command.applied = True
        command.skip = "redo"  # the push's own redo: the change is made already
        self._first = None
        stack.push(command)
        failure, self._first = self._first, None
        if failure is not None:
            raise failure

    def failed(self, command: "SafeCommand", error: BaseException, first: bool) -> None:
        self.failures += 1
        if first:
            self._first = error
        else:
            self._pending.append((command.stack, command, error))

    def _repair(self, stack: QUndoStack) -> None:
        """After a failed Undo or Redo on ``stack`` moved its index: move it back (a no-op step), then say why."""
        mine = [p for p in self._pending if p[0] is stack]
        for item in mine:
            self._pending.remove(item)
            _stack, command, error = item
            index = stack.index()
            if command.skip == "redo" and index < stack.count() and stack.command(index) is command:
                stack.redo()
            elif command.skip == "undo" and index > 0 and stack.command(index - 1) is command:
                stack.undo()
            command.skip = ""
            sys.excepthook(type(error), error, error.__traceback__)


class SafeCommand(QUndoCommand):
    """An undo step that reports a failed change to its :class:`UndoGuard` rather than raising inside Qt. Its subclass
    defines ``apply()``, the change, and ``revert()``, its undo (see the module doc)."""

    def __init__(self, text: str, guard: UndoGuard):
        super().__init__(text)
        self.guard = guard
        self.stack: QUndoStack | None = None
        self.applied = False  # the change was saved once (it is on the stack)
        self.skip = ""  # "redo" / "undo": the next call only puts the stack's index back after a failure

    def redo(self) -> None:
        if self.skip == "redo":
            self.skip = ""
            return
        try:
            self.apply()
        except Exception as e:  # noqa: BLE001 - said by the guard: a message for the disk, a report for a bug
            first = not self.applied
            if first:
                self.setObsolete(True)  # QUndoStack.push deletes an obsolete command instead of keeping it
            else:
                self.skip = "undo"
            self.guard.failed(self, e, first)
            return
        self.applied = True

    def undo(self) -> None:
        if self.skip == "undo":
            self.skip = ""
            return
        try:
            self.revert()
        except Exception as e:  # noqa: BLE001 - said by the guard
            self.skip = "redo"
            self.guard.failed(self, e, False)
