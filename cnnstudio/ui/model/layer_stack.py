"""The stack: one card per layer between the input card and the output card CNN Studio adds, and a summary.

:class:`LayerStack` shows what the page gives it: :meth:`LayerStack.rebuild` lays out cards for the layers
(and the backbone, when there is one), :meth:`LayerStack.show_report` puts the validator's report on them
and sums it up underneath: parameters, multiply-adds and training memory (the weights and the optimiser's state,
plus so much per picture, for a batch of :attr:`LayerStack.batch_size`) once the design has no mistakes, and the
engine's warning (:func:`~cnnstudio.engine.model.cost.memory_warning`) when a batch of
:attr:`LayerStack.batch_size` pictures (the Train page's batch size: the workspace sets it,
:meth:`LayerStack.set_batch_size`) would need too much of this computer's memory. Edits made on a card come out as
the stack's own signals.

The cards are made anew after every change of the stack, which would leave the keyboard focus of a card's control
nowhere (Qt moved it to the page's other side, the Input tab): :meth:`LayerStack.rebuild` puts it back on the control
of the same name (:attr:`~.cards.LayerCard.controls`) of the layer at the same place, or where
:meth:`LayerStack.focus_going_to` says: after a card's button pressed from the keyboard
(:meth:`LayerStack._card_action`) on the same button of the moved card (▲ ▼ Copy), on the next card's ✕ after a
removal (the previous one's after the last card, :attr:`LayerStack.focus_when_empty` when none is left); after Undo,
on the setting the step changed (the page says which). The stack's scroll area is no tab stop: Tab goes from the
list of layers into the first card's settings, and the area scrolls to each control Tab reaches (to the output card
after the last).

Delete, with the keyboard focus in the stack, removes the layer whose card has it (a click on a card gives it the
focus), else the selected one, as its ✕ does (the page's undo step); the focus goes on to the card now in its place.
In a setting's box Delete edits the number (the box takes the key first).
"""

from __future__ import annotations

from contextlib import contextmanager

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea, QVBoxLayout, QWidget

from ...engine.model.jargon import term_tip
from ...engine.model.param_words import shape_words
from ..colours import status_span
from ..keyboard import tab_scrolls
from ..sentence import sentence
from .cards import COST_WORD, InfoCard, LayerCard, count_text, invalid_card_style
from .layer_words import NO_CLASSES_NOTE, waits_for_classes


