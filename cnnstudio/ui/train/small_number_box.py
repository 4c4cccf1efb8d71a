"""A number field for small settings (learning rate, weight decay) that keeps what it is given.

A plain ``QDoubleSpinBox`` rounds its value to its decimals: with 5, a searched weight decay of 3.86e-06 became 0
("Use these settings" on the Tune page set 0, which the page then called outside the range searched: QA model #1).
This one keeps 12 decimals and shows four significant digits ("0.0003", "3.86e-06"); typing accepts either form."""

from __future__ import annotations

from PySide6.QtGui import QValidator

from ..model.params import DoubleSpinBox

KEPT_DECIMALS = 12  # what the value keeps; the text shows 4 significant digits of it


class SmallNumberBox(DoubleSpinBox):
    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.setDecimals(KEPT_DECIMALS)

    def setDecimals(self, prec: int) -> None:  # noqa: N802 - Qt's name; never fewer than the kept decimals
        super().setDecimals(max(prec, KEPT_DECIMALS))

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt's name
        return f"{value:.4g}"

    def valueFromText(self, text: str) -> float:  # noqa: N802 - Qt's name
        number = _number(text)
        return self.value() if number is None else number

    def validate(self, text: str, pos: int):  # noqa: D102 - Qt's name
        number = _number(text)
        if number is None:
            return QValidator.State.Intermediate, text, pos  # "3e-", "0." while typing
        ok = self.minimum() <= number <= self.maximum()
        return (QValidator.State.Acceptable if ok else QValidator.State.Intermediate), text, pos


def _number(text: str) -> float | None:
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        return None
