"""The Evaluate page's score tables: the confusion-matrix heat map and the per-class scores (with the 95% range
of each class's recall, and of its precision in the cell's tooltip:
:func:`cnnstudio.engine.use.figures.class_ranges`; a class the model never answered has no precision, "–" with why in
its tooltip: :mod:`cnnstudio.engine.use.precision_words`).

Both fit a 1,024 x 614 window beside the mistakes: the heat map's cells shrink to the counts' width and a line's
height (it asks for little room, and takes what the per-class table leaves); the per-class table has one-line rows
and asks for the height of all of them, and its average stays in sight below it however far the classes scroll
(:attr:`PerClassTable.footer`).

A class name too long for its room is cut in its middle (:data:`~..elided_label.NAME_ELIDE`, the one rule of names:
classes named alike often differ at their end), in the per-class table and the heat map's headers (a row's name at most
:data:`NAME_CHARS` characters wide), and said whole in its tooltip."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QPen
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QHeaderView, QSizePolicy, QStyle, QStyledItemDelegate,
                               QStyleOptionViewItem, QTableView, QTableWidget, QTableWidgetItem, QWidget)

from ...engine.use.figures import class_ranges, percent, range_text
from ...engine.use.precision_words import (NEVER_ANSWERED_TIP, average_precision_text, average_words, never_answered,
                                           precision_text)
from ...project.glossary import RANGE_TERM, tip
from ..colours import ink, tint, words_on
from ..elided_label import NAME_ELIDE
from ..keyboard import FOCUS_WIDTH, draw_focus_frame, tab_leaves


NAME_CHARS = 18  # the widest a class name in the heat map's row headers is, in average characters; longer: cut
RIGHT = (39, 174, 96)  # the diagonal's green
WRONG = (231, 76, 60)  # a mistake's red


class ConfusionModel(QAbstractTableModel):
    """``matrix[true][predicted]`` with counts; cells shaded by the share of their row: green (right) or red (wrong)
    blended into the palette's base colour (white on a light window, dark on a dark one), an empty cell the base colour
    itself; its number in the palette's text or window colour, whichever reads better on it (colours.py)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.classes: list[str] = []
        self.matrix: list[list[int]] = []

    def set_matrix(self, classes: list[str], matrix: list[list[int]]) -> None:
        self.beginResetModel()
        self.classes, self.matrix = list(classes), [list(r) for r in matrix]
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.classes)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.classes)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        n = self.matrix[r][c]
        total = sum(self.matrix[r]) or 1
        if role == Qt.ItemDataRole.DisplayRole:
            return str(n)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._shade(r == c, n / total)
        if role == Qt.ItemDataRole.ForegroundRole:
            return words_on(self._shade(r == c, n / total), self._widget())
        if role == Qt.ItemDataRole.ToolTipRole:
            t, p = self.classes[r], self.classes[c]
            what = "correctly recognised" if r == c else f"taken for {p}"
            return f"{n} of {sum(self.matrix[r])} pictures of {t} were {what}. Click to see them."
        return None

    def _widget(self):
        page = self.parent()
        return page if isinstance(page, QWidget) else None

    def _shade(self, right: bool, share: float) -> QColor:
        """A cell's colour: nothing (``share`` 0) is the base colour, the whole row the full green or red."""
        return tint(RIGHT if right else WRONG, 0.15 + 0.85 * share if share > 0 else 0.0, self._widget())

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and section < len(self.classes):
            return self.classes[section]
        if role == Qt.ItemDataRole.ToolTipRole and section < len(self.classes):
            return (f"Predicted: {self.classes[section]}" if orientation == Qt.Orientation.Horizontal
                    else f"True class: {self.classes[section]}")
        return None


class CellDelegate(QStyledItemDelegate):
    """Keeps a selected cell's colour (the heat map) and frames it instead: the colour, then the frame at the cell's
    edge (the app's keyboard focus frame on the focused cell, a dark one on a selected cell) with a white line inside
    it, then the number on top: a one-line cell's number stays whole and readable. A disabled matrix (its scores
    belong to what was evaluated before, while an evaluation runs) is greyed like the rest: its colours faded to
    greys, its numbers in a grey."""

    def paint(self, painter, option, index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        if opt.widget is not None and not opt.widget.isEnabled():
            colour = opt.backgroundBrush.color()
            opt.backgroundBrush = QBrush(tint(QColor.fromHslF(0, 0, colour.lightnessF()), 0.4, opt.widget))
            opt.palette.setColor(opt.palette.ColorRole.Text, ink(0.45, opt.widget))
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        focused = bool(opt.state & QStyle.StateFlag.State_HasFocus)
        opt.state &= ~QStyle.StateFlag.State_Selected
        opt.state &= ~QStyle.StateFlag.State_HasFocus
        if selected or focused:
            rect = option.rect
            painter.fillRect(rect, opt.backgroundBrush)
            if focused:
                draw_focus_frame(painter, rect, opt.widget)
            else:
                painter.save()
                painter.setPen(QPen(ink(1.0, opt.widget), FOCUS_WIDTH))
                painter.drawRect(rect.adjusted(1, 1, -1, -1))
                painter.restore()
            painter.save()
            painter.setPen(QPen(tint(RIGHT, 0.0, opt.widget), 1))  # the base colour: white on a light window
            painter.drawRect(rect.adjusted(FOCUS_WIDTH, FOCUS_WIDTH, -FOCUS_WIDTH - 1, -FOCUS_WIDTH - 1))
            painter.restore()
            opt.backgroundBrush = QBrush()  # painted already: the number goes on top of the frame
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)


