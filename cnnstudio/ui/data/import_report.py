"""The report shown after an import: how many pictures came in, and a table of every file that did not, with why.
A picture brought back from the project's trash came in: the summary counts it ("839 pictures brought back from the
trash"), the table does not list it (:attr:`cnnstudio.project.ImportReport.already_there`, as ``cnnstudio import``).

Each file is named by its path from the folder imported (elided in the middle when long, whole in its tooltip), so
three "IMG_0021.jpg" rows from three folders read apart; the reason is shown whole (it wraps). A picture found in
two folders that give it different classes comes first, in red (:mod:`.report_rows`, the words and the order; the
red is the palette's error colour, :mod:`cnnstudio.ui.colours`).
The dialog fits a 1,024 x 614 screen: the table scrolls.

The pictures of the rows in red are shown by "Show the pictures in red" (the gallery, every class, those selected).
What came in can be acted on from here (:meth:`ImportReportDialog.offer`, filled by the Data page): pictures that
came without a class are counted, with "Show them" (the gallery's "No class" filter) and, while the gallery shows
one class, "Give them the class “cat”"; "Undo this import (move its 3 pictures to the trash)" takes the whole
import back, not only the pictures without a class (the pictures it brought back from the trash go back there too).
An import of labelled pictures into a project already split says that training leaves the pictures without a split
out, with "Split" (:mod:`cnnstudio.project.left_out`). Each is one undoable step, as a label or Delete is.

The import itself is a step on the Data page's undo stack (ui/import_command.py), which the report says: "Ctrl+Z on
the Data page undoes this import" (its new pictures go to the trash, and the pictures it gave a class have none again).
"""

from __future__ import annotations

import os
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QStyledItemDelegate, QTableWidget, QTableWidgetItem, QVBoxLayout)

from ...project import ImportReport
from ...project.counting import counted
from ...project.import_words import DUPLICATES_NOTE, import_counts
from ...project.left_out import left_out_words
from ...project.names import NO_CLASS
from ..colours import status_colour, status_qcolor
from ..keyboard import tab_leaves
from .report_rows import conflict_ids, conflict_line, report_rows, shown_path

WRAPPED_ROWS = 1000  # up to this many rows, each is as tall as its reason needs; more: one line each (tooltips)
NOTES_SHOWN = 3
UNDO_WORDS = "Ctrl+Z on the Data page undoes this import."  # the import is a step on that page's undo stack


class OneLine(QStyledItemDelegate):
    """A path on one line, elided in the middle ("photos/…/IMG_0021.jpg"), while the reasons beside it wrap."""

    def initStyleOption(self, option, index):  # noqa: N802 - Qt name
        super().initStyleOption(option, index)
        option.features &= ~option.ViewItemFeature.WrapText
        option.textElideMode = Qt.TextElideMode.ElideMiddle


def no_class_words(n: int) -> str:
    """The report's line about pictures that came without a class."""
    have = "has" if n == 1 else "have"
    return (f"{counted(n, 'picture')} {have} no class yet: find {'it' if n == 1 else 'them'} under “{NO_CLASS}” and "
            "press a class's key.")


