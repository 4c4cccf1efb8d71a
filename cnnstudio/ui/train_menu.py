"""The main window's Train menu: Pack Job and Import Run, Start's Ctrl+Return on the other steps, and the Train and
Tune pages' own actions added to it once each page is built (the same actions as their buttons)."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence, QShortcut

from .workspace import step_index


class TrainMenuMixin:
    """Mix into the main window (ui/main_window.py), which has ``_action``, ``_folder_there``, ``workspace`` and
    ``elsewhere``."""

    def _add_train_menu(self) -> None:
        t = self.menuBar().addMenu("&Train")
        t.addSeparator()  # Start, Pause, Stop, Find Better Settings and Start My Search go above it (_page_built)
        t.aboutToShow.connect(self._train_menu_opening)
        self.pack_action = self._action(t, "&Pack Job for Another Machine…",
                                        lambda: self._folder_there() and self.elsewhere.pack_dialog(), None,
                                        "Write the images, design and settings into one file that trains "
                                        "on a GPU machine with 'cnnstudio train JOB.zip'")
        self.import_run_action = self._action(t, "&Import Run Trained Elsewhere…",
                                              lambda: self._folder_there() and self.elsewhere.import_dialog(), None,
                                              "Bring a run trained on another machine into this project")

        # Start's Ctrl+Return on the other steps (the Train page's own action has it there): shows it and starts,
        # or says why not in the status bar; off on the Train step, where two would be ambiguous and neither fire
        self.start_keys = QShortcut(QKeySequence("Ctrl+Return"), self)
        self.start_keys.activated.connect(lambda: self.workspace is not None and self._folder_there()
                                          and self.workspace.train_page.start_from_elsewhere())

    def _page_built(self, key: str, page) -> None:
        """The Train and Tune pages' commands in the Train menu, once the page exists: the same actions as their
        buttons (one enabled state, one slot: train/controls.py), gone with the page when the project closes."""
        menu = self._train_menu()
        before = next(a for a in menu.actions() if a.isSeparator())
        if key == "train":
            menu.insertActions(before, page.controls.actions())
        elif key == "tune":  # the page's main button by its name, then Start My Search
            find = self._find_action = QAction("&Find Better Settings", page)
            find.setStatusTip(page.quick_button.toolTip())
            find.triggered.connect(lambda _=False: self._find_better(page))
            menu.insertActions(before, [find, page.start_action])

    def _train_menu(self):
        return next(a.menu() for a in self.menuBar().actions() if a.text() == "&Train")  # asked anew: a kept
        #                                                              wrapper was found deleted in tests

    def _find_better(self, page) -> None:
        """Train > Find Better Settings: the Tune page's main button, pressed on that page (shown first, so that
        when it is off the page says why)."""
        self.workspace.show_step(step_index("tune"))
        page.quick_button.click()

    def _train_menu_opening(self) -> None:
        """The Train menu lists Start, Pause, Stop and the Tune page's two before their pages were first shown:
        opening it builds those pages (hidden; the step shown stays), which adds their actions (:meth:`_page_built`);
        Find Better Settings is off while a search runs, as its button is."""
        if self.workspace is None or not self._folder_there():
            return
        try:
            self.workspace.train_page
            running = self.workspace.tune_page.running
        except Exception:  # noqa: BLE001 - a page that cannot be built says why where it would be shown
            return
        self._find_action.setEnabled(not running)
