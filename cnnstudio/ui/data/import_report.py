"""The report shown after an import: how many pictures came in, and a table of every file that did not, with why.

Each file is named by its path from the folder imported (elided in the middle when long, whole in its tooltip), so
three "IMG_0021.jpg" rows from three folders read apart; the reason is shown whole (it wraps). A picture found in
two folders that give it different classes comes first, in red (:mod:`.report_rows`, the words and the order; the
red is the palette's error colour, :mod:`cnnstudio.ui.colours`).
The dialog fits a 1,024 x 614 screen: the table scrolls.
"""

from __future__ import annotations

import os
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHeaderView, QLabel, QStyledItemDelegate,
                               QTableWidget, QTableWidgetItem, QVBoxLayout)

from ...project import ImportReport
from ...project.counting import plural
from ..colours import status_colour, status_qcolor
from ..keyboard import tab_leaves
from .report_rows import conflict_line, report_rows, shown_path

WRAPPED_ROWS = 1000  # up to this many rows, each is as tall as its reason needs; more: one line each (tooltips)
NOTES_SHOWN = 3


class OneLine(QStyledItemDelegate):
    """A path on one line, elided in the middle ("photos/…/IMG_0021.jpg"), while the reasons beside it wrap."""

    def initStyleOption(self, option, index):  # noqa: N802 - Qt name
        super().initStyleOption(option, index)
        option.features &= ~option.ViewItemFeature.WrapText
        option.textElideMode = Qt.TextElideMode.ElideMiddle


def _counted(n: int, one: str, many: str) -> str:
    return f"<b>{n:,}</b> {plural(n, one, many)}"


class ImportReportDialog(QDialog):
    def __init__(self, report: ImportReport, rejected: list[dict], parent=None, roots: list[Path] | None = None):
        """``rejected``: what the drop refused before the import; ``roots``: the files and folders imported (rows
        are named from them)."""
        super().__init__(parent)
        self.setWindowTitle("Import report")
        skipped = rejected + report.skipped
        roots = [Path(os.path.abspath(r)) for r in roots or ()]
        rows = report_rows(skipped, report.duplicates, roots)
        lines = [f"{_counted(len(report.imported), 'picture', 'pictures')} imported, "
                 f"{_counted(len(report.duplicates), 'duplicate', 'duplicates')} (already there, not stored twice), "
                 f"<b>{len(rejected) + report.skipped_files:,}</b> skipped"]
        if report.cancelled:
            lines.append("The import was cancelled: what was imported before stays.")
        if report.classes_created:
            lines.append("New classes: " + escape(", ".join(report.classes_created)))
        lines += [escape(line) for line in report.passed_over_lines]
        lines += [escape(f"{shown_path(n['path'], roots)}: {n['note']}") for n in report.notes[:NOTES_SHOWN]]
        if len(report.notes) > NOTES_SHOWN:
            lines.append(f"… and {len(report.notes) - NOTES_SHOWN:,} more notes")
        conflicts = conflict_line(rows)
        if conflicts:
            lines.append(f'<span style="color: {status_colour("error", self)};">{conflicts}</span>')
        lay = QVBoxLayout(self)
        summary = QLabel("<br>".join(lines))
        summary.setObjectName("summary")
        summary.setWordWrap(True)
        lay.addWidget(summary)
        self.table = self._table(rows)
        lay.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        lay.addWidget(buttons)
        if rows:
            self.resize(760, 420)
        else:  # one line of words: as large as they are
            self.adjustSize()

    def _table(self, rows) -> QTableWidget:
        table = QTableWidget(len(rows), 2)
        table.setHorizontalHeaderLabels(["File", "Why it was not imported"])
        table.setItemDelegateForColumn(0, OneLine(table))
        bold = QFont(table.font())
        bold.setBold(True)
        for r, row in enumerate(rows):
            name = QTableWidgetItem(row.shown)
            name.setToolTip(row.path)
            reason = QTableWidgetItem(row.reason)
            reason.setToolTip(f"{row.path}\n{row.reason}")
            if row.conflict:
                for item in (name, reason):
                    item.setForeground(status_qcolor("error", self))
                    item.setFont(bold)
            table.setItem(r, 0, name)
            table.setItem(r, 1, reason)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        table.resizeColumnToContents(0)
        table.setColumnWidth(0, min(table.columnWidth(0), 300))  # a long path is elided; the reason has the room
        table.setWordWrap(True)
        if len(rows) <= WRAPPED_ROWS:
            table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.verticalHeader().hide()
        table.setVisible(bool(rows))
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setVerticalScrollMode(QTableWidget.ScrollMode.ScrollPerPixel)
        table.setAccessibleName("Files not imported")
        tab_leaves(table)
        return table
