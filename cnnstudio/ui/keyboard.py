"""The keyboard's rules, one place for every page (QA keyboard and screen-reader report, findings 1, 8, 9, 10, 12):

- :func:`tab_leaves`: Tab moves *out* of a table or list to the next control; the arrow keys move between its cells.
  (Qt's default, ``tabKeyNavigation``, walks cell by cell and wraps from the last to the first: a trap.) Every item
  view of the app calls it where it is made.
- :func:`not_a_tab_stop`: a container (a form's frame, a scroll area, a plot) is no tab stop: it has nothing to say.
  :func:`tab_scrolls`: a scroll area that is none still shows all it holds to the keyboard: Tab scrolls it to each
  control, and to its end at its last one.
- :class:`WordsLabel`: a label whose words can be selected with the mouse; it is a tab stop only while it holds a
  link to follow (an empty one, or plain words, is not).
- :func:`first_tab_stop` / :func:`focus_first`: where focus goes when a page is shown (its first useful control).
- :func:`follow_action`: a button and the menu's action are one command: the button shows the action's enabled
  state and a click triggers the action, so the menu and the page can never disagree.
- :class:`FocusStyle`: the focused control has a 2-pixel, high-contrast frame (Fusion's 1-pixel light blue one was
  hard to see), which reads on a selected cell or row too (:func:`focus_colour`); installed on the application by :func:`install_focus_style`. It changes no size: only what is drawn.
  It also draws a check box's and a radio button's edge on a dark window in :func:`.colour_rules.box_edge`'s colour
  (Fusion's, the window made darker, was lost on a dark card: the Model page's "bias" box).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRect, QRectF, Qt
from PySide6.QtGui import QAction, QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QApplication, QComboBox, QLabel,
                               QLineEdit, QPlainTextEdit, QProxyStyle, QPushButton, QScrollArea, QStyle, QTextEdit,
                               QWidget)

from .colour_rules import box_edge, focus

MAX_CHAIN = 20_000  # widgets of a window's focus chain walked at the most
FOCUS_WIDTH = 2  # pixels of the focus frame


def tab_leaves(*views: QAbstractItemView) -> None:
    """Tab and Shift+Tab leave these tables and lists (the arrow keys still move between cells)."""
    for view in views:
        view.setTabKeyNavigation(False)


def not_a_tab_stop(*widgets: QWidget) -> None:
    """Containers and pictures Tab passes over (their controls, if any, stay tab stops)."""
    for w in widgets:
        w.setFocusPolicy(Qt.FocusPolicy.NoFocus)


class WordsLabel(QLabel):
    """Rich text the mouse can select; a tab stop only while its text holds a link (``<a href``)."""

    def __init__(self, text: str = "", parent=None):
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - QLabel's name
        super().setText(text)
        flags = Qt.TextInteractionFlag.TextSelectableByMouse
        if "<a " in text:
            flags |= Qt.TextInteractionFlag.LinksAccessibleByMouse | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        self.setTextInteractionFlags(flags)  # sets the focus policy: strong with links, a click's without


def _tab_stop(w: QWidget) -> bool:
    """Tab would stop at ``w``: shown, enabled, a tab stop."""
    return w.isVisibleTo(w.window()) and w.isEnabled() and bool(w.focusPolicy() & Qt.FocusPolicy.TabFocus)


def first_tab_stop(container: QWidget) -> QWidget | None:
    """The first widget inside ``container`` that Tab would reach (shown, enabled, a tab stop), or None. The focus
    chain is the window's (in the order widgets were made), so it is walked round from ``container``."""
    w = container.nextInFocusChain()
    for _ in range(MAX_CHAIN):
        if w is None or w == container:
            return None
        if container.isAncestorOf(w) and _tab_stop(w):
            return w
        w = w.nextInFocusChain()
    return None


def next_tab_stop(widget: QWidget) -> QWidget | None:
    """Where Tab goes from ``widget`` (None: nowhere else)."""
    w = widget.nextInFocusChain()
    for _ in range(MAX_CHAIN):
        if w is None or w == widget:
            return None
        if _tab_stop(w):
            return w
        w = w.nextInFocusChain()
    return None


class _ScrollsOnTab(QObject):
    """Child of a scroll area (Qt ends the connection with it): after the area's last control, its end in view."""

    def __init__(self, area: QScrollArea):
        super().__init__(area)
        self.area = area
        QApplication.instance().focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old, new) -> None:
        content = self.area.widget()
        if new is None or content is None or not content.isAncestorOf(new):
            return
        after = next_tab_stop(new)
        if after is None or not content.isAncestorOf(after):  # the last control: what follows it has none
            self.area.ensureVisible(0, content.height() - 1, 0, 0)
            self.area.ensureWidgetVisible(new)  # the control itself first, when the rest is taller than the view


def tab_scrolls(area: QScrollArea) -> None:
    """``area`` is no tab stop (a frame with nothing to say), yet Tab shows all of it: it scrolls to each control Tab
    reaches (Qt's own), and to its end at its last control, so what follows that (pictures, a summary) is seen too."""
    not_a_tab_stop(area)
    _ScrollsOnTab(area)


