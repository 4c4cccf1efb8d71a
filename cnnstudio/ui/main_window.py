"""The main window composes: the welcome page or an open project's workspace, menus, drops, settings.
It holds no domain logic; each action is a few lines calling a view, the session or the project store."""

from __future__ import annotations

import gc
import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (QApplication, QFileDialog, QMainWindow, QMessageBox, QStackedWidget)

from .. import __version__
from ..project import Project, ProjectError, run_abandoned
from ..project import open_lock
from ..project.changed_elsewhere import changed_words, clears_undo
from ..project.counting import counted
from ..project.import_walk import quick_scan
from ..project.store import NOT_A_PROJECT, holds_no_project
from ..resources import icon_path
from .data import import_menu, writing_controls as writes
from .data.import_flow import ImportController
from .data.shortcuts import ADD_CLASS_KEYS, SPLIT_KEYS
from .drop import DropMixin
from .elsewhere_watch import ElsewhereWatch
from .open_damaged import offer_copy, open_error
from .open_locked import READ_ONLY, ask_how_to_open
from .last_place import open_where_left, remember_step
from .open_notice import notice_on_open
from .quit_question import QuitKeys, may_stop, quit_keys
from .sample_open import SampleOpener
from .session import ProjectSession
from .status_bar import StatusBar
from .train.elsewhere import TrainElsewhere
from .train_menu import TrainMenuMixin
from .view_only_notice import ViewOnlyNotice
from .settings import (add_recent_project, app_settings, last_folder, recent_projects, remember_folder,
                       remove_recent_project)
from .undo_menu import show_undo_redo
from .welcome import WelcomePage
from .workspace import STEP_KEYS, STEPS, Workspace


NEXT_STEP = "Choose a project folder, or make a new project."  # after the store's NOT_A_PROJECT
MAKE_FROM_PICTURES = "Make a new project from these pictures"  # its button, for a folder that holds pictures


