"""Start, Pause and Stop: the Train page's buttons and the Train menu's actions are one command each.

Each button follows its :class:`QAction` (:func:`~cnnstudio.ui.keyboard.follow_action`): the page enables the
action, the button and the menu item follow; a click, the menu item and the shortcut (Start: Ctrl+Return) all run
the same slot. The main window puts :meth:`RunControls.actions` in its Train menu.

Where keyboard focus goes (QA keyboard report, finding 8): Start disables itself, so focus moves to Pause; when
the run ends (stopped, finished or failed), focus that was on Pause or Stop goes back to Start."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QPushButton, QWidget

from ..keyboard import follow_action

START_KEYS = "Ctrl+Return"  # Start's shortcut, on every step (the main window's own on the others)
START_TIP = "Train a new model with these settings"
KEYS_SENTENCE = f"{START_KEYS} starts it from any step."


def start_tip(spec_json: dict) -> str:
    """Start's tooltip and status tip, naming the design it trains, as the runs list will name it ("…design:
    Small VGG."; an own design by its layers), and its shortcut; each a sentence of its own, so that what the page
    adds after it (the recipe's comparison) reads as the next one."""
    from ...engine.runs.run_naming import describe_design

    try:
        said = f"{START_TIP} and the Model page's design: {describe_design(spec_json)}."
    except Exception:  # noqa: BLE001 - a design that cannot be said: the plain words
        said = f"{START_TIP}."
    return f"{said} {KEYS_SENTENCE}"


class RunControls:
    def __init__(self, page: QWidget, start, set_paused, stop):
        self.page = page
        self.start_action = QAction("&Start Training", page)
        self.start_action.setShortcut(QKeySequence(START_KEYS))
        # on the Train page only: elsewhere Ctrl+Return started a run while the user typed in another page's field
        self.start_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.start_action.setStatusTip(f"{START_TIP}. {KEYS_SENTENCE}")
        self.start_action.triggered.connect(lambda _=False: start())
        self.pause_action = QAction("P&ause Training", page)
        self.pause_action.setCheckable(True)
        self.pause_action.toggled.connect(set_paused)
        self.stop_action = QAction("S&top Training", page)
        self.stop_action.setStatusTip("Stop after this batch; the best model so far is kept")
        self.stop_action.triggered.connect(lambda _=False: stop())
        self.start_button = QPushButton("▶  Start")
        self.start_button.setToolTip(f"{START_TIP}. {KEYS_SENTENCE}")
        # its selector keeps the bold to the button: a bare declaration styled its tooltip too
        self.start_button.setStyleSheet("QPushButton { font-weight: bold; padding: 4px 16px; }")
        self.pause_button = QPushButton("Pause")
        self.pause_button.setToolTip("Pause after this batch; press again to continue")
        self.stop_button = QPushButton("■  Stop")
        self.stop_button.setToolTip("Stop after this batch; the best model so far is kept and the run can be "
                                    "resumed")
        for button, action in ((self.start_button, self.start_action), (self.pause_button, self.pause_action),
                               (self.stop_button, self.stop_action)):
            follow_action(button, action)
        page.addActions(self.actions())  # their shortcut works on the page even before the menu has them
        self._back_to_start = False  # focus was on Pause or Stop when they went off: Start gets it once it is on

    def set_start_tip(self, tip: str) -> None:
        """Why Start is off, or what it trains: on the button and in the status bar over its menu item."""
        self.start_button.setToolTip(tip)
        self.start_action.setStatusTip(tip)

    def actions(self) -> list[QAction]:
        return [self.start_action, self.pause_action, self.stop_action]

    def set_enabled(self, start: bool, live: bool) -> None:
        """Start on or off, Pause and Stop on while a run trains (``live``); focus follows (module docs)."""
        if not live and (self.pause_button.hasFocus() or self.stop_button.hasFocus()):
            self._back_to_start = True
        had_start = self.start_button.hasFocus()
        self.start_action.setEnabled(start)
        self.pause_action.setEnabled(live)
        self.stop_action.setEnabled(live)
        if had_start and not start and live:
            self.pause_button.setFocus()
        elif self._back_to_start and start:
            self._back_to_start = False
            self.start_button.setFocus()

    def started(self) -> None:
        """Start was pressed (a click, the menu or the shortcut): focus to Pause, where Stop is next."""
        if self.page.isVisible() and self.pause_button.isEnabled():
            self.pause_button.setFocus()
        elif self.page.isVisible():
            self._back_to_start = True

    def set_paused_text(self, on: bool) -> None:
        self.pause_button.setText("Continue" if on else "Pause")
        self.pause_action.setText("&Continue Training" if on else "&Pause Training")
