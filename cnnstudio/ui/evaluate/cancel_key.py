"""Escape on the Evaluate page does what its Cancel button does, while an evaluation runs (:class:`EscapeCancels`).

The key is the page's only while it is wanted: the shortcut has no key at all unless an evaluation runs, and none while
keyboard focus is in a text box (a text box keeps its own Escape). It belongs to the page's window and is live only
while the page is shown (Qt skips a hidden widget's shortcuts), so the other steps keep their Escape; a dialog or an
open list is a window of its own, so it keeps its Escape too."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget

from ..keyboard import types_text

KEY_NAME = "Esc"  # as the Cancel button's tooltip says it


class EscapeCancels(QShortcut):
    """Escape calls ``cancel`` while :meth:`set_running` says an evaluation runs, ``page`` is shown and focus is not
    in a text box."""

    def __init__(self, page: QWidget, cancel: Callable[[], None]):
        super().__init__(page)
        self.setContext(Qt.ShortcutContext.WindowShortcut)
        self.setAutoRepeat(False)
        self.running = False
        self.activated.connect(cancel)
        QApplication.instance().focusChanged.connect(self._focus_moved)

    def set_running(self, running: bool) -> None:
        self.running = running
        self._arm()

    def _focus_moved(self, _old, _new) -> None:
        if self.running:
            self._arm()

    def _arm(self) -> None:
        """The key only when it is wanted: a shortcut without a key takes no key press from anyone."""
        wanted = self.running and not types_text(QApplication.focusWidget())
        self.setKey(QKeySequence(Qt.Key.Key_Escape) if wanted else QKeySequence())