class MainWindow(DropMixin, TrainMenuMixin, QMainWindow):
    #: another program (the command line, a second window) changed the open project: a frozenset of the areas,
    #: "classes", "pictures", "runs" (project/changed_elsewhere.py); the pages read them again
    changed_elsewhere = Signal(object)
    start_maximized = False  # a first start on a small screen (_restore_geometry): the app shows it maximized

    def __init__(self):
        super().__init__()
        self.setWindowTitle("CNN Studio")
        self.setWindowIcon(QIcon(str(icon_path())))
        self.setAcceptDrops(True)
        self.session: ProjectSession | None = None
        self.workspace: Workspace | None = None
        self.importer: ImportController | None = None
        self.elsewhere: TrainElsewhere | None = None
        self.watch: ElsewhereWatch | None = None  # changes made by another program (ui/elsewhere_watch.py)
        self.guide = None  # Help > Guide, made when first asked for
        self.setStatusBar(StatusBar())  # a long message shown whole: the count steps aside (ui/status_bar.py)
        self.stack = QStackedWidget()
        self.welcome = WelcomePage()
        self.stack.addWidget(self.welcome)
        self.setCentralWidget(self.stack)
        self.sample = SampleOpener(self, self._show_sample, lambda words: self.statusBar().showMessage(words, 10000))
        self.welcome.open_sample.connect(self.open_sample)
        self.welcome.new_project.connect(self.new_project_dialog)
        self.welcome.open_project.connect(self.open_project_dialog)
        self.welcome.open_recent.connect(self.open_project)
        self.status_label = self.statusBar().count_label
        self.on_paths_dropped = self.import_paths
        self.on_drop_refused = lambda text: self.statusBar().showMessage(text, 6000)
        self._build_menus()
        self.writing_actions = {a: (doing, a.toolTip()) for a, doing in (  # off on a project open for viewing only
            (self.import_files_action, writes.ADD_PICTURES), (self.import_folder_action, writes.ADD_PICTURES),
            (self.add_class_action, writes.ADD_CLASS), (self.split_action, writes.SPLIT),
            (self.import_run_action, writes.IMPORT_RUN))}
        self.view_only = ViewOnlyNotice(self, list(self.writing_actions))  # why they are off, in sight
        self.quit_keys = QuitKeys(self)  # Ctrl+Q in an import's progress or the export dialog
        self._restore_geometry()
        self._update_actions()
        QApplication.instance().applicationStateChanged.connect(self._notice_gone)

    # ------------------------------------------------------------------ menus
    def _action(self, menu, text, slot, shortcut=None, tip=None) -> QAction:
        action = QAction(text, self)
        if isinstance(shortcut, QKeySequence.StandardKey):  # every binding of the platform (Redo: Ctrl+Y, Ctrl+Shift+Z)
            action.setShortcuts(shortcut)
        elif shortcut:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        m = self.menuBar().addMenu("&File")
        self._action(m, "&New Project…", self.new_project_dialog, QKeySequence.StandardKey.New,
                     "Create a new, empty project folder")
        self._action(m, "&Open Project…", self.open_project_dialog, QKeySequence.StandardKey.Open,
                     "Open a project folder")
        self.recent_menu = m.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self._action(m, "Open &Sample Project", self.open_sample, None, "The bundled handwritten digits")
        m.addSeparator()
        self.import_files_action = self._action(m, "&Import Images…", self.import_files_dialog, "Ctrl+I",
                                                "Copy image files into the project")
        self.import_folder_action = self._action(m, "Import &Folder…", self.import_folder_dialog, "Ctrl+Shift+I",
                                                 "Import every image in a folder (folder names can be labels)")
        self.export_action = self._action(m, "&Export Model…",
                                          lambda: self._folder_there() and self.workspace.predict_page.open_export(),
                                          None, "Save the model chosen on the Predict page as a file for other "
                                          "computers and programs")
        m.aboutToShow.connect(self._update_export_action)
        m.addSeparator()
        self.close_action = self._action(m, "&Close Project",
                                         lambda: self.confirm_stop_work("close the project")
                                         and self.close_project(),
                                         QKeySequence.StandardKey.Close)
        self._action(m, "&Quit", self.close).setShortcuts(quit_keys())  # Ctrl+Q in its dialogs too: QuitKeys

        e = self.menuBar().addMenu("&Edit")
        self.undo_action = self._action(e, "&Undo", self._undo, QKeySequence.StandardKey.Undo)
        self.redo_action = self._action(e, "&Redo", self._redo, QKeySequence.StandardKey.Redo)
        e.addSeparator()
        self.add_class_action = self._action(e, "&Add Class…",
                                             lambda: self._folder_there() and self.workspace.data.classes.add_class(),
                                             ADD_CLASS_KEYS, "Add a class")
        self.split_action = self._action(e, "&Split Dataset", self._split_dataset, SPLIT_KEYS,
                                         "Divide labelled images into train / validation / test (on the Data step)")

        self._add_train_menu()  # and Start's Ctrl+Return on the other steps (ui/train_menu.py)

        v = self.menuBar().addMenu("&View")
        self.step_actions = []
        for i, (name, _tip) in enumerate(STEPS):
            self.step_actions.append(self._action(v, f"&{i + 1} {name}", lambda _=False, i=i: self.workspace.show_step(i),
                                                  f"Ctrl+{i + 1}"))

        h = self.menuBar().addMenu("&Help")
        self._action(h, "&Guide", self.show_guide, QKeySequence.StandardKey.HelpContents)
        self._action(h, "&About CNN Studio", self.show_about)

    def _split_dataset(self) -> None:
        """Edit > Split Dataset: the Data step's Split, shown first, so the user sees what moved and its Ctrl+Z undoes it
        (undo is per step)."""
        self.workspace.show_step_key("data")
        if not self._folder_there():
            return
        self.workspace.data.splits.do_split()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in recent_projects():
            self.recent_menu.addAction(path, lambda p=path: self.open_project(p))
        if not self.recent_menu.actions():
            self.recent_menu.addAction("(none yet)").setEnabled(False)

    def _update_actions(self) -> None:
        has = self.session is not None
        for a in (self.close_action, self.pack_action, *self.step_actions):
            a.setEnabled(has)
        for a, (doing, tip) in self.writing_actions.items():  # and why they are off, in their tooltips
            writes.set_writing(a, self.session.project if has else None, doing, has, tip)
        self.view_only.show_for(self.session.project if has else None)  # a project open for viewing only
        self._update_undo_actions()
        self._update_export_action()
        if has:
            s = self.session.summary()
            self.status_label.setText(f"{counted(s['images'], 'picture')} · "
                                      f"{counted(len(s['classes']), 'class', 'classes')} · "
                                      f"{s['unlabelled']:,} with no class")
        else:
            self.status_label.setText("")

    def _update_export_action(self) -> None:
        """File ▸ Export Model… is on when the project has a trained model (the Predict page's rule)."""
        from .predict.export_dialog import runs_with_model

        self.export_action.setEnabled(self.session is not None and bool(runs_with_model(self.session.project)))

    def _update_undo_actions(self, *_) -> None:
        """Undo / Redo name what they would do on the page shown; greyed where it has nothing, saying which page has
        (ui/undo_menu.py)."""
        show_undo_redo(self.undo_action, self.redo_action, self.session, list(zip(STEP_KEYS, (n for n, _ in STEPS))))

    def _undo(self) -> None:
        if self.session and self.session.undo_group.canUndo() and self._folder_there():
            self._step("undo", "Undone")

    def _redo(self) -> None:
        if self.session and self.session.undo_group.canRedo() and self._folder_there():
            self._step("redo", "Redone")

    def _step(self, direction: str, done: str) -> None:
        """Undo or Redo the page's step; pictures it is about that were deleted for good meanwhile are said, not
        silently skipped (session.forget_gone)."""
        group = self.session.undo_group
        gone, still_there = self.session.forget_gone(direction)
        if not still_there:
            self.statusBar().showMessage(gone, 6000)
            return
        text, failures = (group.undoText() if direction == "undo" else group.redoText()), self.session.guard.failures
        group.undo() if direction == "undo" else group.redo()
        if self.session.guard.failures == failures:  # a step that failed says why in a message instead
            self.statusBar().showMessage(f"{done}: {text}" + (f". {gone}" if gone else ""), 6000 if gone else 4000)

    def _notice_gone(self, state=Qt.ApplicationState.ApplicationActive) -> None:
        """Back in the window: a project folder deleted or moved meanwhile is said now (one stat of project.db), in
        place of the step's page (Workspace.check_folder), not at the next change."""
        if state == Qt.ApplicationState.ApplicationActive and self.workspace is not None:
            self.workspace.check_folder()

    def _folder_there(self) -> bool:
        """Before an action on the open project: False, and the project's sentence in place of the step's page, when
        its folder has gone (Workspace.check_folder); True without a project (the action says its own)."""
        return self.workspace is None or self.workspace.check_folder()

    # ------------------------------------------------------------------ changes made by another program
    def _watch_elsewhere(self) -> None:
        """Look for changes another program makes to the open project (ui/elsewhere_watch.py); the Data page reads
        them again, and its labelling keys and trash look first (a key must not label with a class deleted meanwhile)."""
        self.watch = ElsewhereWatch(self.session, self.workspace, self.session)  # its own runs' writes: not said
        self.watch.changed.connect(self._changed_elsewhere)
        data = self.workspace.data
        self.changed_elsewhere.connect(data.show_changes_elsewhere)
        self.changed_elsewhere.connect(self.workspace.read_again)  # the other pages' runs
        self.watch.guard_data_page(data)

    def _changed_elsewhere(self, areas: frozenset) -> None:
        """The pages read the project again; the Data page's undo history goes when its steps may touch what
        changed (an undo must not put back a label of a class deleted meanwhile); said once."""
        self.changed_elsewhere.emit(areas)
        stack = self.session.undo_stack
        cleared = clears_undo(areas) and stack.count() > 0
        if cleared:
            stack.clear()
        self.statusBar().show_for_window(changed_words(cleared), 10000)
        self._update_actions()

    # ------------------------------------------------------------------ projects
    def open_project(self, path: str | Path) -> bool:
        held = open_lock.holder(path) if Path(path).is_dir() else None
        read_only = False
        if held is not None:  # another window has it: look only, open anyway, or not at all
            choice = ask_how_to_open(self, Path(path).name, held)
            if choice is None:
                return False
            read_only = choice == READ_ONLY
        try:
            project = Project.open(path, read_only=read_only)
        except (ProjectError, sqlite3.DatabaseError) as e:
            if holds_no_project(path):  # a folder, maybe of pictures: this window's words, without project.db
                self._not_a_project(Path(path))
                return False
            error = open_error(Path(path), e)  # the store's sentence (Project.open says a damaged page itself)
            if error is None:  # SQLite's error, not about a damaged database: a bug or the disk's (ui/errors.py)
                raise
            project = offer_copy(self, Path(path), error, held is None)  # "/p does not exist."
            if project is None:  # the sentence said; a damaged project.db may be put back from its copy and opened
                if str(path) in recent_projects() and not Path(path).exists():
                    remove_recent_project(str(path))
                    self.welcome.refresh()
                return False
        self._show_project(project)
        return True

    def _not_a_project(self, folder: Path) -> None:
        """The store's one sentence and this window's next step; a folder of pictures is offered a new project
        made from them (a name and a place asked for as File > New Project… does, then the import's question)."""
        if quick_scan(folder) is not None:  # no picture in it
            QMessageBox.warning(self, "Cannot open project", f"{NOT_A_PROJECT} {NEXT_STEP}")
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Cannot open project", f"{NOT_A_PROJECT} It holds pictures: "
                          "make a new project from them, or choose a project folder.",
                          QMessageBox.StandardButton.Cancel, self)
        make = box.addButton(MAKE_FROM_PICTURES, QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(make)
        box.exec()
        before = self.session
        if box.clickedButton() is make:
            self.new_project_dialog()
            if self.session is not None and self.session is not before:
                self.import_paths([folder], [])

    def open_sample(self) -> bool:
        """Open the sample (on first use made in a worker: :mod:`.sample_open`); False while it is being made."""
        return self.sample.open()

    def _show_sample(self, project: Project) -> None:
        self._show_project(project)
        if self.session is not None and self.session.project is project and not project.read_only:  # it is a copy
            self.statusBar().show_for_window(f"The sample project is a copy in {project.root}: change it freely.",
                                             10000)
        return True

    def create_project(self, path: str | Path) -> bool:
        try:
            project = Project.create(path)
        except (ProjectError, OSError) as e:
            QMessageBox.warning(self, "Cannot create project", str(e))
            return False
        self._show_project(project)
        self.statusBar().showMessage("New project: to begin, drop pictures or folders onto the window, or use File > "
                                     "Import Images… or Import Folder…", 8000)
        return True

    def _show_project(self, project: Project) -> None:
        if not self.confirm_stop_work("open the other project"):
            project.close()
            return
        self.close_project()
        try:  # runs left "running" by a process that has gone: failed, with the reason, resumable
            run_abandoned.settle_abandoned(project)
        except ProjectError:
            pass  # the disk says no: the runs list shows them as they are
        self.session = ProjectSession(project, self)
        self.workspace = Workspace(self.session)
        self.workspace.page_built.connect(self._page_built)
        bar = self.statusBar()  # a step's message goes when another step shows (status_bar.stays)
        bar.step_shown(self.workspace.current_step())
        self.workspace.nav.currentRowChanged.connect(
            lambda _row, w=self.workspace: bar.step_shown(w.current_step()) if w is self.workspace else None)
        self.workspace.nav.currentRowChanged.connect(
            lambda _row, w=self.workspace: self.start_keys.setEnabled(w.current_step() != "train"))
        self.start_keys.setEnabled(self.workspace.current_step() != "train")
        self.workspace.gone.open_asked.connect(self.open_project_dialog)  # the folder gone: open it where it is now
        self.workspace.gone.close_asked.connect(self.close_action.trigger)
        self.importer = ImportController(self.session, self)
        self.elsewhere = TrainElsewhere(self.workspace, self)
        self.importer.finished.connect(lambda _: self._update_actions())
        self.importer.report_opened.connect(self.workspace.data.import_report_opened)  # its offers
        self.workspace.data.undo_actions = [self.undo_action, self.redo_action]  # in the picture preview too
        self.workspace.data.gallery.list.on_paths_dropped = self.import_paths
        self.workspace.data.gallery.list.on_drop_refused = self.on_drop_refused
        self.workspace.data.import_files_requested.connect(self.import_files_action.trigger)  # the empty gallery's
        self.workspace.data.import_folder_requested.connect(self.import_folder_action.trigger)  # buttons
        self.workspace.data.gallery.model.loader.notice.connect(  # a thumbnail cache that cannot be written
            lambda text: self.statusBar().show_for_window(text[:1].upper() + text[1:], 15000))
        self.stack.addWidget(self.workspace)
        self.stack.setCurrentWidget(self.workspace)
        for sig in (self.session.undo_stack.indexChanged, self.session.classes_changed, self.session.images_changed):
            sig.connect(self._update_actions)
        group = self.session.undo_group
        for sig in (group.activeStackChanged, group.indexChanged, group.canUndoChanged, group.canRedoChanged,
                    group.undoTextChanged, group.redoTextChanged):
            sig.connect(self._update_undo_actions)
        self._watch_elsewhere()
        settings_problem = add_recent_project(project.root)
        if not project.read_only:
            open_lock.take(project.root)  # a second window will be told (not possible on a read-only disk)
        self.setWindowTitle(f"{project.root.name}{' (read-only)' * project.read_only} — CNN Studio")
        notice = notice_on_open(project, settings_problem)  # read-only, pictures made unlabelled, settings not kept
        if notice:
            self.statusBar().show_for_window(notice, 15000)
        self._update_actions()
        gallery = self.workspace.data.gallery  # focus on the pictures, or on the import buttons of a new project
        (gallery.empty.import_files if project.count() == 0 else gallery.list).setFocus()
        open_where_left(self.workspace, project.root)  # the step it was left on (ui/last_place.py)
        # What exists now (Qt wrappers, the project's id lists) lives as long as the project is open:
        # keep it out of the cyclic garbage collector's full passes, which otherwise stall scrolling
        # for 20-40 ms now and then (benchmarks/bench_gallery.py).
        gc.collect()
        gc.freeze()

    def close_project(self) -> None:
        if self.session is None:
            return
        if self.importer is not None:
            self.importer.shutdown()
        if self.elsewhere is not None:
            self.elsewhere.shutdown()
        if self.watch is not None:
            self.watch.stop()
            self.watch = None
        remember_step(self.session.project.root, self.workspace.current_step())
        self.workspace.close()
        self.stack.removeWidget(self.workspace)
        self.workspace.deleteLater()
        self.session.project.close()
        open_lock.release(self.session.project.root)
        self.session.deleteLater()
        self.session = self.workspace = self.importer = self.elsewhere = None
        self.statusBar().step_shown(None)  # the project's steps' messages go with it
        self.setWindowTitle("CNN Studio")
        self.welcome.refresh()
        self.stack.setCurrentWidget(self.welcome)
        self._update_actions()

    def new_project_dialog(self) -> None:
        path = QFileDialog.getSaveFileName(self, "New project: choose a name and a place", last_folder("project"),
                                           options=QFileDialog.Option.DontConfirmOverwrite)[0]
        if path:
            remember_folder("project", Path(path).parent)
            self.create_project(path)

    def open_project_dialog(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Open a project folder", last_folder("project"))
        if path:
            remember_folder("project", Path(path).parent)
            self.open_project(path)

    # ------------------------------------------------------------------ import (ui/data/import_menu.py)
    def import_files_dialog(self) -> None:
        if self._folder_there():
            import_menu.choose_files(self)

    def import_folder_dialog(self) -> None:
        if self._folder_there():
            import_menu.choose_folder(self)

    def import_paths(self, paths: list[Path], rejected: list[dict], ask: bool = True) -> bool:
        return self._folder_there() and import_menu.import_paths(self, paths, rejected, ask)

    # ------------------------------------------------------------------ help
    def show_about(self) -> None:
        import sys

        import PySide6
        import pyqtgraph

        QMessageBox.about(self, "About CNN Studio",
                          f"<h3>CNN Studio {__version__}</h3><p>Train a convolutional neural network on your own "
                          f"pictures, fully offline.</p><p>Python {sys.version.split()[0]} · PySide6 "
                          f"{PySide6.__version__} (Qt {PySide6.QtCore.qVersion()}) · pyqtgraph "
                          f"{pyqtgraph.__version__}</p>")

    def show_guide(self) -> None:
        """Help > Guide: the steps and the glossary, in a scrollable window that stays open beside the work."""
        from .guide_dialog import GuideDialog

        if self.guide is None:
            self.guide = GuideDialog(self)
        self.guide.show()
        self.guide.raise_()
        self.guide.activateWindow()

    # ------------------------------------------------------------------ window state
    def _restore_geometry(self) -> None:
        geometry = app_settings().value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            screen = QApplication.primaryScreen()
            if screen is not None:
                avail = screen.availableGeometry()
                self.resize(min(1400, avail.width() * 9 // 10), min(900, avail.height() * 9 // 10))
                # a small screen (a laptop's 1024 x 614, 800 x 600): all of it, maximized, so that the window
                # manager fits the title bar in (a window as tall as the screen had its status bar below it)
                self.start_maximized = avail.width() < 1200 or avail.height() < 800

    def confirm_stop_work(self, then: str = "quit CNN Studio") -> bool:
        """True when no job runs, or the user agrees to stop them and ``then`` (ui/quit_question.py asks)."""
        return may_stop(self, then)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self.confirm_stop_work("quit CNN Studio"):
            event.ignore()
            return
        s = app_settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.sync()
        self.sample.shutdown()
        self.close_project()
        event.accept()
