"""Keyboard: the step list on the left is a tab stop (QA keyboard report): Tab reaches it and leaves it, the arrow
keys show another step with focus kept in the list, Enter goes into the step shown, Shift+Tab from a page's first
control comes back to it; it has a name for a screen reader and the visible focus frame. Real key events on the
offscreen window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from cnnstudio.ui.keyboard import first_tab_stop, focus_colour, install_focus_style
from tests.ui.test_training_view import make_project

MAX_PRESSES = 60  # more than the controls of any page


def focused():
    return QApplication.focusWidget()


def press(key) -> None:
    QTest.keyClick(focused(), key)


def inside(page) -> bool:
    """Focus is on a control of ``page`` (not the page's own frame)."""
    w = focused()
    return w is not None and w is not page and page.isAncestorOf(w)


def tab_until(qtbot, target, key=Qt.Key.Key_Tab) -> list:
    """Press ``key`` until ``target`` has focus; the widgets passed on the way (AssertionError when it never does)."""
    passed = []
    for _ in range(MAX_PRESSES):
        press(key)
        if focused() is target:
            return passed
        passed.append(focused())
    raise AssertionError(f"{target.accessibleName()} not reached by {MAX_PRESSES} presses of {key}")


def test_tab_reaches_the_step_list_the_arrows_show_steps_and_enter_goes_into_one(window, qtbot, tmp_path):
    app = QApplication.instance()
    before = app.style().name()
    install_focus_style(app)
    try:
        assert window.open_project(make_project(tmp_path))
        window.activateWindow()
        ws = window.workspace
        nav = ws.nav
        qtbot.waitUntil(lambda: inside(ws.data))  # the gallery, as a project opens
        assert nav.accessibleName() == "Steps" and nav.accessibleDescription()
        assert not nav.tabKeyNavigation()  # keyboard.tab_leaves: Tab is no trap

        # Tab goes round the Data page and on to the step list, then to the page's first control
        passed = tab_until(qtbot, nav)
        assert passed and all(ws.data.isAncestorOf(w) for w in passed)
        press(Qt.Key.Key_Tab)
        assert focused() is first_tab_stop(ws.data)
        press(Qt.Key.Key_Backtab)  # and back
        assert focused() is nav

        # the focused step has the two-pixel frame of keyboard.FocusStyle
        rect = nav.visualItemRect(nav.item(0))
        image = nav.viewport().grab(rect).toImage()
        colour = focus_colour(nav)
        strong = sum(1 for x in range(image.width()) for y in range(image.height())
                     if QColor(image.pixel(x, y)) == colour)
        assert strong >= 2 * (image.width() + image.height())

        # the arrow keys show the next steps (built as they are shown) and focus stays in the list
        for row in (1, 2):
            press(Qt.Key.Key_Down)
            assert focused() is nav and nav.currentRow() == row and ws.pages.currentIndex() == row
        train = ws.pages.widget(2)
        assert ws.current_step() == "train" and ws.built("train") is not None

        # Tab leaves the list for the Train page's first control, Shift+Tab comes back
        qtbot.waitUntil(lambda: first_tab_stop(train) is not None)
        press(Qt.Key.Key_Tab)
        assert focused() is first_tab_stop(train) and inside(train)
        press(Qt.Key.Key_Backtab)
        assert focused() is nav
        # Shift+Tab leaves it the other way, into the page (its last control), and Tab from there comes back
        press(Qt.Key.Key_Backtab)
        assert inside(train)
        assert tab_until(qtbot, nav) == []

        # Up shows the Model step; Enter goes into it
        press(Qt.Key.Key_Up)
        model = ws.pages.widget(1)
        assert focused() is nav and ws.current_step() == "model"
        qtbot.waitUntil(lambda: first_tab_stop(model) is not None)
        press(Qt.Key.Key_Return)
        assert focused() is first_tab_stop(model) and inside(model)

        # Home from the list shows the Data step; a click in the list (no keys) puts focus in the page shown
        press(Qt.Key.Key_Backtab)
        assert focused() is nav
        press(Qt.Key.Key_Home)
        assert focused() is nav and ws.current_step() == "data"
        QTest.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton, pos=nav.visualItemRect(nav.item(4)).center())
        evaluate = ws.pages.widget(4)
        assert ws.current_step() == "evaluate"
        qtbot.waitUntil(lambda: inside(evaluate))
    finally:
        app.setStyle(before)


def test_a_step_shown_by_its_shortcut_from_the_list_puts_focus_on_the_page(window, qtbot, tmp_path):
    """Ctrl+1…6 (the View menu) keep putting focus on the page, even from the step list."""
    assert window.open_project(make_project(tmp_path))
    window.activateWindow()
    ws = window.workspace
    qtbot.waitUntil(lambda: inside(ws.data))
    tab_until(qtbot, ws.nav)
    window.step_actions[3].trigger()
    tune = ws.pages.widget(3)
    qtbot.waitUntil(lambda: inside(tune))
    assert ws.nav.currentRow() == 3
