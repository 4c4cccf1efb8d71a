"""The trials of the study on the Tune page: a table model over :class:`~.tune_state.TuneState` and its view.

Columns: the trial's number (from 1), its status (running / finished / stopped early / failed / stopped), validation
accuracy, one column per searched parameter, the model's size (with two goals) and the time it took. A status is
written in its status colour (:mod:`cnnstudio.ui.colours`: green finished, red failed, blue running, grey stopped
early, lighter on a dark palette); a trial stopped from outside (Stop, the time limit) did not fail, and is written
in the table's own colour. A stopped or failed trial's tooltip says why in a sentence (:func:`~.tune_state.reason_tip`).
The best trial is bold; the starting settings are marked "start". The page calls
:meth:`TrialsModel.reset` when another study is shown and :meth:`TrialsModel.sync` after each event. An empty table
says how it fills (:data:`EMPTY`), or that the chosen search is being read (:data:`READING`).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QAbstractTableModel, QItemSelectionModel, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ...engine.tune.words import shown_number
from ...engine.use.figures import score_text
from ...project.glossary import tip
from ..colours import status_qcolor
from ..keyboard import tab_leaves
from .tune_state import (PRUNED_TIP, TuneState, accuracy_text, param_title, reason_tip, seconds_text, state_text,
                         value_text)

STATES = ("complete", "pruned", "failed", "running")  # each in its status colour (colour_rules.TRIAL_STATES)
EMPTY = "Start a search: each trial appears here."
READING = "Reading this search's trials…"  # a search chosen in the list, its trials not read back yet
STATUS_TIP = ("How each trial ended: finished (trained all its epochs), stopped early (far behind the others, "
              "stopped to save time), stopped (by Stop or the time limit) or failed (the reason is in its tooltip)")


class TrialsModel(QAbstractTableModel):
    def __init__(self, state: TuneState, parent=None):
        super().__init__(parent)
        self.state = state
        self.val_pictures = None  # run id -> how many validation pictures it was scored on (the tooltip's range)
        self._rows = 0
        self._columns: list[str] = []
        self._best: int | None = None
        self._state_colours: dict = {}  # the palette's colour of each state, chosen once (colours.py)
        self._make_columns()

    def _make_columns(self) -> None:
        s = self.state
        self._columns = (["#", "status", "val_accuracy"] + [f"p:{n}" for n in s.params()]
                         + (["parameters"] if s.two_objectives else []) + ["seconds"])
        self._rows = len(s.order)
        self._best = s.best_number()

    # -- the page ---------------------------------------------------------------------------------------
    def reset(self) -> None:
        """Another study (or its space) is shown."""
        self.beginResetModel()
        self._make_columns()
        self.endResetModel()

    def sync(self) -> None:
        """New trials and changed ones (rows are only added while a study runs)."""
        n = len(self.state.order)
        if n < self._rows:
            self.reset()
            return
        if n > self._rows:
            self.beginInsertRows(QModelIndex(), self._rows, n - 1)
            self._rows = n
            self.endInsertRows()
        self._best = self.state.best_number()
        if n:
            self.dataChanged.emit(self.index(0, 0), self.index(n - 1, len(self._columns) - 1))

    def number_at(self, row: int) -> int | None:
        return self.state.order[row] if 0 <= row < len(self.state.order) else None

    def row_of(self, number: int) -> int:
        try:
            return self.state.order.index(number)
        except ValueError:
            return -1

    # -- Qt ---------------------------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        key = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            words = {"#": "Trial", "status": "Status", "val_accuracy": "Validation accuracy",
                     "parameters": "Size (parameters)", "seconds": "Time"}
            return words.get(key) or param_title(key[2:]).capitalize()
        if role == Qt.ItemDataRole.ToolTipRole and key == "status":  # the header's
            return STATUS_TIP
        if role == Qt.ItemDataRole.ToolTipRole and key.startswith("p:"):
            from ...engine.tune.space import PARAMS

            p = PARAMS.get(key[2:])
            return p.explain if p else None
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= self._rows:
            return None
        row = self.state.row_at(index.row())
        key = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, key)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int((Qt.AlignmentFlag.AlignLeft if key == "status" else Qt.AlignmentFlag.AlignRight)
                       | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and row["number"] == self._best:
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.ForegroundRole and key == "status":
            return None if row.get("stopped") else self._state_colour(row.get("state"))
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "val_accuracy" and self.val_pictures is not None and row.get("run"):
                v, n = row.get("val_accuracy"), self.val_pictures(row["run"])
                if isinstance(v, (int, float)) and math.isfinite(v) and n:
                    return (f"{score_text(v, n)}: on {n} validation pictures the true accuracy very likely (95%) "
                            f"lies in this range.\n{tip('confidence interval')}")
            why = reason_tip(row)  # a stopped or failed trial: why, in a sentence
            if why:
                return why
            if key == "status" and row.get("state") == "pruned":
                return PRUNED_TIP
            if row["number"] == self._best:
                return "The best trial so far"
            if row.get("starting_point"):
                return "Your starting settings, as they were on the Train and Model pages"
        return None

    def _state_colour(self, state):
        """A trial state's colour for the palette of the page (the application's without one), chosen once."""
        if state not in STATES:
            return None
        if state not in self._state_colours:
            page = self.parent()
            self._state_colours[state] = status_qcolor(state, page if isinstance(page, QWidget) else None)
        return self._state_colours[state]

    @staticmethod
    def _text(row: dict, key: str) -> str:
        if key == "#":  # counted from 1, as people count (Optuna's number from 0 stays in the row)
            n = shown_number(row["number"])
            return f"{n}  (start)" if row.get("starting_point") else str(n)
        if key == "status":
            return state_text(row)
        if key == "val_accuracy":
            return accuracy_text(row.get("val_accuracy"))
        if key == "parameters":
            return f"{row['parameters']:,}" if row.get("parameters") else "–"
        if key == "seconds":
            return seconds_text(row.get("seconds"))
        name = key[2:]
        return value_text(name, row.get("params", {}).get(name))


LEAST_ROWS = 4  # the trials the table shows however short the window (a 614-pixel-high screen)


class TrialsView(QTableView):
    """The table: one row selected at a time; ``trial_selected(number)`` (-1: none)."""

    trial_selected = Signal(int)

    def __init__(self, model: TrialsModel, parent=None):
        super().__init__(parent)
        self.reading = lambda: False  # the page's: a chosen search is being read back (study_list.StudyList.reading)
        self.setModel(model)
        tab_leaves(self)
        self.setAccessibleName("Trials")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(22)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(False)
        self.selectionModel().selectionChanged.connect(self._selection_changed)
        model.modelReset.connect(self._selection_changed)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        """At least :data:`LEAST_ROWS` rows, the header and a sideways scroll bar: the page gives way above it."""
        hint = super().minimumSizeHint()
        rows = (self.horizontalHeader().sizeHint().height() + LEAST_ROWS * self.verticalHeader().defaultSectionSize()
                + self.horizontalScrollBar().sizeHint().height() + 2 * self.frameWidth())
        return QSize(hint.width(), max(hint.height(), rows))

    def empty_text(self) -> str:
        """What the table says while it has no trial (drawn in its middle): :data:`READING` while the chosen search
        is read back, else :data:`EMPTY`."""
        if self.model().rowCount():
            return ""
        return READING if self.reading() else EMPTY

    def paintEvent(self, event) -> None:  # noqa: N802
        super().paintEvent(event)
        text = self.empty_text()
        if text:
            p = QPainter(self.viewport())
            p.setPen(self.palette().placeholderText().color())
            p.drawText(self.viewport().rect().adjusted(8, 8, -8, -8),
                       int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), text)
            p.end()

    def selected_number(self) -> int | None:
        rows = self.selectionModel().selectedRows()
        return self.model().number_at(rows[0].row()) if rows else None

    def select_number(self, number: int) -> None:
        row = self.model().row_of(number)
        if row < 0:
            return
        index = self.model().index(row, 0)
        self.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                     | QItemSelectionModel.SelectionFlag.Rows)
        self.setCurrentIndex(index)
        self.scrollTo(index)

    def _selection_changed(self, *_) -> None:
        n = self.selected_number()
        self.trial_selected.emit(-1 if n is None else n)
