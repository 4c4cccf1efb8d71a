"""The window's look, every 2 seconds while it is the active application and when it becomes active again, for changes
another program (the command line, a second window) made to the open project; the rule is
:mod:`cnnstudio.project.changed_elsewhere` (one PRAGMA when nothing changed).

:attr:`ElsewhereWatch.changed` carries the areas changed (``classes``, ``pictures``, ``runs``); the main window relays
it as ``MainWindow.changed_elsewhere`` to the pages. The window's own changes, said by the session's signals, are
stamped again at once, so they are never taken for another program's."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication

from ..project.changed_elsewhere import CLASSES, PICTURES, ChangeWatch
from .session import ProjectSession

EVERY_MS = 2000


class ElsewhereWatch(QObject):
    changed = Signal(object)  # a frozenset of areas (project/changed_elsewhere.AREAS)

    def __init__(self, session: ProjectSession, quiet: Callable[[], frozenset] = frozenset, parent=None):
        super().__init__(parent)
        self.rule = ChangeWatch(session.project)
        self.quiet = quiet  # the areas this window writes from elsewhere now (its training: the runs)
        self.timer = QTimer(self)
        self.timer.setInterval(EVERY_MS)
        self.timer.timeout.connect(self.check)
        for sig, areas in ((session.classes_changed, (CLASSES, PICTURES)), (session.images_changed, (PICTURES,)),
                           (session.labels_changed, (PICTURES,)), (session.splits_changed, (PICTURES,))):
            sig.connect(lambda *_a, areas=areas: self.rule is not None and self.rule.settle(areas))
        app = QApplication.instance()
        app.applicationStateChanged.connect(self._state_changed)
        self._state_changed(app.applicationState())

    def _state_changed(self, state) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self.timer.start()
            self.check()
        else:
            self.timer.stop()

    def check(self) -> frozenset:
        """Look now; the areas another program changed (said by :attr:`changed` too), empty almost always."""
        areas = self._look(self.quiet())
        if areas:
            self.changed.emit(areas)
        return areas

    def stop(self) -> None:
        self.timer.stop()
        if self.rule is not None:
            QApplication.instance().applicationStateChanged.disconnect(self._state_changed)
        self.rule = None

    def _look(self, quiet) -> frozenset:
        return self.rule.poll(quiet) if self.rule is not None else frozenset()
