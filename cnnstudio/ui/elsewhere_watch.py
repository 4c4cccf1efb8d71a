"""The window's look, every 2 seconds while it is the active application and when it becomes active again, for changes
another program (the command line, a second window) made to the open project; the rule is
:mod:`cnnstudio.project.changed_elsewhere` (one PRAGMA when nothing changed).

:attr:`ElsewhereWatch.changed` carries the areas changed (``classes``, ``pictures``, ``runs``); the main window relays
it as ``MainWindow.changed_elsewhere`` to the pages. The window's own changes are stamped again at once, so they are
never taken for another program's: the pictures and classes when the session's signals say them, the runs while its
training or search runs (the child process writes them), when that ends (its last write may come after the last look)
and when the Train or Tune page says it changed them (a rename, a delete, a run brought in, a trial); a stamp is
taken only when no other program can have written since the last look (the rule's ``settle``), else the next look
says what differs.

The same look drives the Train page's runs list's look whether runs said "files missing" have their files back (a
project folder moved away and back: no database change says so): :attr:`ElsewhereWatch.looked`, after each timed
look and on activation, so that nothing looks at the disk while another application is active."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication

from ..project.changed_elsewhere import CLASSES, PICTURES, RUNS, ChangeWatch
from .session import ProjectSession

EVERY_MS = 2000


class ElsewhereWatch(QObject):
    changed = Signal(object)  # a frozenset of areas (project/changed_elsewhere.AREAS)
    looked = Signal()  # after each look every 2 seconds, and on activation (not the Data page's looks before a key)

    def __init__(self, session: ProjectSession, workspace=None, parent=None):
        super().__init__(parent)
        self.rule = ChangeWatch(session.project)
        self.workspace = workspace
        self.timer = QTimer(self)
        self.timer.setInterval(EVERY_MS)
        self.timer.timeout.connect(self._look_now)
        for sig, areas in ((session.classes_changed, (CLASSES, PICTURES)), (session.images_changed, (PICTURES,)),
                           (session.labels_changed, (PICTURES,)), (session.splits_changed, (PICTURES,))):
            sig.connect(lambda *_a, areas=areas: self.settle(areas))
        if workspace is not None:
            self._watch_own_runs(workspace)
        app = QApplication.instance()
        app.applicationStateChanged.connect(self._state_changed)
        self._state_changed(app.applicationState())

    def _watch_own_runs(self, workspace) -> None:
        """The runs this window writes itself: its training's or search's end, and the Train and Tune pages' own
        changes of the runs (built now or later)."""
        workspace.training_ended.connect(self._training_ended)
        workspace.page_built.connect(self._page_built)
        for key in ("train", "tune"):
            page = workspace.built(key)
            if page is not None:
                self._page_built(key, page)

    def _page_built(self, key: str, page) -> None:
        if key in ("train", "tune"):
            page.runs_changed.connect(self._runs_settled)
        if key == "train":
            self.looked.connect(page.runs.look_for_files)  # runs said "files missing": their files back?

    def _runs_settled(self, *_args) -> None:
        self.settle((RUNS,))

    def _training_ended(self, *_args) -> None:
        """The child's last writes of the runs may come after the last look: its own, not another program's."""
        self.settle((RUNS,), quiet=(RUNS,))

    def settle(self, areas, quiet=()) -> None:
        """The window itself changed ``areas`` (and shows them); ``quiet``: areas its child wrote too."""
        if self.rule is not None:
            self.rule.settle(areas, self.quiet() | frozenset(quiet))

    def guard_data_page(self, data) -> None:
        """The Data page's labelling keys and trash look first (a key must not label with a class deleted
        meanwhile); a label or trash that found its pictures gone looks too, and the page reads the project again
        even when the look had nothing to say (the change was already seen, or came while this program wrote too)."""
        data.gallery.list.check_elsewhere = self.check

        def pictures_gone() -> None:
            if not {CLASSES, PICTURES} & self.check():
                data.show_changes_elsewhere()

        data.pictures_gone.connect(pictures_gone)

    def quiet(self) -> frozenset:
        """The areas this window writes from elsewhere now: the runs, while its training or search runs."""
        running = self.workspace is not None and self.workspace.training_running()
        return frozenset({RUNS}) if running else frozenset()

    def _state_changed(self, state) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self.timer.start()
            self._look_now()
        else:
            self.timer.stop()

    def check(self) -> frozenset:
        """Look now; the areas another program changed (said by :attr:`changed` too), empty almost always."""
        areas = self._look(self.quiet())
        if areas:
            self.changed.emit(areas)
        return areas

    def _look_now(self) -> None:
        """The timed look (and on activation): then whatever else looks every 2 seconds while the window is used."""
        self.check()
        if self.rule is not None:
            self.looked.emit()

    def stop(self) -> None:
        self.timer.stop()
        if self.rule is not None:
            QApplication.instance().applicationStateChanged.disconnect(self._state_changed)
        self.rule = None

    def _look(self, quiet) -> frozenset:
        return self.rule.poll(quiet) if self.rule is not None else frozenset()
