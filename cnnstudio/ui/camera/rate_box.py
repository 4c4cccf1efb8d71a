"""The camera panel's rate box, in plain words: "5 pictures a second", "1 picture a second".

The rates are whole numbers from 1 to 30, a step of 1, and half a picture a second (one every 2 seconds) as the one
fraction below them: :func:`allowed_rate` is the rule (Qt-free functions, tested without a window), :class:`RateBox`
the box that follows it. A rate typed in between (2.5, 7.3) becomes the nearest one allowed when the typing ends.
"""

from __future__ import annotations

import math

from PySide6.QtWidgets import QDoubleSpinBox

from .rules import DEFAULT_RATE

HALF, MAX_RATE = 0.5, 30
RATES = (HALF, *range(1, MAX_RATE + 1))  # what the arrows step through
RATE_NAME = "Pictures kept each second"
RATE_TIP = ("How many pictures are kept each second while you hold the record button. 0.5 keeps one picture every "
            "2 seconds.")


def allowed_rate(value: float) -> float:
    """The rate allowed nearest ``value``: 0.5, or a whole number from 1 to 30."""
    if math.isnan(value) or value < 0.75:
        return HALF
    return float(MAX_RATE) if value >= MAX_RATE else float(math.floor(value + 0.5))


def stepped_rate(value: float, steps: int) -> float:
    """``steps`` arrow presses (negative: down) from ``value``, within 0.5 and 30."""
    i = RATES.index(allowed_rate(value)) + steps
    return float(RATES[max(0, min(len(RATES) - 1, i))])


def rate_number(value: float) -> str:
    """ "0.5", "5": no decimals for a whole number."""
    return "0.5" if allowed_rate(value) == HALF else str(int(allowed_rate(value)))


def rate_unit(value: float) -> str:
    """What follows the number: " picture a second" for 1, else " pictures a second"."""
    return " picture a second" if allowed_rate(value) == 1 else " pictures a second"


class RateBox(QDoubleSpinBox):
    """A spin box of :data:`RATES` that says its unit ("5 pictures a second"); its ``value()`` is the rate. The
    value changes when the typing ends (no keyboard tracking), so a half-typed "1" of "15" never records at 1."""

    def __init__(self, value: float = DEFAULT_RATE, parent=None):
        super().__init__(parent)
        self.setDecimals(1)
        self.setRange(HALF, MAX_RATE)
        self.setKeyboardTracking(False)
        self.setToolTip(RATE_TIP)
        self.setAccessibleName(RATE_NAME)
        self.setSuffix(rate_unit(2))
        self.setMinimumWidth(self.sizeHint().width())  # "30 pictures a second": "1 picture" moves nothing beside it
        self.valueChanged.connect(self._follow_rule)
        self.setValue(allowed_rate(value))
        self._follow_rule(self.value())

    def _follow_rule(self, value: float) -> None:
        allowed = allowed_rate(value)
        if allowed != value:  # set from code (2.5): the nearest rate allowed, with valueChanged again
            self.setValue(allowed)
            return
        if self.suffix() != rate_unit(value):
            self.setSuffix(rate_unit(value))

    def stepBy(self, steps: int) -> None:  # noqa: N802 - Qt's name
        self.setValue(stepped_rate(self.value(), steps))
        self.selectAll()

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt's name
        return rate_number(value)

    def valueFromText(self, text: str) -> float:  # noqa: N802 - Qt's name
        return allowed_rate(super().valueFromText(text))
