"""The runs of a project: metrics, settings, "the data changed since this model was trained", rename, delete.

Reads the run records (:mod:`cnnstudio.project.run_records`) and the run files through
:mod:`cnnstudio.engine.runs.lifecycle`; one run selected is shown on the plots, two or more are compared there. A
selected run's details say its design (:func:`~cnnstudio.engine.runs.run_naming.run_design_words`) and list its
layers as the Model page numbers and labels them, with their output shapes
(:mod:`cnnstudio.engine.runs.design_words`). "Use this design" (a button, and the runs' context menu with Resume,
Rename and Delete) asks for the run's design back on the Model page: :attr:`RunsPanel.design_requested`, which the
composer connects to ``ModelPage.use_run``.
"""

from __future__ import annotations

import math
import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QMessageBox,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from ..name_dialog import ask_name
from ...engine.runs.run_design import has_design
from ...engine.train.clock import epochs_cell
from ...engine.use.figures import percent
from ...project.glossary import RANGE_TERM, tip
from ...project.run_names import compared_note
from ...project.run_records import (NO_VALIDATION_WHY, TRIAL_TEST_WHY, files_missing_sentence, has_validation,
                                     is_search_trial, missing_part, training_now)
from ...project.seen_scores import NOT_YET_TIP, score_seen, shows_test_column
from ...project.split_roles import TEST_FOR_THE_END
from ..colours import status_qcolor
from ..elided_names import NameDelegate
from ..font_sizes import lines_height
from ..keyboard import follow_action, tab_leaves
from ..read_only_words import read_only_refusal
from ..sentence import sentence
from ..session import ProjectSession
from ..tune.tune_state import PRUNED_TIP
from .delete_words import DELETE, delete_names, delete_question, delete_title
from .run_details import DetailsArea, describe
from .run_words import run_score, split_pictures

COLUMNS = ("Name", "Status", "Val. accuracy", "Test accuracy", "Epochs", "Pictures/s", "Started", "Data")
# the headers shown: short, so that the name keeps its room at a 1,024-pixel window (the tooltips say them whole)
HEADERS = ("Name", "Status", "Validation", "Test", "Epochs", "Speed", "Started", "Data")  # words, no "Val. acc."
HEADER_TIPS = ("The run's name (double-click to rename)", "", f"Validation accuracy of the kept model, with its "
               f"{RANGE_TERM}",
               f"Test accuracy, with its {RANGE_TERM}. {TEST_FOR_THE_END}",  # said beside every test score
               "Epochs trained / planned (a finished run: how many it trained)",
               "Speed: pictures per second while training", "When the run was started",
               "⚠: the pictures, labels or splits changed since this run was trained")
STATUS_TEXT = {"created": "created", "running": "running…", "finished": "finished", "stopped": "stopped",
               "failed": "failed"}
PAUSED = "paused"  # the run being trained while its trainer waits (the Train page's clock says so)
SHOWN_ROWS = 6  # the table asks for room for this many runs
FEWEST_ROWS = 3  # and keeps this many however small the window (1,024 x 614: the plots keep their room too)


class _Table(QTableWidget):
    def sizeHint(self):  # noqa: N802 - Qt's name
        """Room for :data:`SHOWN_ROWS` runs (its minimum height is :data:`FEWEST_ROWS`' rows)."""
        hint = super().sizeHint()
        rows = self.verticalHeader().defaultSectionSize()
        hint.setHeight(SHOWN_ROWS * rows + self.horizontalHeader().sizeHint().height() + 2 * self.frameWidth())
        return hint


def two_lines(score: str) -> str:
    """"97.4% (95–99%)" as the score over its range: a narrow column."""
    return score.replace(" (", "\n(", 1)


NO_VALIDATION_TIP = NO_VALIDATION_WHY[0].upper() + NO_VALIDATION_WHY[1:]  # the "no validation" cell's tooltip
TRIAL_TEST_TIP = TRIAL_TEST_WHY[0].upper() + TRIAL_TEST_WHY[1:]  # a trial's test cell's tooltip


def pct(v) -> str:
    return percent(v) if isinstance(v, (int, float)) and math.isfinite(v) else "–"


