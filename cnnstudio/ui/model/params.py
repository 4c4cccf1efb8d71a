"""One editor widget per catalog ``ParamSpec``: generated from the schema, never written per layer type.

``int``/``float`` become spin boxes whose arrows keep to the schema's range (a single word such as ``'same'``
is the spin box's special value below the minimum; several words get a combo box beside the number), ``choice``
a combo box, ``bool`` a check box. The help text is the tooltip. A value the editor cannot show (a spec
loaded from a hand-written file) is left alone until the user edits it: the validator reports it.

A number typed outside the range is kept as typed (never clamped): the editor emits it, and the card explains it
(:func:`cnnstudio.engine.model.param_entry.entry_problem`) instead of passing it on to the design. Typed numbers
count when the user presses Enter or leaves the box (no half-typed value reaches the design).

The editor makes its setting's name too (:attr:`ParamEditor.label`, laid out by the card beside it, the editor its
buddy) and names its boxes for a screen reader (:meth:`ParamEditor.set_name`): "Layer 3, Convolution: kernel size".

Ctrl+Z / Ctrl+Shift+Z in these editors are the window's Undo / Redo (the page's undo stack knows every edit),
not the text box's own.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QAbstractSpinBox, QCheckBox, QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QSpinBox,
                               QWidget)

from ...engine.model.param_words import setting_name

INT_LIMIT = 2_000_000_000


class _NoWheelMixin:
    """Spin boxes and combos inside a scrolling form take the wheel only when focused (else it scrolls)."""

    def wheelEvent(self, event):  # noqa: N802 - Qt name
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()

    def event(self, event):  # Ctrl+Z goes to the window's Undo (the page's stack), not the text box's own
        if event.type() == QEvent.Type.ShortcutOverride and (
                event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo)):
            event.ignore()
            return False
        return super().event(event)


class _SoftRangeMixin:
    """A spin box that accepts any number typed (its hard range is wide) while its arrows and wheel keep to the
    schema's range ``soft`` = (lo, hi); with ``special`` the hard minimum is the special word below lo."""

    soft = (0, 0)
    special = False
    stepping = False  # True while an arrow, an arrow key, Page Up / Down or the wheel changes the value

    def stepBy(self, steps):  # noqa: N802 - Qt name
        self.stepping = True
        try:
            self._step(steps)
        finally:
            self.stepping = False

    def _step(self, steps) -> None:
        lo, hi = self.soft
        v = self.value()
        if self.special and v == self.minimum():
            new = lo if steps > 0 else v
        else:
            new = v + steps * self.singleStep()
            new = self.minimum() if (self.special and new < lo) else max(lo, min(hi, new))
        self.setValue(new)

    def _hint(self, hint):
        """As wide as the schema's range needs (the wide hard range would make the box very wide)."""
        lo, hi = self.soft
        words = [self.textFromValue(lo), self.textFromValue(min(hi, 10 ** 6)), self.specialValueText()]
        text = max(words, key=len) + self.suffix()
        hint.setWidth(max(self.minimumWidth(), self.fontMetrics().horizontalAdvance(text + "  ") + 32))
        return hint

    def sizeHint(self):  # noqa: N802 - Qt name
        return self._hint(super().sizeHint())

    def minimumSizeHint(self):  # noqa: N802 - Qt name
        return self._hint(super().minimumSizeHint())

    def stepEnabled(self):  # noqa: N802 - Qt name
        lo, hi = self.soft
        v = self.value()
        flags = QAbstractSpinBox.StepEnabledFlag.StepNone
        if v < hi:
            flags |= QAbstractSpinBox.StepEnabledFlag.StepUpEnabled
        if v > lo or (self.special and v != self.minimum()):
            flags |= QAbstractSpinBox.StepEnabledFlag.StepDownEnabled
        return flags


class SpinBox(_NoWheelMixin, QSpinBox):
    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


class DoubleSpinBox(_NoWheelMixin, QDoubleSpinBox):
    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


class ComboBox(_NoWheelMixin, QComboBox):
    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


class SoftSpinBox(_SoftRangeMixin, SpinBox):
    pass


class SoftDoubleSpinBox(_SoftRangeMixin, DoubleSpinBox):
    pass


def _decimals(spec) -> int:
    lo = spec.min if spec.min is not None else 0.0
    hi = spec.max if spec.max is not None else 1.0
    return 3 if hi - lo <= 10 else 2


