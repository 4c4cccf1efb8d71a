"""One card per layer of the stack: its settings as generated editors, and what the validator says about it.

A card knows nothing about shapes: the designer runs :func:`cnnstudio.engine.validate.validate` after
every edit and hands each card its :class:`LayerReport` (output shape, parameters, multiply-adds, error).

A value typed outside a setting's range stays in its editor and is explained in red on the card
(:attr:`LayerCard.entry_error`, :func:`~cnnstudio.engine.model.param_entry.entry_problem`); it is not passed on,
so the design keeps its last valid value.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFrame, QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QToolButton,
                               QVBoxLayout)

from ...engine.model.jargon import layer_tip, param_tip, term_tip
from ...engine.model.param_entry import entry_problem
from .params import ParamEditor
from ..elided_label import ElidedLabel

CARD_STYLE = """
QFrame#card { border: 1px solid palette(mid); border-radius: 5px; background: palette(base); }
QFrame#card[selected="true"] { border: 2px solid palette(highlight); }
QFrame#card[invalid="true"] { border: 2px solid #c0392b; background: #fdecea; }
QFrame#card[auto="true"] { background: palette(window); border-style: dashed; }
"""


def count_text(n: int | None, unit: str, rounded: bool = False) -> str:
    """1234 -> "1,234 params"; 14_700_000 -> "14.7 M MACs"; ``rounded`` (a cost, not a count to check against
    the summary: the cards' MACs) 131_072 -> "131 k MACs", so one column does not mix "3.5 M" and "131,072"."""
    if n is None:
        return ""
    if n >= 10_000_000:
        return f"{n / 1e6:.0f} M {unit}"
    if n >= 1_000_000:
        return f"{n / 1e6:.1f} M {unit}"
    if rounded and n >= 10_000:
        return f"{n / 1e3:.0f} k {unit}"
    return f"{n:,} {unit}"


def shape_words(shape) -> str:
    if shape is None:
        return "?"
    if len(shape) == 3:
        return f"{shape[0]} × {shape[1]} × {shape[2]}"
    return f"{shape[0]} numbers"


class _Card(QFrame):
    selected = Signal(int)

    def __init__(self, index: int, parent=None):
        super().__init__(parent)
        self.index = index
        self.setObjectName("card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.number = QLabel()
        self.number.setFixedWidth(26)
        self.number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.number.setStyleSheet("color: palette(mid); font-weight: bold;")
        self.title = ElidedLabel(tooltip=False)
        self.title.setStyleSheet("font-weight: bold;")
        # a long title gives way (its tooltip is the card's) so the buttons stay in view at 1280 px wide
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.title.setMinimumWidth(60)
        self.shape = QLabel()
        self.shape.setToolTip("The output of this layer: channels × height × width, or a flat list of numbers")
        self.shape.setMinimumWidth(96)
        self.params = QLabel()
        self.params.setToolTip("Learned numbers (weights) in this layer\n\n" + term_tip("params"))
        self.params.setMinimumWidth(80)
        self.macs = QLabel()
        self.macs.setToolTip("Multiply-adds per picture: how much computation this layer costs\n\n"
                             + term_tip("MACs"))
        self.macs.setMinimumWidth(80)
        for w in (self.shape, self.params, self.macs):
            w.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a93226;")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        self.header = QHBoxLayout()
        self.header.setSpacing(6)
        self.header.addWidget(self.number)
        self.header.addWidget(self.title, 1)
        self.header.addWidget(self.shape)
        self.header.addWidget(self.params)
        self.header.addWidget(self.macs)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(6, 4, 6, 4)
        self.body.setSpacing(3)
        self.body.addLayout(self.header)

    def show_report(self, entry) -> None:
        if entry is None:
            self.shape.setText("")
            self.params.setText("")
            self.macs.setText("")
            self.error.hide()
            self._flag("invalid", False)
            return
        self.title.setText(entry.label)
        self.shape.setText("→ " + shape_words(entry.out_shape))
        self.params.setText(count_text(entry.params, "params"))
        self.macs.setText(count_text(entry.macs, "MACs", rounded=True))
        self.error.setText(entry.error or "")
        self.error.setVisible(bool(entry.error))
        self._flag("invalid", bool(entry.error) or bool(getattr(self, "entry_problems", None)))

    def set_selected(self, on: bool) -> None:
        self._flag("selected", on)

    def _flag(self, name: str, on: bool) -> None:
        if bool(self.property(name)) != on:
            self.setProperty(name, on)
            self.style().unpolish(self)
            self.style().polish(self)

    def mousePressEvent(self, event):  # noqa: N802
        self.selected.emit(self.index)
        super().mousePressEvent(event)


class LayerCard(_Card):
    """A layer of the spec: number, label, shape / params / MACs, up / down / duplicate / remove, editors."""

    param_changed = Signal(int, str, object)  # layer index (0-based), setting, value
    action = Signal(int, str)  # layer index, "up" | "down" | "duplicate" | "remove"

    def __init__(self, index: int, layer: dict, layer_type, count: int, parent=None):
        super().__init__(index, parent)
        self.layer_type = layer_type
        self.number.setText(str(index + 1))
        self.title.setText(layer_type.title if layer_type else str(layer.get("type")))
        if layer_type is not None:
            self.setToolTip(layer_tip(layer_type))
        self.buttons = {}
        for name, text, tip, enabled in (("up", "▲", "Move up", index > 0),
                                         ("down", "▼", "Move down", index < count - 1),
                                         ("duplicate", "Copy", "Duplicate this layer", True),
                                         ("remove", "✕", "Remove this layer", True)):
            b = QToolButton()
            b.setText(text)
            b.setToolTip(tip)
            b.setAutoRaise(True)
            b.setEnabled(enabled)
            b.clicked.connect(lambda _=False, n=name: self.action.emit(self.index, n))
            self.header.addWidget(b)
            self.buttons[name] = b
        self.editors: dict[str, ParamEditor] = {}
        self.values = dict(layer.get("params") or {})  # what the design holds, for "the design keeps ..."
        self.entry_problems: dict[str, str] = {}
        self.entry_error = QLabel()
        self.entry_error.setWordWrap(True)
        self.entry_error.setStyleSheet("color: #c0392b;")
        self.entry_error.hide()
        if layer_type is not None and layer_type.params:
            grid = QGridLayout()
            grid.setContentsMargins(34, 0, 0, 0)
            grid.setHorizontalSpacing(6)
            grid.setVerticalSpacing(2)
            params = layer.get("params") or {}
            per_row = 3
            for i, ps in enumerate(layer_type.params):
                label = QLabel(ps.name.replace("_", " "))
                label.setToolTip(param_tip(layer_type, ps))
                ed = ParamEditor(ps, params.get(ps.name, ps.default), tip=param_tip(layer_type, ps))
                ed.changed.connect(lambda v, p=ps: self._edited(p, v))
                r, c = divmod(i, per_row)
                grid.addWidget(label, r, 2 * c, Qt.AlignmentFlag.AlignRight)
                grid.addWidget(ed, r, 2 * c + 1)
                self.editors[ps.name] = ed
            grid.setColumnStretch(2 * per_row, 1)
            self.body.addLayout(grid)
        self.body.addWidget(self.entry_error)
        self.body.addWidget(self.error)

    def _edited(self, ps, value) -> None:
        """Pass a valid value on; keep an out-of-range one in its editor and say why it is not used."""
        problem = entry_problem(self.layer_type.title, ps, value, self.values.get(ps.name, ps.default))
        if problem:
            self.entry_problems[ps.name] = problem
        else:
            self.entry_problems.pop(ps.name, None)
        self.entry_error.setText("\n".join(self.entry_problems.values()))
        self.entry_error.setVisible(bool(self.entry_problems))
        self._flag("invalid", bool(self.entry_problems) or not self.error.isHidden())
        if not problem:
            self.values[ps.name] = value
            self.param_changed.emit(self.index, ps.name, value)


class InfoCard(_Card):
    """A read-only entry: the input, a backbone, or the output layer CNN Studio adds."""

    def __init__(self, index: int, title: str, tip: str, auto: bool = False, parent=None):
        super().__init__(index, parent)
        self.title.setText(title)
        self.setToolTip(tip)
        self.number.setText("" if auto else "")
        if auto:
            self._flag("auto", True)
        self.body.addWidget(self.error)
