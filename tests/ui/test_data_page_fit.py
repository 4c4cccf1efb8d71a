"""The Data page fits a 1280x800 (and 1366x768) laptop screen: no window wider than the screen, no sideways scroll."""

import pytest
from PySide6.QtWidgets import QAbstractScrollArea, QApplication

from cnnstudio.project import import_paths
from tests.conftest import write_dataset


@pytest.mark.parametrize("size", [(1280, 800), (1366, 768)])
def test_the_data_page_fits_a_laptop_screen(window, qtbot, tmp_path, size):
    assert window.create_project(tmp_path / "proj")
    import_paths(window.session.project, [write_dataset(tmp_path / "src", ("a long class name", "dog"), per_class=3)])
    window.session.images_changed.emit()
    window.session.classes_changed.emit()
    window.resize(*size)
    QApplication.processEvents()
    assert window.width() == size[0]  # the page's least width does not push the window wider than the screen
    page = window.workspace.data
    assert page.minimumSizeHint().width() + window.workspace.nav.width() <= size[0]
    for area in page.findChildren(QAbstractScrollArea):
        bar = area.horizontalScrollBar()
        assert not (bar.isVisible() and bar.maximum() > 0), type(area).__name__


def test_tab_goes_left_to_right_top_to_bottom(window, qtbot, tmp_path):
    """The class list and its buttons, the gallery's bar (filters, Camera…, size), the pictures, the side panel:
    Camera… came last and the pictures before the bar above them."""
    from PySide6.QtCore import Qt

    assert window.create_project(tmp_path / "proj")
    import_paths(window.session.project, [write_dataset(tmp_path / "src", ("cat", "dog"), per_class=2)])
    window.session.images_changed.emit()
    page = window.workspace.data
    gallery = page.gallery
    expected = [page.classes.buttons["delete"], gallery.class_filter, gallery.split_filter, page.camera_button,
                gallery.size_slider, gallery.list]
    w, seen = expected[0], []
    for _ in range(200):  # Qt's tab chain from the Delete button on, the widgets Tab can stop at
        w = w.nextInFocusChain()
        if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isVisibleTo(page) and page.isAncestorOf(w):
            seen.append(w)
        if len(seen) == len(expected) - 1:
            break
    assert seen == expected[1:], [type(x).__name__ for x in seen]
    tabs = page.side.tabBar()
    after_list = gallery.list.nextInFocusChain()
    while not (after_list.focusPolicy() & Qt.FocusPolicy.TabFocus and after_list.isVisibleTo(page)):
        after_list = after_list.nextInFocusChain()
    assert after_list in (page.side, tabs) or page.side.isAncestorOf(after_list)
