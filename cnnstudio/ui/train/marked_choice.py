"""A choice box whose open list marks the recommended choice ("One-cycle (recommended)") while the closed box shows
only the choice's name ("One-cycle"): the Train settings' column is narrow (the runs list needs the room), and the
note under each box already says which choice is recommended. At 1,024 pixels "One-cycle (recommended)" was cut to
"One-cycle (recommended" (QA keys #8).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyle, QStyleOptionComboBox, QStylePainter

from ..model.params import ComboBox

NAME_ROLE = Qt.ItemDataRole.UserRole + 1  # an item's name without its mark


class MarkedChoice(ComboBox):
    def add_choice(self, key: str, name: str, recommended: bool) -> None:
        """A choice called ``name`` (its data ``key``), marked "(recommended)" in the open list when it is."""
        self.addItem(name + (" (recommended)" if recommended else ""), key)
        self.setItemData(self.count() - 1, name, NAME_ROLE)

    def shown_text(self) -> str:
        """What the closed box shows: the current choice's name, without its mark."""
        name = self.currentData(NAME_ROLE)
        return name if isinstance(name, str) else self.currentText()

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt's name
        painter = QStylePainter(self)
        opt = QStyleOptionComboBox()
        self.initStyleOption(opt)
        opt.currentText = self.shown_text()
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, opt)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, opt)