class ParamEditor(QWidget):
    """Edits one setting; ``changed(value)`` fires on user edits only (not on :meth:`set_value`)."""

    changed = Signal(object)

    def __init__(self, spec, value: Any, parent=None, tip: str = ""):
        super().__init__(parent)
        self.spec = spec
        self._setting = False
        self.number = None  # the spin box, for int/float
        self.words = None  # the combo box of words, when there are several
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        tip = tip or f"{spec.help} ({spec.describe()}; default {spec.default})"
        kind = spec.kind
        if kind == "bool":
            self.check = QCheckBox()
            self.check.toggled.connect(lambda v: self._emit(bool(v)))
            lay.addWidget(self.check)
        elif kind == "choice":
            self.combo = ComboBox()
            self.combo.addItems([str(c) for c in spec.choices])
            self.combo.currentIndexChanged.connect(lambda i: self._emit(spec.choices[i]))
            lay.addWidget(self.combo)
        else:
            lo = spec.min if spec.min is not None else (-INT_LIMIT if kind == "int" else -1e9)
            hi = spec.max if spec.max is not None else (INT_LIMIT if kind == "int" else 1e9)
            single_word = len(spec.choices) == 1
            if kind == "int":
                self.number = SoftSpinBox()
                self.number.setRange(-INT_LIMIT, INT_LIMIT)  # anything typed is kept and explained
            else:
                self.number = SoftDoubleSpinBox()
                self.number.setDecimals(_decimals(spec))
                step = 10 ** -(_decimals(spec) - 1) if hi - lo <= 10 else 1.0
                self.number.setSingleStep(step)
                self.number.setRange(-1e9, 1e9)
            self.number.soft, self.number.special = (lo, hi), single_word
            self.number.setKeyboardTracking(False)
            if single_word:
                self.number.setSpecialValueText(str(spec.choices[0]))
            self.number.setMinimumWidth(64)
            self.number.valueChanged.connect(self._number_changed)
            lay.addWidget(self.number)
            if len(spec.choices) > 1:
                self.words = ComboBox()
                self.words.addItems(["number", *[str(c) for c in spec.choices]])
                self.words.currentIndexChanged.connect(self._words_changed)
                lay.insertWidget(0, self.words)
        self.setToolTip(tip)
        for child in self.findChildren(QWidget):
            child.setToolTip(tip)
        self.label = QLabel(setting_name(spec.name))  # the setting's name (as undo says it), beside the editor
        self.label.setToolTip(tip)
        self.label.setBuddy(self.focus_widgets()[0])
        self.set_name(self.label.text())
        self.set_value(value)

    def set_name(self, name: str) -> None:
        """What a screen reader announces for this setting's boxes: ``name``; the number beside a box of words is
        "``name``, number"."""
        first, *rest = self.focus_widgets()
        first.setAccessibleName(name)
        for w in rest:
            w.setAccessibleName(f"{name}, number")

    def focus_widgets(self) -> list[QWidget]:
        """The boxes Tab stops at, in the order they read: the words' box, then the number beside it."""
        if self.spec.kind == "bool":
            return [self.check]
        if self.spec.kind == "choice":
            return [self.combo]
        return [w for w in (self.words, self.number) if w is not None]

    # -- programmatic -------------------------------------------------------------------------------
    def set_value(self, value: Any) -> None:
        self._setting = True
        try:
            spec = self.spec
            if spec.kind == "bool":
                if isinstance(value, bool):
                    self.check.setChecked(value)
            elif spec.kind == "choice":
                if value in spec.choices:
                    self.combo.setCurrentIndex(list(spec.choices).index(value))
            elif isinstance(value, str) and value in spec.choices:
                if self.words is not None:
                    self.words.setCurrentIndex(list(spec.choices).index(value) + 1)
                    self.number.setEnabled(False)
                else:
                    self.number.setValue(self.number.minimum())
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                if self.words is not None:
                    self.words.setCurrentIndex(0)
                    self.number.setEnabled(True)
                if isinstance(value, int) or math.isfinite(value):  # NaN, infinity: the box keeps what it shows
                    # within the box's range first: a number past a C int (10**20) would raise, not be clamped
                    self.number.setValue(min(max(value, self.number.minimum()), self.number.maximum()))
        finally:
            self._setting = False

    def value(self) -> Any:
        spec = self.spec
        if spec.kind == "bool":
            return self.check.isChecked()
        if spec.kind == "choice":
            return spec.choices[self.combo.currentIndex()]
        if self.words is not None and self.words.currentIndex() > 0:
            return spec.choices[self.words.currentIndex() - 1]
        if len(spec.choices) == 1 and self.number.value() == self.number.minimum():
            return spec.choices[0]
        v = self.number.value()
        return int(v) if spec.kind == "int" else round(float(v), _decimals(spec))

    def stepping(self) -> bool:
        """Whether the value is changing by a step of the box's arrows, arrow keys or wheel (the page merges such
        edits into one undo step), not by a number typed and confirmed."""
        return bool(self.number is not None and self.number.stepping)

    # -- user edits ---------------------------------------------------------------------------------
    def _emit(self, value: Any) -> None:
        if not self._setting:
            self.changed.emit(value)

    def _number_changed(self, _v) -> None:
        self._emit(self.value())

    def _words_changed(self, index: int) -> None:
        self.number.setEnabled(index == 0)
        self._emit(self.value())
