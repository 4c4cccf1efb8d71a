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


def test_a_wide_window_gives_the_class_names_room_too(window, tmp_path):
    """QA data2: at 1,920 px the class list stayed 244 px wide and showed "squ…"."""
    from PySide6.QtWidgets import QApplication

    from tests.ui.conftest import open_data_page

    data = open_data_page(window, tmp_path, ("circle", "square"), per_class=2)
    panel = data.workspace.data.classes
    window.resize(1024, 614)
    QApplication.processEvents()
    narrow = panel.width()
    window.resize(1920, 1080)
    QApplication.processEvents()
    name = panel.tree.topLevelItem(1)
    assert panel.width() > narrow
    room = panel.tree.columnWidth(1) - panel.tree.iconSize().width() - 12
    assert panel.tree.fontMetrics().horizontalAdvance(name.text(1)) <= room, name.text(1)
    assert data.workspace.data.gallery.width() > 3 * panel.width()  # the pictures still get the most


def test_the_picture_count_is_whole_beside_the_filters_at_1024_px(window, tmp_path):
    """"20 images" fitted; "20 pictures" (the app's word) was shown as "20 pictur…"."""
    from PySide6.QtWidgets import QApplication

    from tests.ui.conftest import open_data_page

    data = open_data_page(window, tmp_path, ("cat",), per_class=20)
    window.resize(1024, 614)
    QApplication.processEvents()
    label = data.workspace.data.gallery.count_label
    assert label.text() == "20 pictures"
    assert label.fontMetrics().horizontalAdvance(label.text()) <= label.contentsRect().width()
    assert window.minimumSizeHint().width() <= 1024


def test_a_narrow_count_drops_its_noun_before_it_cuts_a_number(qtbot):
    """At 1,024 px the count read "7 of 1,80…": the number was lost, the noun kept."""
    from cnnstudio.ui.data.count_label import CountLabel

    label = CountLabel(minimum_width=72)
    qtbot.addWidget(label)
    label.show()  # a hidden widget gets its resize events only when shown
    label.set_count("7 of 1,804 pictures", "7 of 1,804")
    fm, m = label.fontMetrics(), label.contentsMargins()
    short = fm.horizontalAdvance("7 of 1,804") + m.left() + m.right() + 2
    assert label.minimumSizeHint().width() >= short  # a layout never makes it narrower than the numbers
    label.resize(label.sizeHint().width(), 20)
    assert label.shown_text() == "7 of 1,804 pictures" and label.toolTip() == ""
    label.resize(short + 4, 20)  # too narrow for the noun
    assert label.shown_text() == "7 of 1,804" and label.toolTip() == "7 of 1,804 pictures"
    assert label.text() == "7 of 1,804 pictures"  # what it says, for whoever reads it
    label.resize(short // 2, 20)  # narrower than the numbers: only then "…"
    assert label.shown_text().endswith("…")
    label.resize(label.sizeHint().width() + 10, 20)
    assert label.shown_text() == "7 of 1,804 pictures" and label.toolTip() == ""
