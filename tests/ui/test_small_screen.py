"""On a screen smaller than a page (800 x 600, or a large text scale) the window no longer grows past the screen with
its right-hand panels, its buttons and its status bar off it (QA: "the window cannot shrink to fit a small screen"):
the pages scroll instead (workspace.PageScroll). On a screen the page fits, nothing scrolls. The offscreen screen
of the test suite is 800 x 600: a real small screen."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from cnnstudio.ui.workspace import PageScroll
from tests.ui.conftest import open_data_page


def test_a_page_wider_than_the_screen_scrolls_and_the_window_fits_the_screen(window, qtbot, tmp_path, monkeypatch):
    open_data_page(window, tmp_path, ("circle", "square"), per_class=4)
    scroll = window.workspace.scroll
    screen = QApplication.primaryScreen().availableGeometry().size()
    page = window.workspace.data
    assert page.minimumSizeHint().width() > screen.width()  # the Data page needs ~1,000 px: more than this screen

    monkeypatch.setattr(PageScroll, "fit_screen", True)
    scroll.updateGeometry()
    qtbot.waitUntil(lambda: window.minimumSize().width() <= screen.width()  # the layout's constraint, applied
                    and window.minimumSize().height() <= screen.height())
    window.resize(screen)
    qtbot.waitUntil(lambda: window.width() == screen.width() and window.height() == screen.height())
    qtbot.waitUntil(scroll.horizontalScrollBar().isVisible)
    assert page.width() >= page.minimumSizeHint().width()  # the page keeps its size: its controls stay whole
    scroll.horizontalScrollBar().setValue(scroll.horizontalScrollBar().maximum())
    split = page.splits.apply  # scrolled to the right: the Split button is on the screen
    assert 0 <= split.mapTo(window, split.rect().topRight()).x() <= window.width()

    monkeypatch.setattr(PageScroll, "fit_screen", False)  # as on a screen the page fits: the window's own minimum
    scroll.updateGeometry()
    qtbot.waitUntil(lambda: window.minimumSizeHint().width() > screen.width())
    window.resize(window.minimumSizeHint())
    qtbot.waitUntil(lambda: not scroll.horizontalScrollBar().isVisible())


def test_a_first_start_on_a_small_screen_is_maximized_so_the_title_bar_fits(qtbot):
    """QA: under a window manager, a window as tall as the screen had its status bar below the screen (the title bar
    pushed it down). A first start (no saved geometry) on a small screen asks to be maximized instead: the window
    manager fits the frame in. The offscreen screen, 800 x 600, is one."""
    from cnnstudio.ui.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    assert w.start_maximized