class ImportReportDialog(QDialog):
    show_no_class = Signal(list)  # the imported pictures without a class: show them in the gallery
    give_class = Signal(list, int)  # those pictures, the class the gallery shows: label them with it
    trash = Signal(list)  # every picture imported: move them to the project's trash
    show_pictures = Signal(list)  # the pictures kept for the rows in red: select them in the gallery
    split = Signal()  # labelled pictures with no split that training leaves out: the Data page's Split

    def __init__(self, report: ImportReport, rejected: list[dict], parent=None, roots: list[Path] | None = None,
                 undoable: bool = False):
        """``rejected``: what the drop refused before the import; ``roots``: the files and folders imported (rows
        are named from them); ``undoable``: the import is a step on the Data page's undo stack (the report says
        Ctrl+Z undoes it)."""
        super().__init__(parent)
        self.setWindowTitle("Import report")
        skipped = rejected + report.skipped
        roots = [Path(os.path.abspath(r)) for r in roots or ()]
        # a picture brought back from the trash came in (the summary counts it): only true duplicates are rows
        rows = report_rows(skipped, report.already_there, roots)
        lines = [import_counts(report, len(rejected), number=lambda n: f"<b>{n:,}</b>",
                               duplicates_note=DUPLICATES_NOTE)]
        if report.cancelled:
            lines.append("The import was cancelled: what was imported before stays.")
        if report.classes_created:
            lines.append("New classes: " + escape(", ".join(report.classes_created)))
        lines += [escape(line[0].upper() + line[1:] + ".") for line in report.classes_merged]
        lines += [escape(line) for line in (report.class_given_line, *report.passed_over_lines) if line]
        lines += [escape(f"{shown_path(n['path'], roots)}: {n['note']}") for n in report.notes[:NOTES_SHOWN]]
        if len(report.notes) > NOTES_SHOWN:
            lines.append(f"… and {len(report.notes) - NOTES_SHOWN:,} more notes")
        self.undoable = undoable
        if undoable:
            lines.append(UNDO_WORDS)
        conflicts = conflict_line(rows)
        self.conflicts = conflict_ids(rows)  # the red rows' pictures, shown by "Show the pictures in red"
        if conflicts:
            lines.append(f'<span style="color: {status_colour("error", self)};">{conflicts}</span>')
        self.lay = lay = QVBoxLayout(self)
        self.summary = summary = QLabel("<br>".join(lines))
        summary.setObjectName("summary")
        summary.setWordWrap(True)
        lay.addWidget(summary)
        # what "Undo this import" moves to the trash: the pictures it added and those it brought back from there
        self.imported = list(dict.fromkeys([*report.imported, *report.untrashed]))
        self.actions: dict[str, QPushButton] = {}  # what :meth:`offer` put under the summary, by name
        self.table = self._table(rows)
        lay.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        lay.addWidget(buttons)
        if rows:
            self.resize(760, 420)
        else:  # one line of words: as large as they are
            self.adjustSize()

    def offer(self, no_class: list[int], shown_class: tuple[int, str] | None = None,
              showing_no_class: bool = False, left_out: int = 0) -> None:
        """Say how many of the imported pictures have no class (``no_class``: their ids) and offer what to do with
        them: show them (unless ``showing_no_class``: the gallery shows them already), give them ``shown_class``
        (``(id, name)``: the class the gallery shows), or move the whole import to the trash. ``left_out``: the
        project's labelled pictures that training leaves out for having no split (an import into a project already
        split, :mod:`cnnstudio.project.left_out`): said, with the Data page's Split."""
        if no_class:
            self.summary.setText(self.summary.text() + "<br>" + escape(no_class_words(len(no_class))))
        if left_out:
            self.summary.setText(self.summary.text() + "<br>" + escape(left_out_words(left_out)))
        row = QHBoxLayout()
        if left_out:
            self._button(row, "split", "Split", "Divide the labelled pictures with the ratios of the Data page's "
                         "Split & health tab: the pictures without a split get one, the test pictures stay "
                         "(Ctrl+Z undoes it)", self.split.emit)
        if no_class and not showing_no_class:
            self._button(row, "show", "Show them", "Show the pictures without a class in the gallery",
                         lambda: self.show_no_class.emit(no_class))
        if self.conflicts:
            them = "it" if len(self.conflicts) == 1 else "them"
            self._button(row, "conflicts", f"Show the {'picture' if len(self.conflicts) == 1 else 'pictures'} in red",
                         f"Select the {counted(len(self.conflicts), 'picture')} listed in red in the gallery, to check "
                         f"{them} and give {them} the right class", lambda: self.show_pictures.emit(self.conflicts))
        if no_class and shown_class is not None:
            cid, name = shown_class
            name = name if len(name) <= 30 else name[:29] + "…"  # the whole name in the tooltip
            them = "it" if len(no_class) == 1 else "them"
            self._button(row, "give", f"Give {them} the class “{name}”",
                         f"Label the {counted(len(no_class), 'picture')} without a class as “{shown_class[1]}”, the class the "
                         "gallery shows (Ctrl+Z undoes it)", lambda: self.give_class.emit(no_class, cid))
        if self.imported:
            its = "its picture" if len(self.imported) == 1 else f"its {counted(len(self.imported), 'picture')}"
            self._button(row, "trash", f"Undo this import (move {its} to the trash)",
                         "Take this import back, as Ctrl+Z does: its pictures go to the project's trash (Edit > Redo "
                         "brings them back)" if self.undoable else
                         "Take this import back: its pictures go to the project's trash (Ctrl+Z brings them back)",
                         lambda: self.trash.emit(self.imported))
        if self.actions:
            row.addStretch(1)
            self.lay.insertLayout(1, row)
            if self.table.isHidden():
                self.adjustSize()

    def _button(self, row: QHBoxLayout, key: str, text: str, tip: str, emit) -> None:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.setAutoDefault(False)
        button.clicked.connect(lambda: (self.accept(), emit()))
        row.addWidget(button)
        self.actions[key] = button

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