class RunsPanel(QWidget):
    selection_changed = Signal(list)  # the selected run ids (one: shown alone; more: compared, compare.py)
    resume_requested = Signal(str)
    runs_changed = Signal()  # renamed or deleted
    design_requested = Signal(str)  # "Use this design": the run whose design goes back on the Model page
    listed = Signal()  # the list was read again (refresh): the Train page's "newest run" follows it

    def __init__(self, session: ProjectSession, parent=None):
        super().__init__(parent)
        self.session = session
        self.runs = []
        self.busy_run: str | None = None  # the run being trained now: not deleted or resumed
        self.training = False  # a run starts, prepares its pictures or trains: nothing is resumed (set_training)
        self.busy_paused = False  # the busy run's trainer waits, paused: its status says "paused" (show_paused)
        self.table = _Table(0, len(COLUMNS))
        tab_leaves(self.table)
        self.table.setAccessibleName("Runs")
        self.table.setHorizontalHeaderLabels(HEADERS)
        for col, text in enumerate(HEADER_TIPS):
            if text:
                self.table.horizontalHeaderItem(col).setToolTip(text)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        # the name takes the room the others leave, on two lines (longer, it is cut in the middle: the tooltip has
        # it whole); the others hold two short lines (a score over its range, the day over the time) under short
        # headers, never a sideways scroll, so that names are readable at 1,024 x 614 (QA F-6)
        self.table.setWordWrap(True)
        rows = self.table.verticalHeader()  # two lines of the table's font, however large (font_sizes)
        rows.setDefaultSectionSize(max(rows.defaultSectionSize(), lines_height(self.table, 2)))
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.name_cells = NameDelegate(2, self.table)  # a longer name is cut in its middle: runs named alike differ
        self.table.setItemDelegateForColumn(0, self.name_cells)  # at their end ("… lr 0.001 batch 32")
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)
        row = rows.defaultSectionSize()  # three rows at least, not two and a half
        self.table.setMinimumHeight(FEWEST_ROWS * row + h.sizeHint().height() + 2 * self.table.frameWidth())
        self.table.itemDoubleClicked.connect(lambda _i: self.rename_dialog())
        self.empty = QLabel("No runs yet. Press Start to train your first model.")
        self.empty.setStyleSheet("color: palette(placeholder-text);")
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.details_area = DetailsArea(self.details)  # under the table, never over it
        # each button is an action of the runs' context menu too (right-click or the menu key on a run)
        undo = QKeySequence(QKeySequence.StandardKey.Undo).toString(QKeySequence.SequenceFormat.NativeText)
        self.use_design_button, self.use_design_action = self._command(
            "Use this design", "Put this run's design back on the Model page: its layers, input and augmentation "
            f"({undo} there brings back the design before)", self.use_design)
        self.resume_button, self.resume_action = self._command(
            "Resume", "Continue a stopped run from its last finished epoch",
            lambda: self.resume_requested.emit(self.selected_ids()[0]))
        self.rename_button, self.rename_action = self._command("Rename…", "Give the selected run another name",
                                                               self.rename_dialog)
        self.delete_button, self.delete_action = self._command(
            "Delete…", "Delete the selected runs and their trained models", self.delete_dialog)
        # a project open for viewing only: its runs stay as they are, and these commands say why they are off
        self.read_only = read_only_refusal(session.project, "resume, rename or delete its runs")
        for command in (self.resume_button, self.resume_action, self.rename_button, self.rename_action,
                        self.delete_button, self.delete_action):
            command.setToolTip(sentence(self.read_only) if self.read_only else command.toolTip())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.table.addActions([self.use_design_action, self.resume_action, self.rename_action, self.delete_action])
        buttons = QHBoxLayout()
        title = QLabel("<b>Runs</b> <small>(Ctrl+click to compare)</small>")  # one click shows a run (train_page.py)
        title.setToolTip("Click a run to show its curves, how it ended and its advice. Ctrl+click another run to lay "
                         "its curves over them.")
        buttons.addWidget(title)
        buttons.addStretch(1)
        for b in (self.use_design_button, self.resume_button, self.rename_button, self.delete_button):
            buttons.addWidget(b)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(buttons)
        lay.addWidget(self.empty)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.details_area)
        self._current_fingerprint: str | None = None
        # the runs listed as "files missing": what of each is gone (missing_part); while some are, the window's look
        # every 2 seconds (ui/elsewhere_watch.py: ElsewhereWatch.looked) asks look_for_files whether they came back
        self._gone: dict[str, str] = {}
        self.delete_box: QMessageBox | None = None  # Delete's question while it is open (delete_dialog)
        self._selected()

    def _command(self, text: str, tip: str, slot) -> tuple[QPushButton, QAction]:
        """A button and the context menu's action that are one command (``slot``)."""
        action = QAction(text, self)
        action.setToolTip(tip)
        action.triggered.connect(lambda _=False: slot())
        button = QPushButton(text)
        button.setToolTip(tip)
        follow_action(button, action)
        return button, action

    # ------------------------------------------------------------------ data
    def set_fingerprint(self, fingerprint: str | None) -> None:
        """The fingerprint of the project's data now (runs with another one warn that the data changed)."""
        self._current_fingerprint = fingerprint

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """Back on the page: a run looked at on its test pictures on the Evaluate page since shows its test score."""
        super().showEvent(event)
        from ...project import run_records as index

        if self.training or not self.runs:
            return
        seen = {r.id for r in index.list_runs(self.session.project) if score_seen(r.summary)}
        if seen != {r.id for r in self.runs if score_seen(r.summary)}:
            self.refresh()

    def refresh(self) -> None:
        from ...project import run_records as index

        keep = set(self.selected_ids())
        self._gone = {}
        groups = index.grouped_runs(index.list_runs(self.session.project))
        self.runs = [r for _, runs in groups for r in runs]
        self.table.blockSignals(True)
        self.table.clearSelection()  # the runs in ``keep`` only: a deleted run's row is not handed to the next run
        self.table.clearSpans()
        self.table.setRowCount(len(self.runs) + sum(1 for name, _ in groups if name))
        row = -1
        for study, runs in groups:
            if study:
                row += 1
                self._study_row(row, study, runs)
            for r in runs:
                row += 1
                self._run_row(row, r, keep)
        self.table.blockSignals(False)
        self.empty.setVisible(not self.runs)
        self.table.setVisible(bool(self.runs))
        self.table.setColumnHidden(COLUMNS.index("Data"), not any(self._changed(r) for r in self.runs))
        self.table.setColumnHidden(COLUMNS.index("Test accuracy"), not shows_test_column(r.summary for r in self.runs))
        self._selected()
        self.listed.emit()

    def look_for_files(self) -> bool:
        """The runs listed as "files missing", and the others: is what each misses still what the list says (the
        project folder moved away and back, a run's folder put back)? Reads the list again when not; True then. Asked
        by the window's look every 2 seconds while it is active; nothing is looked at while none is listed so."""
        if self.training or not self._gone:  # the run being trained's own rows follow its events
            return False
        project = self.session.project
        now = {r.id: missing_part(project, r.id, r.status) for r in self.runs if r.status != "running"}
        if {i: part for i, part in now.items() if part} == self._gone:
            return False
        self.refresh()
        return True

    def _study_row(self, row: int, study: str, runs: list) -> None:
        """A header over a search's runs (not selectable), the search by its one name, its best over its finished
        trials only, in the Tune page's words (:func:`~cnnstudio.engine.tune.results.search_runs_line`: a trial
        stopped part-way has a score so far, on its own row, but is no best)."""
        from ...engine.tune.results import search_runs_line  # Optuna: loaded only for a project with a search

        item = QTableWidgetItem(search_runs_line(study, runs))
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = item.font()
        font.setBold(True)
        item.setFont(font)
        item.setToolTip("Runs made by a search for better settings on the Tune page: each trial is an ordinary run "
                        "you can evaluate and use.")
        self.table.setItem(row, 0, item)
        self.table.setSpan(row, 0, 1, len(COLUMNS))

    def _run_row(self, row: int, r, keep: set) -> None:
        s = r.summary
        changed = self._changed(r)
        epochs = s.get("last_epoch")
        planned = s.get("epochs_planned")
        validated = has_validation(r)
        gone = r.status != "running" and missing_part(self.session.project, r.id, r.status)  # deleted by hand
        if gone:
            self._gone[r.id] = gone
        trial = is_search_trial(r)  # compared on validation only: its test score is on Evaluate
        cells = (r.name, "files missing" if gone else "stopped early" if s.get("pruned") else self._status(r),
                 two_lines(run_score(s, "val")) if validated else "no validation",
                 "–" if trial or not score_seen(s) else two_lines(run_score(s, "test")),  # looked at on purpose
                 epochs_cell(epochs, planned, finished=r.status == "finished"),
                 f"{s['images_per_second']:,.0f}" if isinstance(s.get("images_per_second"), (int, float)) else "–",
                 time.strftime("%d %b\n%H:%M", time.localtime(r.created_at)),
                 "⚠\nchanged" if changed else "")
        for col, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, r.id)
            if col == 1 and (r.status == "failed" or gone):
                item.setForeground(status_qcolor("error", self.table))
                item.setToolTip(sentence(files_missing_sentence(r.id, gone)) if gone else s.get("error", ""))
            if col == 2 and not validated:
                item.setForeground(status_qcolor("warning", self.table))
                item.setToolTip(NO_VALIDATION_TIP)
            elif col == 1 and s.get("pruned") and not gone:
                item.setToolTip(PRUNED_TIP)
            elif col == 3 and trial:
                item.setToolTip(TRIAL_TEST_TIP)
            elif col == 3 and not score_seen(s):
                item.setToolTip(NOT_YET_TIP)
            elif col in (2, 3) and text != "–":
                split = "val" if col == 2 else "test"
                item.setToolTip(f"In brackets: {tip('confidence interval')} ({split_pictures(s, split):,} "
                                f"{'validation' if split == 'val' else 'test'} pictures)")
            if col == 7 and changed:
                item.setForeground(status_qcolor("warning", self.table))
                item.setToolTip("Pictures, labels, splits or class names changed since this model was trained "
                                "(a new name alone changes no score). Select the run to see what changed.")
            if col == 0:
                item.setToolTip(r.name)  # the whole name, when it is cut
            mark, why = compared_note(r.id, s) if col == 1 else ("", "")  # the default recipe's other network
            if mark:  # under its status, where a 1,024-pixel window still shows it
                item.setText(f"{text}\n{mark}")
                item.setToolTip(why)
            if col in (2, 3, 4, 5):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, col, item)
        if r.id in keep:
            self.table.selectRow(row)

    def reload_run(self, run_id: str | None) -> None:
        """Read one run's record again and show it (its row, and the details when it is selected): while a run
        trains, its process records the best epoch so far and its validation accuracy at every epoch."""
        from ...project.run_records import find_run

        info = find_run(self.session.project, run_id) if run_id else None
        rows = [r for r in range(self.table.rowCount())
                if self.table.item(r, 0) is not None and self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == run_id]
        if info is None or not rows:
            return
        self.runs = [info if r.id == run_id else r for r in self.runs]
        self.table.blockSignals(True)
        self._run_row(rows[0], info, set())  # the row keeps its selection
        self.table.blockSignals(False)
        if self.selected_ids() == [run_id]:
            self._show_details(self._describe(info))

    def _status(self, r) -> str:
        if r.status == "running" and r.id == self.busy_run and self.busy_paused:
            return PAUSED
        return STATUS_TEXT.get(r.status, r.status)

    def show_paused(self, on: bool) -> None:
        """The run being trained (:attr:`busy_run`) waits, paused (``on``), or trains again: its status cell says
        so, as the Train page's status line does; a row read again (a new best epoch) keeps it."""
        self.busy_paused = on
        info = self.run_info(self.busy_run) if self.busy_run else None
        if info is not None:
            self._set_cell(info.id, COLUMNS.index("Status"), self._status(info))

    def _set_cell(self, run_id: str, col: int, text: str) -> None:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == run_id:
                cell = self.table.item(row, col)
                if cell is not None:
                    cell.setText(text)
                return

    def show_epochs(self, run_id: str | None, text: str) -> None:
        """The epochs cell of the run being trained, as the Train page's clock says (no database read)."""
        if run_id:
            self._set_cell(run_id, COLUMNS.index("Epochs"), text)

    def _changed(self, r) -> bool:
        """The data changed since run ``r`` was trained (its fingerprint is not the data's now)."""
        return bool(self._current_fingerprint is not None and r.data_fingerprint
                    and r.data_fingerprint != self._current_fingerprint)

    def run_info(self, run_id: str):
        return next((r for r in self.runs if r.id == run_id), None)

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        ids = [self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in rows if self.table.item(r, 0)]
        return [i for i in ids if i]  # a study's header row is not a run

    def select(self, run_ids: list[str]) -> None:
        self.table.clearSelection()
        mode = self.table.selectionMode()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0) and self.table.item(row, 0).data(Qt.ItemDataRole.UserRole) in run_ids:
                self.table.selectRow(row)
        self.table.setSelectionMode(mode)

    # ------------------------------------------------------------------ selection
    def set_training(self, on: bool) -> None:
        """From Start (or Resume) to the run's end: Resume is off, even before the run has an id (starting,
        preparing the pictures)."""
        self.training = on
        self._update_buttons()

    def _update_buttons(self) -> None:
        ids = self.selected_ids()
        info = self.run_info(ids[0]) if len(ids) == 1 else None
        can = not self.read_only  # a project open for viewing only (the buttons' tips say why)
        self.rename_action.setEnabled(can and len(ids) == 1)
        self.delete_action.setEnabled(can and bool(ids) and self.busy_run not in ids)
        self.resume_action.setEnabled(can and info is not None and info.status in ("stopped", "failed", "running")
                                      and self.busy_run is None and not self.training
                                      and not training_now(info))  # a 'cnnstudio train' or another window's
        self.use_design_action.setEnabled(info is not None and has_design(info.config))

    def _selected(self) -> None:
        ids = self.selected_ids()
        info = self.run_info(ids[0]) if len(ids) == 1 else None
        self._update_buttons()
        self._show_details(self._describe(info) if info else "")
        self.details.setToolTip(f"Run id {info.id} (its folder's name, which the command line uses)" if info else "")
        self.selection_changed.emit(ids)

    def _show_details(self, text: str) -> None:
        self.details.setText(text)
        self.details_area.updateGeometry()  # its height follows its lines (DetailsArea.sizeHint)

    def _describe(self, r) -> str:
        """The details of run ``r`` (:func:`.run_details.describe`)."""
        return describe(r, self.session.project, self.run_info, self.details)

    def use_design(self) -> None:
        """Ask for the selected run's design on the Model page (:attr:`design_requested`)."""
        ids = self.selected_ids()
        if len(ids) == 1 and self.use_design_action.isEnabled():
            self.design_requested.emit(ids[0])

    # ------------------------------------------------------------------ rename / delete
    def rename_run(self, run_id: str, name: str) -> None:
        from ...project import run_records as index

        index.rename_run(self.session.project, run_id, name)
        self.refresh()
        self.runs_changed.emit()

    def delete_runs(self, run_ids: list[str]) -> list[str]:
        """Delete ``run_ids`` (not the run this window trains); returns why any was kept: a run another window or
        a 'cnnstudio train' command is training is refused by the run index (run_records.delete_run)."""
        from ...project import ProjectError, run_records as index

        refused = []
        for rid in run_ids:
            if rid != self.busy_run:
                try:
                    index.delete_run(self.session.project, rid)
                except ProjectError as e:
                    refused.append(sentence(str(e)))
        self.refresh()
        self.runs_changed.emit()
        return refused

    def rename_dialog(self) -> None:
        from ...project import ProjectError

        ids = self.selected_ids()
        if len(ids) != 1:
            return
        info = self.run_info(ids[0])
        name, ok = ask_name(self, "Rename run", "Name:", info.name if info else "")  # the whole name, from its start
        if ok and name.strip():
            try:
                self.rename_run(ids[0], name)
            except ProjectError as e:
                QMessageBox.warning(self, "Cannot rename", str(e))

    def delete_dialog(self) -> None:
        """Ask before the selected runs are deleted (not the run this window trains): the run named, quoted, or the
        runs counted and named; "Cancel" is the default and Escape's, so Enter deletes nothing, and the button that
        deletes says "Delete". Opened, not exec'd (:attr:`delete_box`): a test answers the real box."""
        ids = [i for i in self.selected_ids() if i != self.busy_run]
        if not ids:
            return
        names = [self.run_info(i).name or i for i in ids if self.run_info(i)]
        self.delete_box = box = QMessageBox(QMessageBox.Icon.Warning, delete_title(len(ids)), delete_question(names),
                                            QMessageBox.StandardButton.Cancel, self)
        box.setInformativeText(delete_names(names))
        delete = box.addButton(DELETE, QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda _r: box.clickedButton() is delete and self._delete_asked(ids))
        box.open()

    def _delete_asked(self, run_ids: list[str]) -> None:
        """"Delete" was answered: the runs go; a run another program trains now is kept, and why is said."""
        refused = self.delete_runs(run_ids)
        if refused:
            QMessageBox.information(self, "Run kept", "\n".join(refused))
