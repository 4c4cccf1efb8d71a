"""The note that says why Start is off, with a button to the page that fixes it (the words and the page come from
:func:`~cnnstudio.ui.train.start_blocker.start_blocker`; this widget only shows them and forwards the click). Its box
is the palette's error note (:func:`cnnstudio.ui.colours.note_colours`): pink on a light window, a tint of the base
colour on a dark one.

``max_lines`` (the Train page's: 2) caps the note where its plots need the room (a 1,024 x 614 screen: a 7-line
note left them 90 pixels): a longer reason with a button to the page that fixes it is cut at that many lines, after
a sentence or else a word ("… Show more", which shows it whole; "Show less" cuts it again); the whole reason is the
note's tooltip too (:attr:`BlockedNote.words`). A note with no page to go to (a read-only project: the way out is in
its words) is never cut."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QRect, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from ..colours import note_colours

MORE, LESS = "more", "less"  # the links' targets: the reason whole, or cut again


def cut_words(text: str, fits) -> str:
    """The longest start of ``text`` that ends after a whole word and of which ``fits(start)`` is true ("" when
    none is); ``text`` itself when it fits."""
    if fits(text):
        return text
    words = text.split(" ")
    lo, hi = 0, len(words)  # fits(" ".join(words[:lo])) holds (the empty start); the whole text does not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if fits(" ".join(words[:mid])) else (lo, mid)
    return " ".join(words[:lo]).rstrip(",;:")


class BlockedNote(QWidget):
    go_to = Signal(str)  # the step key of the page that fixes it ("data", "model", "tune")

    def __init__(self, parent: QWidget | None = None, max_lines: int | None = None):
        super().__init__(parent)
        self.max_lines = max_lines
        self._whole = ""  # the note's words, shown whole or cut (_say)
        self._opened = False  # "Show more" pressed for these words
        colours = note_colours("error", self)[:2]
        self.blocker = None
        self.prefix = "Training cannot start yet. "
        self.setObjectName("blocked")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(f"#blocked {{ background: {colours[0]}; border-radius: 4px; }} "
                           f"QLabel {{ color: {colours[1]}; }}")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.linkActivated.connect(self._fold_link)
        self.label.installEventFilter(self)  # its width known: the words cut to fit it (_say)
        self.button = QPushButton()  # "Go to the Data page"
        self.button.clicked.connect(lambda: self.go_to.emit(self.blocker.step) if self.blocker else None)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(6, 4, 6, 4)
        lay.addWidget(self.label, 1)
        lay.addWidget(self.button)
        self.show_blocker(None)

    def show_blocker(self, blocker) -> None:
        """Say ``blocker`` (a :class:`~cnnstudio.ui.train.start_blocker.Blocker`), or hide when it is None."""
        self.blocker = blocker
        whole = f"{self.prefix}{blocker.text}" if blocker else ""
        if whole != self._whole:
            self._whole, self._opened = whole, False
        self._say()
        self.label.setVisible(blocker is not None)
        self.button.setText(blocker.button if blocker else "")
        self.button.setVisible(bool(blocker and blocker.button))
        self.setVisible(blocker is not None)

    @property
    def words(self) -> str:
        """The note's words whole, as shown or cut ("" when hidden)."""
        return self._whole

    def _say(self) -> None:
        """The words whole, or (``max_lines``) cut to that many lines at the label's width with "… Show more"."""
        whole = self._whole
        text = escape(whole, quote=False)
        if self.max_lines and whole and self.blocker.button:  # a note with no page to go to says its way out whole
            if self._opened:
                text += f' <a href="{LESS}">Show less</a>'
            else:
                fm, width = self.label.fontMetrics(), max(1, self.label.contentsRect().width())
                most = self.max_lines * fm.lineSpacing()

                def fits(start: str) -> bool:
                    shown = start if start == whole else f"{start}… Show more"
                    return fm.boundingRect(QRect(0, 0, width, 100_000), Qt.TextFlag.TextWordWrap,
                                           shown).height() <= most

                start = cut_words(whole, fits)
                if start != whole:
                    end = start.rfind(". ") + 1  # a whole sentence past the prefix ends it, with no "…"
                    start, dots = (start[:end], "") if end > len(self.prefix) else (start, "…")
                    text = f'{escape(start, quote=False)}{dots} <a href="{MORE}">Show more</a>'
        self.label.setToolTip(whole if self.max_lines and whole else "")
        if self.label.text() != text:
            self.label.setText(text)

    def _fold_link(self, target: str) -> None:
        if target in (MORE, LESS):
            self._opened = target == MORE
            self._say()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if watched is self.label and event.type() == QEvent.Type.Resize and self.max_lines:
            self._say()
        return super().eventFilter(watched, event)