class LayerStack(QWidget):
    param_changed = Signal(int, str, object)  # layer index (0-based), setting, value
    action = Signal(int, str)  # layer index, "up" | "down" | "duplicate" | "remove"
    card_selected = Signal(int)  # layer index
    entries_changed = Signal()  # a card's typed value went out of range or back (LayerCard.entries_changed)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.stack_widget = QWidget()
        self.stack_layout = QVBoxLayout(self.stack_widget)
        self.stack_layout.setContentsMargins(4, 4, 4, 4)
        self.stack_layout.setSpacing(4)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # fit_cards: never needed
        self.scroll.setWidget(self.stack_widget)
        tab_scrolls(self.scroll)  # no tab stop: Tab goes on to the cards, the output card in view after the last
        self.stack_widget.setStyleSheet(invalid_card_style(self))  # red for this palette, over the page's CARD_STYLE
        self.cards: list[LayerCard] = []
        self.input_card: InfoCard | None = None
        self.backbone_card: InfoCard | None = None
        self.output_card: InfoCard | None = None
        self.focus_when_empty: QWidget | None = None  # takes the focus when ✕ removed the last layer ("Add layer")
        self.tab_after: QWidget | None = None  # Tab goes from this control into the cards (the page's "Add layer")
        self._focus_next: tuple[int, str] | None = None  # where rebuild puts a card's focus (focus_going_to)
        from ...engine.model.cost import DEFAULT_BATCH_SIZE

        self.batch_size = DEFAULT_BATCH_SIZE  # the Train page's, which the memory warning counts
        self._shown: tuple = (None, None)  # the report and problem the summary says
        self.unused = ""  # why values the boxes show are not used (param_entry.unused_reason), said last
        self.empty_hint = QLabel("No layers yet: add some from the list on the left, or start from a "
                                 "ready-made design above. The output layer is added for you.")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet("color: palette(placeholder-text); padding: 8px;")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setToolTip(term_tip("params", "MACs"))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.scroll, 1)
        lay.addWidget(self.summary)
        self.scroll.viewport().installEventFilter(self)
        self.delete_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self)
        self.delete_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)  # the focus in the stack
        self.delete_shortcut.activated.connect(self._delete_pressed)
        self._reveal: LayerCard | None = None  # the card kept in view while the new cards settle (rebuild)
        self.stack_widget.installEventFilter(self)
        # the user scrolls, edits, clicks or moves the focus: the page keeps the view where the user put it
        for signal in (self.scroll.verticalScrollBar().actionTriggered, self.param_changed, self.entries_changed,
                       self.card_selected, QApplication.instance().focusChanged):
            signal.connect(self._stop_revealing)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if watched is self.scroll.viewport() and event.type() == QEvent.Type.Resize:
            self.fit_cards()
        elif watched is self.scroll.viewport() and event.type() == QEvent.Type.Wheel:
            self._reveal = None  # the user scrolls: the page no longer does
        elif watched is self.stack_widget and event.type() == QEvent.Type.Resize and self._reveal is not None:
            # the selected card (a layer just added) in view once the new cards have their heights: they find them
            # after being shown at their width, so at rebuild an added layer lay beyond the area's old end
            self.scroll.ensureWidgetVisible(self._reveal)
        return super().eventFilter(watched, event)

    def all_cards(self) -> list:
        """Every card top to bottom: input, backbone, layers, output."""
        return [c for c in (self.input_card, self.backbone_card, *self.cards, self.output_card) if c is not None]

    def fit_cards(self) -> None:
        """Numbers on the title's line when every card holds them there, else on a second line on every card (so
        the columns line up): never cut, never a sideways scroll."""
        cards = self.all_cards()
        m = self.stack_layout.contentsMargins()
        room = self.scroll.viewport().width() - m.left() - m.right()
        two_lines = any(c.one_line_width() > room for c in cards)
        for c in cards:
            c.set_two_lines(two_lines)
        # the stack never narrower than its widest card (its buttons were cut, under a sideways scroll bar)
        need = (max((c.minimumSizeHint().width() for c in cards), default=0) + m.left() + m.right()
                + self.scroll.verticalScrollBar().sizeHint().width() + 2 * self.scroll.frameWidth())
        if self.scroll.minimumWidth() != need:
            self.scroll.setMinimumWidth(need)

    def rebuild(self, layers: list[dict], backbone: dict | None, selected: int, input_values: dict) -> None:
        """New cards for ``layers`` (the spec's layers as JSON); ``input_values`` are the preprocessing settings. The
        keyboard focus on a card's control goes to the same control of the new card at the same place (or where
        :meth:`focus_going_to` said)."""
        from ...engine.model import catalog

        where = self.focused_control()
        if where is not None:
            QApplication.focusWidget().clearFocus()  # or hiding its card sends it to the page's far side first
            where = self._focus_next or where
        while self.stack_layout.count():
            item = self.stack_layout.takeAt(0)
            w = item.widget()
            if w is not None and w is not self.empty_hint:
                w.hide()  # at once: deleteLater waits for the event loop
                w.deleteLater()
        self.cards = []
        self.input_card = InfoCard(-1, "Input picture", "Every picture is resized to this before the first layer "
                                   "(change it on the Input tab)")
        self.stack_layout.addWidget(self.input_card)
        self.backbone_card = None
        if backbone is not None:
            self.backbone_card = InfoCard(-1, backbone.get("name", "backbone"), "A pretrained network whose "
                                          "features the layers below get")
            self.stack_layout.addWidget(self.backbone_card)
        for i, entry in enumerate(layers):
            lt = catalog.CATALOG.get(entry.get("type")) if isinstance(entry.get("type"), str) else None
            card = LayerCard(i, entry, lt, len(layers))
            card.param_changed.connect(self.param_changed)
            card.action.connect(self._card_action)
            card.entries_changed.connect(self.entries_changed)
            card.selected.connect(self.card_selected)
            card.set_selected(i == selected)
            self.cards.append(card)
            self.stack_layout.addWidget(card)
        self.empty_hint.setVisible(not layers)
        self.stack_layout.addWidget(self.empty_hint)
        self.output_card = InfoCard(-1, "Output", "Added by CNN Studio: one unit per class. Softmax turns its "
                                    "numbers into probabilities when predicting.\n\n"
                                    + term_tip("fully connected", "softmax"), auto=True)
        self.stack_layout.addWidget(self.output_card)
        self.stack_layout.addStretch(1)
        # Tab: the new cards come right after tab_after, top to bottom (not after the page's right panel)
        chain = [self.tab_after] * bool(self.tab_after) + [w for card in self.cards for w in card.tab_chain]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)
        self.show_input(input_values)
        self.fit_cards()
        self._reveal = self.cards[selected] if 0 <= selected < len(self.cards) else None
        if self._reveal is not None:
            self.scroll.ensureWidgetVisible(self._reveal)  # and again as the new cards find their heights (eventFilter)
        if where is not None:
            self.focus_control(*where)

    def _stop_revealing(self, *_) -> None:
        self._reveal = None

    @contextmanager
    def focus_going_to(self, where: tuple[int, str] | None):
        """Within: a :meth:`rebuild` while a card's control has the keyboard focus puts it on control ``where[1]``
        of layer ``where[0]`` (:meth:`focus_control`) rather than on the same control at the same place (None: that)."""
        before, self._focus_next = self._focus_next, where
        try:
            yield
        finally:
            self._focus_next = before

    def focused_control(self) -> tuple[int, str] | None:
        """The layer index and the name (:attr:`~.cards.LayerCard.controls`) of the card's control that has the
        keyboard focus; None when no card's has."""
        return next(((card.index, name) for card in self.cards if (name := card.focused_control()) is not None), None)

    def _card_action(self, index: int, what: str) -> None:
        """Pass a card's button on; when the button had the focus, the new cards give it to the same button of the
        layer it moved (▲ ▼ Copy), the next layer's ✕ after a removal."""
        card = self.cards[index] if 0 <= index < len(self.cards) else None
        had_focus = card is not None and QApplication.focusWidget() in card.buttons.values()
        target = ({"up": index - 1, "down": index + 1}.get(what, index), what) if had_focus else None
        with self.focus_going_to(target):
            self.action.emit(index, what)  # the page changes the design: the stack is rebuilt before this returns

    def _delete_pressed(self) -> None:
        """Delete: remove the layer whose card has the focus, else the selected one, as its ✕ does; the focus goes
        to the card now in its place (the one before after the last; "Add layer" when none is left)."""
        focus = QApplication.focusWidget()
        card = next((c for c in self.cards if focus is not None and (c is focus or c.isAncestorOf(focus))), None)
        card = card or next((c for c in self.cards if c.property("selected")), None)
        if card is None:
            return
        index = card.index
        card.setFocus(Qt.FocusReason.OtherFocusReason)  # so the new cards give the focus to the one in its place
        with self.focus_going_to((index, "card")):
            self.action.emit(index, "remove")

    def focus_control(self, index: int, name: str) -> None:
        """Focus control ``name`` of the card of layer ``index`` (the last card's when past the end) and scroll to
        it. A button that cannot be pressed there gives way: an arrow to the other arrow, then to ✕; a control the
        card lacks to its first one. No card: :attr:`focus_when_empty`."""
        if not self.cards:
            if self.focus_when_empty is not None:
                self.focus_when_empty.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        card = self.cards[max(0, min(index, len(self.cards) - 1))]
        order = (name, *{"up": ("down",), "down": ("up",)}.get(name, ()), "remove") if name in card.buttons else (name,)
        usable = [card.controls[n] for n in order if n in card.controls and card.controls[n].isEnabled()]
        widget = (usable or [w for w in card.tab_chain if w.isEnabled()])[0]
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        self.scroll.ensureWidgetVisible(widget)

    def show_input(self, v: dict) -> None:
        """The input card's title for the preprocessing settings ``v``."""
        self.input_card.title.setText(f"Input picture, {v['width']} × {v['height']} "
                                      f"{'grey' if v['channels'] == 1 else 'colour'}")

    def select(self, index: int) -> None:
        for i, c in enumerate(self.cards):
            c.set_selected(i == index)

    def show_report(self, report, problem: str | None, input_values: dict) -> None:
        """The validator's ``report`` on every card (None when the spec could not be made: ``problem`` says why)."""
        v = input_values
        self.input_card.shape.setText("→ " + shape_words((v["channels"], v["height"], v["width"])))
        by_index = {e.index: e for e in report.layers} if report else {}
        if self.backbone_card is not None:
            self.backbone_card.show_report(by_index.get(0))
        for i, card in enumerate(self.cards):
            card.show_report(by_index.get(i + 1))
        if waits_for_classes(report):
            self.output_card.show_note(NO_CLASSES_NOTE)
        else:
            self.output_card.show_report(by_index.get(len(self.cards) + 1))
        self.fit_cards()  # the numbers' widths may have changed
        self._show_summary(report, problem)

    def set_batch_size(self, batch_size: int) -> None:
        """The batch size the Train page set: the memory warning counts a batch of it from now on."""
        if batch_size != self.batch_size:
            self.batch_size = batch_size
            self._show_summary(*self._shown)

    def show_unused(self, reason: str | None) -> None:
        """Say ``reason`` (values typed that the design does not use, so it is not ready) under the summary."""
        if (reason or "") != self.unused:
            self.unused = reason or ""
            self._show_summary(*self._shown)

    def _show_summary(self, report, problem: str | None) -> None:
        """Totals only for a design without mistakes (a layer in error would leave them short); the memory
        estimate with them, and the engine's warning when a batch of :attr:`batch_size` would need too much."""
        from ...engine.model.cost import memory_warning, training_memory_words

        self._shown = (report, problem)
        parts = []
        if report is not None:
            if report.ok:
                total, trainable = report.total_params, report.trainable_params
                t = f"<b>{total:,}</b> parameters"
                if trainable != total:
                    t += f" ({trainable:,} trained)"
                t += f" · <b>{count_text(report.total_macs, COST_WORD)}</b> per picture"  # "MACs": the tooltip
                parts.append(t)
                if report.memory is not None:  # the weights' part too: it outweighs the pictures' in a huge design
                    parts.append(f"Memory in training: {training_memory_words(report.memory, self.batch_size)}.")
                warning = memory_warning(report.memory, self.batch_size)  # this computer's memory
                if warning:
                    parts.append(status_span("warning", f"⚠ {warning}", self))  # training may still start
            waiting = waits_for_classes(report)  # the output layer's "error": no mistake, the card's note says so
            errors = [e for e in report.layers if e.error and not (waiting and e is report.layers[-1])]  # the output
            if not report.ok:
                parts.append("Totals once the project has classes." if waiting and not errors and not report.problems
                             else "Totals once the design is valid.")
            for note in report.notes:  # the engine's words, as sentences
                parts.append(status_span("info", f"ℹ {sentence(note)}", self))
            for err in report.problems:
                parts.append(status_span("error", f"✖ {sentence(err)}", self))
            n_err = len(errors)
            if n_err:
                layers = "1 layer marked in red needs" if n_err == 1 else f"{n_err} layers marked in red need"
                parts.append(status_span("error", f"✖ {layers} a change before training.", self))
        elif problem:
            parts.append(status_span("error", f"✖ {sentence(problem)}", self))
        if self.unused:
            parts.append(status_span("error", f"✖ {sentence(self.unused)}", self))
        self.summary.setText("<br>".join(parts))
