"""Why a project open for viewing only cannot be changed, in sight as long as it is open (QA: the status message went
after a few seconds, then every button was off with no reason in sight, and Ctrl+I did nothing).

- A slim line above the steps: "Open for viewing only — the folder Pets is on a read-only disk, so CNN Studio cannot
  save changes: copy it somewhere you can write." (the words: :func:`~cnnstudio.ui.open_notice.viewing_only_words`).
- The window's actions that write (File > Import, Edit > Add Class, Split Dataset) are off, their tooltips and status
  tips saying why (``ui/data/writing_controls.py``); their keys (Ctrl+I, Ctrl+Shift+I, …) say the same sentence in
  the status bar instead of doing nothing: a key of an action that is off is taken by a stand-in that speaks.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QShortcut
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget

from .colours import note_colours
from .open_notice import viewing_only_words

STATUS_MS = 10_000  # how long a key's refusal stays in the status bar (at least its reading time: ui/status_bar.py)


class ViewOnlyNotice:
    """Put above ``window``'s central widget; :meth:`show_for` the project open (None: none)."""

    def __init__(self, window: QMainWindow, actions: list[QAction]):
        self.window = window
        self.banner = QLabel()
        self.banner.setObjectName("viewOnly")
        self.banner.setWordWrap(True)
        bg, words, border = note_colours("warning", window)
        self.banner.setStyleSheet(f"#viewOnly {{ background: {bg}; color: {words}; border-bottom: 1px solid "
                                  f"{border}; padding: 4px 8px; }}")
        self.banner.hide()
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(window.takeCentralWidget(), 1)
        window.setCentralWidget(box)
        #: (stand-in key, its action): on only while the action is off because the project cannot be written
        self.keys: list[tuple[QShortcut, QAction]] = []
        for action in actions:
            for seq in action.shortcuts():
                key = QShortcut(seq, window)
                key.setEnabled(False)
                key.activated.connect(lambda a=action: self.window.statusBar().showMessage(a.toolTip(), STATUS_MS))
                self.keys.append((key, action))

    def show_for(self, project) -> None:
        """The line shown while ``project`` is open for viewing only, hidden otherwise; the keys of the actions it
        turned off say why."""
        words = viewing_only_words(project)
        self.banner.setText(words)
        self.banner.setVisible(bool(words))
        for key, action in self.keys:
            key.setEnabled(bool(words) and not action.isEnabled())
