"""A run's name where the room is short, cut by the one rule of :mod:`cnnstudio.ui.elided_label` (in the middle,
:func:`~cnnstudio.ui.elided_label.elide_name`): :class:`NameDelegate` for a table's name cells (on ``lines``
lines) and :class:`NameComboBox` for a box that chooses a run (Evaluate's Model box, Predict's). The whole name is
in the tooltip: the cell's own (the runs table sets it), the box's chosen row and each row of its list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionComboBox, QStylePainter

from .elided_label import NAME_ELIDE, elide_name
from .model.params import ComboBox


def _text_margin(widget) -> int:
    """The pixels an item view keeps on each side of a cell's words (Qt's own: its focus frame's margin and one)."""
    style = widget.style() if widget is not None else None
    return (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) if style else 2) + 1


def cut_row(font, text: str, width: int) -> str:
    """A row of a box of runs in ``width`` pixels: what follows its name (" — validation 94.4% (74–99%)") whole
    when it takes at most half the room, the name cut in its middle; else the whole row cut in its middle."""
    from PySide6.QtGui import QFontMetrics

    name, sep, rest = text.rpartition(" — ")
    tail = QFontMetrics(font).horizontalAdvance(sep + rest)
    if sep and name and 2 * tail <= width:
        return elide_name(font, name, width - tail) + sep + rest
    return elide_name(font, text, width)


class NameDelegate(QStyledItemDelegate):
    """A name cell's words on at most ``lines`` lines, cut in the middle when longer."""

    def __init__(self, lines: int = 2, parent=None):
        super().__init__(parent)
        self.lines = lines

    def initStyleOption(self, option, index) -> None:  # noqa: N802 - Qt's name
        super().initStyleOption(option, index)
        width = option.rect.width() - 2 * _text_margin(option.widget)
        if width > 0 and option.text:
            option.text = elide_name(option.font, option.text, width, self.lines)


class NameComboBox(ComboBox):
    """A box of runs: the chosen name, when longer than the box, cut in the middle; its list's rows too."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.view().setTextElideMode(NAME_ELIDE)

    def shown_text(self) -> str:
        """The chosen row's words as the box paints them at its width: a row's score after " — " stays whole, the
        name before it cut in its middle ("run 2026-12-03 08:01 d…lr 0.001 batch 32 — validation 94.4% (74–99%)")."""
        opt = QStyleOptionComboBox()
        self.initStyleOption(opt)
        rect = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt,
                                           QStyle.SubControl.SC_ComboBoxEditField, self)
        return cut_row(self.font(), opt.currentText, rect.width() - 2)

    def addItem(self, *args) -> None:  # noqa: N802 - Qt's name (any of its forms: text, data; icon, text, data)
        super().addItem(*args)
        row = self.count() - 1
        self.setItemData(row, self.itemText(row), Qt.ItemDataRole.ToolTipRole)  # a row of the list cut: whole here

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt's name
        painter = QStylePainter(self)
        opt = QStyleOptionComboBox()
        self.initStyleOption(opt)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, opt)
        opt.currentText = self.shown_text()
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, opt)
