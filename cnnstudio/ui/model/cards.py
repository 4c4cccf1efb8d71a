"""One card per layer of the stack: its settings as generated editors, and what the validator says about it.

A card knows nothing about shapes: the designer runs :func:`cnnstudio.engine.validate.validate` after
every edit and hands each card its :class:`LayerReport` (output shape, parameters, multiply-adds, error).

A value typed outside a setting's range stays in its editor and is explained in red on the card
(:attr:`LayerCard.entry_error`, :func:`~cnnstudio.engine.model.param_entry.entry_problem`); it is not passed on,
so the design keeps its last valid value, and the page counts the design as not ready while the box shows it
(:attr:`LayerCard.entries_changed`; what a box shows is what trains). The validator's error is shown as a sentence
(:func:`~cnnstudio.ui.sentence.sentence`).

A setting the layer does not have (a design file's "kernal_size") gets a button under the card's explanation that
fixes it in one click ("Use 5 as the kernel size"; :mod:`~cnnstudio.engine.model.setting_fixes` says what it does):
it comes out as :attr:`LayerCard.action` "fix", the page makes the change.

A design at :data:`~cnnstudio.engine.model.spec.MAX_LAYERS` layers has its cards' Copy buttons disabled, the tooltip
says why.

A card fits the width it is given, never cut and never scrolled sideways: its numbers (shape, parameters,
multiply-adds) are shown whole (:class:`NumberLabel`), and so is its title; when one line does not hold the whole title,
the numbers and the buttons, the numbers go to a second line under the title (:meth:`_Card.set_two_lines`, decided by
the stack for every card at once so the columns line up), and a title longer than the room left beside the buttons
wraps onto another line ("residual block 128" over "stride 2" at 1,024 px; it was "residual block 128 …"). The
settings take as many per row as fit. Tab goes through a card's
settings first, then its ▲ ▼ Copy ✕ buttons; each has a name (:attr:`LayerCard.controls`) by which the stack puts the
focus back on the same control of the card made anew. A click on a card gives the card itself the focus ("card"), so
that Delete can remove it (:class:`~.layer_stack.LayerStack`); it is no tab stop.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (QApplication, QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QSizePolicy,
                               QToolButton, QVBoxLayout, QWidget)

from ...engine.model.jargon import layer_tip, param_tip, term_tip
from ...engine.model.param_entry import entry_problem
from ...engine.model.param_words import shape_words
from ...engine.model.setting_fixes import fix_words, setting_fixes
from ...engine.model.spec import MAX_LAYERS
from .layer_words import action_words, layer_title, layer_words, setting_words
from .params import ParamEditor
from ..colours import note_colours, status_colour
from ..sentence import sentence

CARD_STYLE = """
QFrame#card { border: 1px solid palette(mid); border-radius: 5px; background: palette(base); }
QFrame#card[selected="true"] { border: 2px solid palette(highlight); }
QFrame#card[auto="true"] { background: palette(window); border-style: dashed; }
"""


def invalid_card_style(widget: QWidget | None = None) -> str:
    """The rule of a card with an error, for ``widget``'s palette (the stack sets it over :data:`CARD_STYLE`): a
    2-pixel border in the error colour around the error note's background (pink on a light window, a red tint of the
    base colour on a dark one), so the card's own words, in the palette's text colour, stay readable."""
    background = note_colours("error", widget)[0]
    return (f'QFrame#card[invalid="true"] {{ border: 2px solid {status_colour("error", widget)}; '
            f'background: {background}; }}')


def count_text(n: int | None, unit: str, rounded: bool = False) -> str:
    """1234 -> "1,234 params"; 14_700_000 -> "14.7 M MACs"; 465_937_000_000 -> "466 G MACs"; ``rounded`` (a cost, not a count to check against
    the summary: the cards' MACs) 131_072 -> "131 k MACs", so one column does not mix "3.5 M" and "131,072"."""
    if n is None:
        return ""
    if n >= 10_000_000_000:  # "465,937 M" was unreadable: billions, with separators
        return f"{n / 1e9:,.0f} G {unit}"
    if n >= 1_000_000_000:
        return f"{n / 1e9:.1f} G {unit}"
    if n >= 10_000_000:
        return f"{n / 1e6:.0f} M {unit}"
    if n >= 1_000_000:
        return f"{n / 1e6:.1f} M {unit}"
    if rounded and n >= 10_000:
        return f"{n / 1e3:.0f} k {unit}"
    return f"{n:,} {unit}"


COST_WORD = "sums"  # a layer's multiply-adds in plain words, as short as "MACs" was (that word and the glossary's in
# the tooltip): each is a product added to a sum


class NumberLabel(QLabel):
    """A number column: never narrower than its whole text (a clipped "18,432" read "3,432"), and at least as wide
    as ``template`` so that the same column of every card lines up."""

    def __init__(self, template: str, tip: str, parent=None):
        super().__init__(parent)
        self.template = template
        self.setToolTip(tip)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def _width(self) -> int:
        m = self.contentsMargins()
        fm = self.fontMetrics()
        return max(fm.horizontalAdvance(self.template), fm.horizontalAdvance(self.text())) + m.left() + m.right() + 2

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self._width(), super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self._width(), super().minimumSizeHint().height())


