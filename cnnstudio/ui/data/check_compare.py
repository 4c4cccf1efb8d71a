"""A data check finding's pictures side by side ("Compare pictures"), opened from the Check data panel (a
double-click on a finding, Enter, or its Compare button).

Each picture is shown as large as the dialog allows, 2 to 6 at a time (more: the strip scrolls), with its file
name, class, split, size in pixels and file size, so that near copies, a leak's copies or a doubtful label can be
judged by eye (its split named as the gallery's filter names it: "Train"). The finding's fixes are there too: the
panel's own buttons' list and its :meth:`~.check_panel.CheckPanel.apply` (one rule, one undoable action each); a fix
that closes the finding closes the dialog. ← and → move between the pictures, Esc closes; a finding of one picture
(a doubtful label) is "Look at the picture", with no arrows' hint. It fits a 1,024 x 614 window.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea,
                               QSizePolicy, QVBoxLayout, QWidget)

from ...project import ProjectError
from ...project.disk import human_bytes
from ...project.imaging import ImageRejected
from ..flow_layout import FlowLayout
from ..picture_image import cannot_show, picture_image
from ..sentence import sentence
from .picture_words import SPLIT_NAMES

SHOWN = (2, 6)  # pictures side by side: at least, at most (more scroll)
CARD_WIDTH = 180  # px a picture's card needs at least: its words and a picture worth looking at
LOADED = 720  # px of a picture's longer side read from its file (it is drawn to fit its card)
TITLES = {False: "Compare pictures", True: "Look at the picture"}  # by whether the finding has one picture
ARROWS = "← → the previous or next picture · "  # said only with a picture to move to
CLOSES = "Esc closes"


class PictureView(QWidget):
    """A picture drawn as large as its room allows, its aspect kept; a small one (an 8 x 8 digit) scaled up with
    sharp pixels, so what is in it can be seen, not a blur."""

    def __init__(self, image: QImage | None, words: str = "", parent=None):
        super().__init__(parent)
        self.image = image
        self.words = words  # said where the picture would be when it cannot be read
        self.setMinimumSize(120, 110)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        if self.image is None or self.image.isNull():
            p.drawText(self.rect().adjusted(6, 6, -6, -6), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                       self.words)
            return
        size = self.image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        sharp = size.width() >= 2 * self.image.width()
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, not sharp)
        target = QRect((self.width() - size.width()) // 2, (self.height() - size.height()) // 2, size.width(),
                       size.height())
        p.drawImage(target, self.image)


class PictureCard(QFrame):
    """One picture with its words under it; the current one framed in the highlight colour."""

    def __init__(self, project, rec, class_name: str, parent=None):
        super().__init__(parent)
        self.image_id = rec.id
        self.setObjectName("card")
        try:
            image, words = picture_image(project.root / rec.file, LOADED), ""
        except ImageRejected as e:
            image, words = None, cannot_show(e)
        self.picture = PictureView(image, words)
        split = SPLIT_NAMES.get(rec.split, rec.split)  # "Train", as the gallery's filter and the preview say
        self.name = QLabel()
        self.name.setToolTip(rec.original_name)
        self._name = rec.original_name
        self.facts = QLabel(f"Class: {class_name or 'none'}\n"
                            f"Split: {split}\n"
                            f"{rec.width:,} × {rec.height:,} pixels\n"
                            f"File: {human_bytes(rec.size_bytes)}")
        self.facts.setWordWrap(True)  # a narrow card: a long class name wraps rather than is cut
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(self.picture, 1)
        lay.addWidget(self.name)
        lay.addWidget(self.facts)
        self.setAccessibleName(f"{rec.original_name}, class {class_name or 'none'}, "
                               f"split {split}, {rec.width} by {rec.height} pixels")
        self.set_current(False)

    def set_current(self, current: bool) -> None:
        self.setStyleSheet("QFrame#card { border: 3px solid palette(highlight); border-radius: 4px; }" if current
                           else "QFrame#card { border: 3px solid transparent; }")

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.name.setText(self.name.fontMetrics().elidedText(self._name, Qt.TextElideMode.ElideMiddle,
                                                             max(self.width() - 14, 20)))


class CompareDialog(QDialog):
    """The pictures of ``finding`` side by side, with its fixes (the ``panel``'s)."""

    def __init__(self, panel, finding, parent=None):
        super().__init__(parent or panel)
        self.panel = panel
        self.finding = finding
        self.setWindowTitle(TITLES[len(finding.images) == 1])
        project = panel.session.project
        names = {c.id: c.name for c in project.classes()}
        self.reason = QLabel(sentence(finding.reason))
        self.reason.setWordWrap(True)
        self.keys = QLabel(CLOSES)  # with ARROWS before it when there are pictures to move between (_say_where)
        self.keys.setStyleSheet("color: palette(placeholder-text);")
        self.strip = QWidget()
        row = QHBoxLayout(self.strip)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.cards = [PictureCard(project, r, names.get(r.class_id, "")) for r in project.records(finding.images)]
        for card in self.cards:
            row.addWidget(card)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.strip)
        self.scroll.setWidgetResizable(True)
        self.scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # ← → are the dialog's, not the scroll bar's
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.viewport().installEventFilter(self)
        self.fix_box = QWidget()
        self.fix_bar = FlowLayout(self.fix_box)
        self.fix_buttons: list[QPushButton] = []
        fixes = panel.fixes(finding)
        # "Trash the other 7": which picture it keeps, said on that picture
        spare = next((f for f in fixes if f.action == "trash" and 0 < len(f.images) < len(self.cards)), None)
        for card in self.cards if spare is not None else ():
            if card.image_id not in spare.images:
                card.facts.setText(f"{card.facts.text()}\nKept by “{spare.text}”")
        tallest = max((c.facts.sizeHint().height() for c in self.cards), default=0)
        for card in self.cards:  # the pictures and their names level, whatever lines a card's words take
            card.facts.setMinimumHeight(tallest)
            card.facts.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        for fix in fixes:
            b = QPushButton(fix.text)
            b.setToolTip(fix.tip)
            b.setAutoDefault(False)  # Enter, which opened the dialog, applies no fix
            b.clicked.connect(lambda _=False, fx=fix: self._apply(fx))
            self.fix_bar.addWidget(b)
            self.fix_buttons.append(b)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        close.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
        bottom = QHBoxLayout()
        bottom.addWidget(self.fix_box, 1)
        bottom.addWidget(close, 0, Qt.AlignmentFlag.AlignBottom)
        lay = QVBoxLayout(self)
        lay.addWidget(self.reason)
        lay.addWidget(self.scroll, 1)
        lay.addWidget(self.keys)
        lay.addLayout(bottom)
        for w in (*self.fix_buttons, close.button(QDialogButtonBox.StandardButton.Close)):
            w.installEventFilter(self)  # ← → move between the pictures wherever the focus is, not between buttons
        self.current = 0
        if self.cards:
            self.cards[0].set_current(True)
        self._say_where()
        self.resize(self._fitting_size())
        self.setFocus()

    def _fitting_size(self) -> QSize:
        """As large as the window it belongs to allows (a 1,024 x 614 one included), at most 1,000 x 640."""
        win = self.panel.window()
        room = win.size() if win is not None and win.isVisible() else QSize(1024, 614)
        screen = self.panel.screen()
        if screen is not None:
            room = room.boundedTo(screen.availableGeometry().size())
        return QSize(min(1000, room.width() - 24), min(640, room.height() - 24))

    def _fit_cards(self) -> None:
        """Each card a share of the width: as many side by side as fit (2 to 6), the rest a scroll away."""
        if not self.cards:
            return
        width = self.scroll.viewport().width()
        side = min(max(SHOWN[0], width // CARD_WIDTH), SHOWN[1], len(self.cards))
        spacing = self.strip.layout().spacing()
        card = max(CARD_WIDTH if len(self.cards) > 1 else 0, (width - spacing * (side - 1)) // side)
        for c in self.cards:
            c.setFixedWidth(min(card, width))

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if not self._arrow(event):
            super().keyPressEvent(event)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and self._arrow(event):
            return True
        if watched is self.scroll.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_cards()  # the strip's room is known once the dialog's layout gave it out
        return super().eventFilter(watched, event)

    def _arrow(self, event) -> bool:
        """← or → (no modifier): the previous or next picture."""
        by = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1}.get(event.key())
        if by is None or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        self.step(by)
        return True

    def step(self, by: int) -> None:
        """The previous (-1) or next (1) picture becomes the current one, scrolled into view by whole cards."""
        if not self.cards:
            return
        self.cards[self.current].set_current(False)
        self.current = max(0, min(len(self.cards) - 1, self.current + by))
        self.cards[self.current].set_current(True)
        self._say_where()
        bar = self.scroll.horizontalScrollBar()
        spacing = self.strip.layout().spacing()
        pitch = max(self.cards[0].width() + spacing, 1)
        side = max(1, (self.scroll.viewport().width() + spacing) // pitch)  # whole cards in view
        first = round(bar.value() / pitch)
        if self.current < first:
            first = self.current
        elif self.current >= first + side:
            first = self.current - side + 1
        bar.setValue(self.cards[first].x())

    def _say_where(self) -> None:
        several = len(self.cards) > 1
        where = f"Picture {self.current + 1} of {len(self.cards)} · {ARROWS}" if several else ""
        self.keys.setText(f"{where}{CLOSES}")

    def _apply(self, fix) -> None:
        """The panel applies it (its one undoable action); the dialog closes when the finding did."""
        self.panel.apply(self.finding, fix)
        try:
            closed = not self.panel.is_open(self.finding)
        except ProjectError:
            closed = True
        if closed:
            self.accept()