class ConfusionView(QTableView):
    """The confusion matrix as a heat map of :class:`ConfusionModel`; a click on a cell selects it. Enter emits
    ``activated`` (Qt's own); Space emits :attr:`space_pressed`: both show the cell's pictures, as a click does."""

    space_pressed = Signal(QModelIndex)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.key() == Qt.Key.Key_Space and self.currentIndex().isValid():
            self.space_pressed.emit(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)

    def __init__(self, model: ConfusionModel, parent=None):
        super().__init__(parent)
        self.setModel(model)
        tab_leaves(self)
        self.setAccessibleName("Confusion matrix")
        self.setItemDelegate(CellDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setMinimumSectionSize(44)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for header in (self.horizontalHeader(), self.verticalHeader()):  # a long name cut in its middle
            header.setTextElideMode(NAME_ELIDE)
        # the row names' column: a long name is cut rather than widen it and squeeze the cells (it took 516 pixels)
        self.verticalHeader().setMaximumWidth(self.fontMetrics().averageCharWidth() * NAME_CHARS + 12)

    def fit(self, n_classes: int) -> None:
        """Few classes: big cells that fill the space; many: compact. A cell may shrink to its largest count's
        width and one line's height, so ten classes fit beside the mistakes of a 1,024-pixel window."""
        few = n_classes <= 12
        mode = QHeaderView.ResizeMode.Stretch if few else QHeaderView.ResizeMode.ResizeToContents
        self.horizontalHeader().setSectionResizeMode(mode)
        self.verticalHeader().setSectionResizeMode(mode)
        model = self.model()
        widest = max((len(str(v)) for row in getattr(model, "matrix", []) for v in row), default=1)
        fm = self.fontMetrics()
        self.horizontalHeader().setMinimumSectionSize(fm.horizontalAdvance("0" * max(2, widest)) + 12)
        self.verticalHeader().setMinimumSectionSize(fm.height() + 1)
        self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name: little, so the per-class table gets its rows first
        return QSize(super().sizeHint().width(), self.minimumSizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name: every row at its smallest
        hint = super().minimumSizeHint()
        rows = self.model().rowCount() if self.model() is not None else 0
        high = (self.horizontalHeader().sizeHint().height() + rows * self.verticalHeader().minimumSectionSize()
                + 2 * self.frameWidth())
        few = rows <= 12
        return QSize(hint.width(), max(hint.height(), high if few else min(high, 200)))


RANGE_TIP = ("The recall measured on these few pictures could differ from the recall on all pictures like "
             "them: it very likely (95%) lies in this range.\n" + tip("confidence interval"))


AVERAGE = "Average"
AVERAGE_TIP = ("The average of the classes' scores, each class counting the same however many pictures it has; "
               "its pictures: all of them.")


class PerClassTable(QTableWidget):
    """Precision, recall, the 95% range of the recall, F1 and number of pictures of each class, then their
    average (in bold; no range: an average of classes has none of its own). The average is the table's last row,
    shown in :attr:`footer` (a one-row table the page puts right below, its columns as wide as these), so it stays in
    sight, whole, when the classes scroll."""

    COLUMNS = ("Class", "Precision", "Recall", f"Recall,\n{RANGE_TERM}", "F1", "Pictures")
    RANGE = 3

    def __init__(self, parent=None):
        super().__init__(0, len(self.COLUMNS), parent)
        self.setHorizontalHeaderLabels(list(self.COLUMNS))
        tab_leaves(self)
        self.setAccessibleName("Scores per class")
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.setTextElideMode(NAME_ELIDE)  # a long class name keeps its start and end (its tooltip: whole)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # set_scores: its contents'
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col, text in ((1, tip("precision")), (2, tip("recall")), (self.RANGE, RANGE_TIP), (4, tip("F1"))):
            self.horizontalHeaderItem(col).setToolTip(text)
        self.row_height = self.fontMetrics().height() + 8
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.row_height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.footer = QTableWidget(1, len(self.COLUMNS))
        footer = self.footer
        footer.horizontalHeader().hide()
        footer.verticalHeader().hide()
        footer.setWordWrap(False)
        footer.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        footer.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        footer.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        tab_leaves(footer)
        footer.setAccessibleName("Average of the classes")
        footer.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        footer.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        footer.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        footer.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        footer.verticalHeader().setDefaultSectionSize(self.row_height)
        footer.setFixedHeight(self.row_height + 2 * footer.frameWidth())
        footer.hide()
        self.horizontalHeader().sectionResized.connect(lambda *_a: self._sync_footer())
        self.horizontalHeader().geometriesChanged.connect(self._sync_footer)

    def _fit_columns(self, last: int) -> None:
        """Each number column as wide as its header, its values and the bold average below (the rows' contents
        alone would cut the average's "50.0%" to "50.…")."""
        header = self.horizontalHeader()
        for col in range(1, self.columnCount()):
            item = self.item(last, col)
            average = QFontMetrics(item.font()).horizontalAdvance(item.text()) + 16 if item is not None else 0
            self.setColumnWidth(col, max(self.sizeHintForColumn(col), header.sectionSizeHint(col), average))

    def _sync_footer(self) -> None:
        for col in range(self.columnCount()):
            self.footer.setColumnWidth(col, self.columnWidth(col))
        self.footer.horizontalScrollBar().setValue(self.horizontalScrollBar().value())

    def _visible_rows(self) -> int:
        return sum(1 for r in range(self.rowCount()) if not self.isRowHidden(r))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name: every class's row
        return QSize(super().sizeHint().width(), self.horizontalHeader().sizeHint().height()
                     + self._visible_rows() * self.row_height + 2 * self.frameWidth())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name: two rows, the rest scrolls
        return QSize(super().minimumSizeHint().width(), self.horizontalHeader().sizeHint().height()
                     + min(2, self._visible_rows()) * self.row_height + 2 * self.frameWidth())

    def set_scores(self, ev: dict) -> None:
        """Fill the table from an evaluation (``classes``, ``per_class``, ``macro``, ``images``,
        ``confusion_matrix``)."""
        classes = ev["classes"]
        ranges = class_ranges(ev)
        for row in range(self.rowCount()):  # the last evaluation's average row was hidden
            self.setRowHidden(row, False)
        self.setRowCount(len(classes) + 1)
        for row, name in enumerate(classes):
            m = ev["per_class"][name]
            self._class_row(row, name, precision_text(ev, name), m["recall"], m["f1"], m["support"])
            self._ranges(row, name, ranges[name])
            if never_answered(ev, name):  # "–", not "0%": no answer of it to be right or wrong
                self.item(row, 1).setToolTip(NEVER_ANSWERED_TIP)
        mac = ev["macro"]
        last = len(classes)
        # the average precision leaves a class's "–" out, and its tooltip says over how many classes (precision_words)
        self._class_row(last, AVERAGE, average_precision_text(ev), mac["recall"], mac["f1"], ev["images"], bold=True)
        self.item(last, 0).setToolTip(AVERAGE_TIP)
        self.item(last, 1).setToolTip(average_words(ev) or AVERAGE_TIP)
        for col in range(self.columnCount()):  # the average in the footer, always in sight
            self.footer.setItem(0, col, self.item(last, col).clone())
        self.setRowHidden(last, True)
        self.footer.show()
        self._fit_columns(last)
        self._sync_footer()
        self.updateGeometry()

    def _class_row(self, row, name, precision: str, recall, f1, support, bold=False) -> None:
        values = (name, precision, percent(recall), "", f"{f1:.2f}", f"{support:,}")
        for col, text in enumerate(values):
            item = QTableWidgetItem(text)
            if col:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            else:
                item.setToolTip(text)  # the class's name whole (the Average's own, set_scores)
            if bold:
                f = item.font()
                f.setBold(True)
                item.setFont(f)
            self.setItem(row, col, item)

    def _ranges(self, row: int, name: str, ranges: dict) -> None:
        """The recall's range in its column; both ranges in the cells' tooltips (none: no picture to count)."""
        for col, what, of in ((1, "precision", f"the pictures called {name}"),
                              (2, "recall", f"the pictures of {name}")):
            r = ranges[what]
            self.item(row, col).setToolTip(
                f"No {what} without pictures: none of {of}." if r is None else
                f"{what.capitalize()} {self.item(row, col).text()} on {of}; on more pictures like these it very "
                f"likely (95%) lies in {range_text(*r)}.\n{tip(what)}")
        r = ranges["recall"]
        self.item(row, self.RANGE).setText("—" if r is None else range_text(*r))
        self.item(row, self.RANGE).setToolTip(RANGE_TIP)