def focus_first(container: QWidget) -> QWidget | None:
    """Keyboard focus to ``container``'s first tab stop; returns it (None: nothing there takes focus)."""
    w = first_tab_stop(container)
    if w is not None:
        w.setFocus(Qt.FocusReason.TabFocusReason)
    return w


def follow_action(button: QAbstractButton, action: QAction) -> None:
    """``button`` is ``action`` on the page: enabled exactly when the action is, a click triggers it (the action
    holds the slot), a checkable action's state is the button's."""
    button.setEnabled(action.isEnabled())
    action.enabledChanged.connect(button.setEnabled)
    if action.isCheckable():
        button.setCheckable(True)
        button.setChecked(action.isChecked())
        action.toggled.connect(button.setChecked)
        button.toggled.connect(action.setChecked)
    else:
        button.clicked.connect(lambda _=False: action.trigger())


def focus_colour(widget: QWidget | None) -> QColor:
    """Dark blue on a light window, yellow on a dark one, reading at 3:1 on the window, the base colour and the
    selection's colour of ``widget``'s palette (the application's without one): :func:`.colour_rules.focus`."""
    palette = widget.palette() if widget is not None else QApplication.palette()
    role = QPalette.ColorRole
    return QColor(focus(*(palette.color(r).name() for r in (role.Window, role.Base, role.Highlight))))


def draw_focus_frame(painter: QPainter, rect: QRect, widget: QWidget | None = None) -> None:
    """The one focus frame: :data:`FOCUS_WIDTH` pixels of :func:`focus_colour` just inside ``rect``."""
    painter.save()
    pen = QPen(focus_colour(widget), FOCUS_WIDTH)
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    half = FOCUS_WIDTH // 2
    painter.drawRect(rect.adjusted(half, half, -half, -half))
    painter.restore()


def draw_box_edge(painter: QPainter, option, round_box: bool = False) -> None:
    """A check box's (``round_box``: a radio button's) edge, one pixel inside ``option.rect``, in
    :func:`.colour_rules.box_edge`'s colour for ``option.palette``; nothing on a light window."""
    role = QPalette.ColorRole
    colours = (option.palette.color(role.Window), option.palette.color(role.Base), option.palette.color(role.Text))
    edge = box_edge(*(c.name() for c in colours))
    if edge is None:
        return
    painter.save()
    painter.setPen(QPen(QColor(edge), 1))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if round_box:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.drawEllipse(QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5))
    else:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.drawRect(option.rect.adjusted(0, 0, -1, -1))
    painter.restore()


class FocusStyle(QProxyStyle):
    """The platform's style, with the focused control framed by :func:`draw_focus_frame`: buttons, check boxes and
    cells (their focus rectangle: a cell's is the whole cell, its icon or check box included), line edits, spin boxes
    and combo boxes (their frame)."""

    FRAMED = (QStyle.PrimitiveElement.PE_FrameLineEdit, QStyle.PrimitiveElement.PE_PanelButtonCommand)
    COMPLEX = (QStyle.ComplexControl.CC_SpinBox, QStyle.ComplexControl.CC_ComboBox)
    BOXES = (QStyle.PrimitiveElement.PE_IndicatorCheckBox, QStyle.PrimitiveElement.PE_IndicatorRadioButton)

    def drawPrimitive(self, element, option, painter, widget=None) -> None:  # noqa: N802 - Qt's name
        if element == QStyle.PrimitiveElement.PE_FrameFocusRect:
            if not isinstance(widget, QPushButton):  # a push button's panel has the frame (PE_PanelButtonCommand);
                draw_focus_frame(painter, option.rect, widget)  # one with a style sheet asked for a second, inside
            return
        super().drawPrimitive(element, option, painter, widget)
        if element in self.BOXES:
            draw_box_edge(painter, option, element == QStyle.PrimitiveElement.PE_IndicatorRadioButton)
        if element in self.FRAMED and option.state & QStyle.StateFlag.State_HasFocus:
            draw_focus_frame(painter, option.rect, widget)

    def subElementRect(self, element, option, widget=None) -> QRect:  # noqa: N802 - Qt's name
        if element == QStyle.SubElement.SE_ItemViewItemFocusRect:  # a cell's frame goes round the whole cell: round
            return QRect(option.rect)  # its words only, beside an icon or a check box, it was cut to a sliver
        return super().subElementRect(element, option, widget)

    def drawComplexControl(self, control, option, painter, widget=None) -> None:  # noqa: N802 - Qt's name
        super().drawComplexControl(control, option, painter, widget)
        if control in self.COMPLEX and option.state & QStyle.StateFlag.State_HasFocus:
            draw_focus_frame(painter, option.rect, widget)


def types_text(widget: QWidget | None) -> bool:
    """Whether ``widget`` is a box the user types in (where Escape and Space are the box's own)."""
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    return isinstance(widget, (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox))


def install_focus_style(app: QApplication) -> None:
    """The application's style becomes :class:`FocusStyle` over the one it has (once)."""
    if not isinstance(app.style(), FocusStyle):
        app.setStyle(FocusStyle(app.style().name()))