TITLE_MIN = 60  # the title's least width: it gives way before any number does
INDENT = 34  # the settings and the second line of numbers start under the title


class _Card(QFrame):
    selected = Signal(int)

    def __init__(self, index: int, parent=None):
        super().__init__(parent)
        self.index = index
        self.setObjectName("card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # as tall as its contents at the width it is given: a wrapped red explanation makes it taller (the layout
        # asks the labels' heightForWidth). A Maximum height held the card at its sizeHint, measured at its
        # preferred width, so a narrow card cut its explanation top and bottom. The stack's stretch keeps it
        # from growing further.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.number = QLabel()
        self.number.setFixedWidth(26)
        self.number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.number.setStyleSheet("color: palette(placeholder-text); font-weight: bold;")
        self.title = QLabel()  # wraps rather than be cut: the buttons stay in view, the whole title too
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # a layer type from a file is shown as written
        self.title.setWordWrap(True)
        bold = self.title.font()
        bold.setBold(True)
        self.title.setFont(bold)
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.shape = NumberLabel("→ 128 × 28 × 28", "The output of this layer: channels × height × width, or a flat "
                                 "list of numbers")
        self.params = NumberLabel("888,888 params", "Learned numbers (weights) in this layer\n\n" + term_tip("params"))
        self.macs = NumberLabel(f"888 k {COST_WORD}", f"{COST_WORD.capitalize()} per picture (multiply-adds, "
                                "“MACs”): how much computation this layer costs\n\n" + term_tip("MACs"))
        self.numbers = (self.shape, self.params, self.macs)
        self.two_lines = False
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {status_colour('error', self)};")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        self.header = QHBoxLayout()
        self.header.setSpacing(6)
        self.header.addWidget(self.number)
        self.header.addWidget(self.title, 1)
        for w in self.numbers:
            self.header.addWidget(w)
        self.second_line = QHBoxLayout()  # the numbers when one line cannot hold them (empty: takes no room)
        self.second_line.setSpacing(6)
        self.second_line.addSpacing(INDENT - 2)
        self.second_line.addStretch(1)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(6, 4, 6, 4)
        self.body.setSpacing(3)
        self.body.addLayout(self.header)
        self.body.addLayout(self.second_line)

    def _header_extras(self) -> list[QWidget]:
        return []  # a layer card's buttons

    def _outside(self) -> int:
        """The card's frame and margins, left and right together."""
        m = self.body.contentsMargins()
        return m.left() + m.right() + 2 * self.frameWidth()

    def _title_width(self, text: str) -> int:
        m = self.title.contentsMargins()
        return self.title.fontMetrics().horizontalAdvance(text) + m.left() + m.right() + 2

    def title_least_width(self) -> int:
        """The title's least width: :data:`TITLE_MIN`, or its longest word (a word is never cut)."""
        words = self.title.text().split() or [""]
        return max(TITLE_MIN, *(self._title_width(w) for w in words))

    def one_line_width(self) -> int:
        """The least width that holds the title (wrapped down to :meth:`title_least_width`), the numbers and the
        buttons on one line."""
        widths = [self.number.minimumWidth(), self.title_least_width(),
                  *(w.minimumSizeHint().width() for w in self.numbers),
                  *(b.sizeHint().width() for b in self._header_extras())]
        return sum(widths) + self.header.spacing() * (len(widths) - 1) + self._outside()

    def two_lines_width(self) -> int:
        """The least width with the numbers on a second line (the settings one per row, the title wrapped)."""
        head = [self.number.minimumWidth(), self.title_least_width(),
                *(b.sizeHint().width() for b in self._header_extras())]
        second = INDENT + sum(w.minimumSizeHint().width() for w in self.numbers) + 2 * self.second_line.spacing()
        return max(sum(head) + self.header.spacing() * (len(head) - 1), second, self._least_settings_width()) \
            + self._outside()

    def _least_settings_width(self) -> int:
        return 0

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        # the stack may make a card this narrow: it then puts the numbers on a second line (set_two_lines)
        return QSize(self.two_lines_width(), super().minimumSizeHint().height())

    def set_two_lines(self, on: bool) -> None:
        """The numbers on a line of their own under the title (``on``), or on the title's line."""
        if on == self.two_lines:
            return
        self.two_lines = on
        for w in self.numbers:
            (self.header if on else self.second_line).removeWidget(w)
        for i, w in enumerate(self.numbers):
            if on:
                self.second_line.insertWidget(1 + i, w)
            else:
                self.header.insertWidget(2 + i, w)

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
        self.macs.setText(count_text(entry.macs, COST_WORD, rounded=True))
        self.error.setText(sentence(entry.error) if entry.error else "")  # the engine's words, as a sentence
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
    action = Signal(int, str)  # layer index, "up" | "down" | "duplicate" | "remove" | "fix"
    entries_changed = Signal()  # a value typed is now out of range, or no longer: the design is (not) ready

    def __init__(self, index: int, layer: dict, layer_type, count: int, parent=None):
        super().__init__(index, parent)
        self.layer_type = layer_type
        self.number.setText(str(index + 1))
        title = layer_title(layer_type, layer.get("type"))
        # the label the design check will give it ("residual block 64 stride 2"), so the stack fits the cards to it
        self.title.setText(layer_type.describe(layer.get("params") or {}) if layer_type is not None else title)
        if layer_type is not None:
            self.setToolTip(layer_tip(layer_type))
        # a click on the card gives it the keyboard focus (and selects it): Delete then removes it (LayerStack); no
        # tab stop, Tab goes through its settings and buttons
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        words = layer_words(index, title)
        self.setAccessibleName(words[0].upper() + words[1:])  # "Layer 3 (Convolution)"
        self.buttons: dict[str, QToolButton] = {}
        full = count >= MAX_LAYERS  # a copy would be one layer too many
        copy_tip = (f"The design has {count:,} layers, the most CNN Studio allows: remove one to copy this one"
                    if full else "Duplicate this layer")
        for name, text, tip, enabled in (("up", "▲", "Move up", index > 0),
                                         ("down", "▼", "Move down", index < count - 1),
                                         ("duplicate", "Copy", copy_tip, not full),
                                         ("remove", "✕", "Remove this layer", True)):
            b = QToolButton()
            b.setText(text)  # the glyph shown; its name says which layer ("Move layer 3 (Convolution) up")
            b.setAccessibleName(action_words(name, index, title))
            b.setToolTip(tip)
            b.setAutoRaise(True)
            b.setEnabled(enabled)
            b.clicked.connect(lambda _=False, n=name: self.action.emit(self.index, n))
            self.header.addWidget(b)
            self.buttons[name] = b
        self.editors: dict[str, ParamEditor] = {}
        self.values = dict(layer.get("params") or {})  # what the design holds, for "the design keeps ..."
        self.entry_problems: dict[str, str] = {}
        self.red_values: dict[str, tuple] = {}  # setting name -> (its ParamSpec, the value shown in red)
        self.entry_error = QLabel()
        self.entry_error.setWordWrap(True)
        self.entry_error.setStyleSheet(f"color: {status_colour('error', self)};")
        self.entry_error.hide()
        self.settings: list[tuple[QLabel, ParamEditor]] = []  # (name, editor) in the catalog's order
        self.grid = QGridLayout()
        self.grid.setContentsMargins(INDENT, 0, 0, 0)
        self.grid.setHorizontalSpacing(6)
        self.grid.setVerticalSpacing(2)
        self.per_row = 0
        if layer_type is not None and layer_type.params:
            params = layer.get("params") or {}
            for ps in layer_type.params:
                ed = ParamEditor(ps, params.get(ps.name, ps.default), tip=param_tip(layer_type, ps))
                ed.set_name(setting_words(index, title, ed.label.text()))
                ed.changed.connect(lambda v, p=ps: self._edited(p, v))
                self.settings.append((ed.label, ed))
                self.editors[ps.name] = ed
            self._lay_out_settings(3)
            self.body.addLayout(self.grid)
        self.body.addWidget(self.entry_error)
        self.body.addWidget(self.error)
        self.fix_button = self._fix_button(index, title, layer.get("params") or {})
        # Tab: this card's settings in the order they read, the fix, then its buttons (they were made first)
        chain = ([w for _, ed in self.settings for w in ed.focus_widgets()] + [self.fix_button] * bool(self.fix_button)
                 + list(self.buttons.values()))
        self.tab_chain = chain
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)
        # each tab stop by a name that outlives the card (the stack makes its cards anew after every change): the
        # setting's for its box ("kernel_size"; "padding words" for a box of words before the number), "fix", or the
        # button's ("up", "remove")
        self.controls: dict[str, QWidget] = {}
        for name, ed in self.editors.items():
            *words, box = ed.focus_widgets()
            self.controls.update({f"{name} words": w for w in words})
            self.controls[name] = box
        if self.fix_button is not None:
            self.controls["fix"] = self.fix_button
        self.controls.update(self.buttons)
        self.controls["card"] = self  # the card itself, clicked

    def focused_control(self) -> str | None:
        """The name (:attr:`controls`) of the card's control that has the keyboard focus, None when none has."""
        focus = QApplication.focusWidget()
        return next((name for name, w in self.controls.items() if w is focus), None)

    def _header_extras(self) -> list[QWidget]:
        return list(self.buttons.values())

    def _fix_button(self, index: int, title: str, params: dict) -> QPushButton | None:
        """The button that fixes the settings this layer does not have, under the explanation; None when it has
        none."""
        fixes = setting_fixes(self.layer_type, params)
        if not fixes:
            return None
        button = QPushButton(fix_words(fixes))
        button.setToolTip("\n".join(f.why(title) for f in fixes))
        button.setAccessibleName(setting_words(index, title, fix_words(fixes)))
        button.clicked.connect(lambda: self.action.emit(self.index, "fix"))
        row = QHBoxLayout()
        row.setContentsMargins(INDENT, 0, 0, 0)
        row.addWidget(button)
        row.addStretch(1)
        self.body.addLayout(row)
        return button

    def _setting_width(self) -> int:
        """One setting's width, name and editor: the widest of each, so that every column holds any of them."""
        if not self.settings:
            return 0
        return (max(lab.sizeHint().width() for lab, _ in self.settings) + self.grid.horizontalSpacing()
                + max(ed.sizeHint().width() for _, ed in self.settings))

    def _least_settings_width(self) -> int:
        return INDENT + self._setting_width() if self.settings else 0

    def _lay_out_settings(self, per_row: int) -> None:
        """The settings ``per_row`` to a row (name, editor, name, editor...)."""
        per_row = max(1, min(3, per_row, len(self.settings)))
        if per_row == self.per_row:
            return
        for label, ed in self.settings:
            self.grid.removeWidget(label)
            self.grid.removeWidget(ed)
        if self.per_row:
            self.grid.setColumnStretch(2 * self.per_row, 0)
        self.per_row = per_row
        for i, (label, ed) in enumerate(self.settings):
            r, c = divmod(i, per_row)
            self.grid.addWidget(label, r, 2 * c, Qt.AlignmentFlag.AlignRight)
            self.grid.addWidget(ed, r, 2 * c + 1)
        self.grid.setColumnStretch(2 * per_row, 1)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self.settings:  # as many settings to a row as the card's width holds
            room = event.size().width() - self._outside() - INDENT + self.grid.horizontalSpacing()
            self._lay_out_settings(room // (self._setting_width() + self.grid.horizontalSpacing()))

    def show_typed(self, name: str, value) -> None:
        """Show ``value`` typed in setting ``name``'s box again (undo / redo of a value in red), said as when typed."""
        editor = self.editors[name]
        editor.set_value(value)
        self._edited(editor.spec, value)

    def _edited(self, ps, value) -> None:
        """Pass a valid value on; keep an out-of-range one in its editor and say why it is not used."""
        problem = entry_problem(self.layer_type.title, ps, value, self.values.get(ps.name, ps.default))
        before = dict(self.entry_problems)
        if problem:
            self.entry_problems[ps.name] = problem
            self.red_values[ps.name] = (ps, value)
        else:
            self.entry_problems.pop(ps.name, None)
            self.red_values.pop(ps.name, None)
        self.entry_error.setText("\n".join(self.entry_problems.values()))
        self.entry_error.setVisible(bool(self.entry_problems))
        self._flag("invalid", bool(self.entry_problems) or not self.error.isHidden())
        if not problem:
            self.values[ps.name] = value
            self.param_changed.emit(self.index, ps.name, value)  # the page checks the design, these values too
        elif self.entry_problems != before:
            self.entries_changed.emit()


class InfoCard(_Card):
    """A read-only entry: the input, a backbone, or the output layer CNN Studio adds."""

    def __init__(self, index: int, title: str, tip: str, auto: bool = False, parent=None):
        super().__init__(index, parent)
        self.title.setText(title)
        self._first_title = title
        self.setToolTip(tip)
        self.number.setText("" if auto else "")
        if auto:
            self._flag("auto", True)
        self.body.addWidget(self.error)
        self.note = QLabel()  # a neutral line where no mistake is: the output layer before the project has classes
        self.note.setWordWrap(True)
        self.note.hide()
        self.body.addWidget(self.note)

    def show_report(self, entry) -> None:
        self.note.hide()
        super().show_report(entry)

    def show_note(self, text: str) -> None:
        """``text`` in the card's own colour, and no numbers: nothing to change here yet, so nothing in red."""
        self.show_report(None)
        self.title.setText(self._first_title)
        self.note.setText(text)
        self.note.show()
