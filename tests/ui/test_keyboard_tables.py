"""Keyboard: Tab leaves every table (keyboard.tab_leaves), Enter and Space open what a click opens (QA a11y 1, 2, 13),
and the focused confusion-matrix cell keeps its number readable (12)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QTableWidget

from cnnstudio.ui.keyboard import focus_colour, install_focus_style, tab_leaves
from tests.ui.test_training_view import open_trained


def tab_out(qtbot, view: QAbstractItemView, presses: int = 3, key=Qt.Key.Key_Tab) -> None:
    """From a cell inside ``view``, ``presses`` Tabs (or Backtabs) take focus out of it."""
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    model = view.model()
    if model is not None and model.rowCount() and model.columnCount():
        view.setCurrentIndex(model.index(0, 0))
    for _ in range(presses):
        QTest.keyClick(QApplication.focusWidget(), key)
        if QApplication.focusWidget() is not view and not view.isAncestorOf(QApplication.focusWidget()):
            return
    raise AssertionError(f"{view.accessibleName() or view} kept focus after {presses} presses of {key}")


def test_tab_leaves_a_table_of_the_helper(qtbot):
    from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

    w = QWidget()
    table = QTableWidget(3, 3)
    after = QPushButton("after")
    lay = QVBoxLayout(w)
    lay.addWidget(table)
    lay.addWidget(after)
    qtbot.addWidget(w)
    w.show()
    assert table.tabKeyNavigation()  # Qt's default: the trap
    tab_leaves(table)
    tab_out(qtbot, table, presses=1)
    assert after.hasFocus()


def test_every_table_of_train_and_evaluate_lets_tab_out_and_enter_opens_a_cell(window, qtbot, tmp_path):
    window.resize(1024, 614)
    open_trained(window, qtbot, tmp_path, identical=True)
    train = window.workspace.train_page
    window.workspace.show_step(2)
    qtbot.waitUntil(lambda: train.runs.table.isVisible())
    tab_out(qtbot, train.runs.table)
    tab_out(qtbot, train.runs.table, key=Qt.Key.Key_Backtab)
    page = window.workspace.evaluate_page
    with qtbot.waitSignal(page.evaluated, timeout=30_000):
        window.workspace.show_step(4)
    for view in (page.confusion, page.per_class, page.mistakes):
        assert not view.tabKeyNavigation(), view.accessibleName()
        tab_out(qtbot, view)
    # the tab bar and the per-class table are reached by Tab from the confusion matrix
    reached = set()
    page.confusion.setFocus()
    for _ in range(12):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.add(QApplication.focusWidget())
    assert page.per_class in reached and page.tabs.tabBar() in reached
    # Enter on a cell shows its pictures, as a click does; Space too
    page.confusion.setFocus()
    page.confusion.setCurrentIndex(page.confusion_model.index(0, 1))
    page.tabs.setCurrentIndex(0)
    with qtbot.waitSignal(page.cell_shown) as shown:
        QTest.keyClick(page.confusion, Qt.Key.Key_Return)
    assert shown.args[:2] == [0, 1] and page.tabs.currentIndex() == 1
    assert "Pictures of a cell" in page.tabs.tabText(1)
    page.confusion.setCurrentIndex(page.confusion_model.index(1, 0))
    with qtbot.waitSignal(page.cell_shown) as shown:
        QTest.keyClick(page.confusion, Qt.Key.Key_Space)
    assert shown.args[:2] == [1, 0]
    # the focused cell: its number drawn over the frame, in its colour (readable)
    page.confusion.setFocus()
    index = page.confusion_model.index(0, 0)
    page.confusion.setCurrentIndex(index)
    page.confusion.viewport().repaint()
    rect = page.confusion.visualRect(index)
    image = page.confusion.viewport().grab(rect).toImage()
    image.save("/tmp/kbshots/confusion_focus.png")
    middle = [QColor(image.pixel(x, rect.height() // 2)) for x in range(4, image.width() - 4)]
    assert any(c.lightness() < 60 for c in middle)  # the number is drawn, dark on its pale cell
    assert QColor(image.pixel(0, rect.height() // 2)) == focus_colour(page.confusion)  # the app's focus frame
    # Enter on a mistake opens its preview, as a double-click does
    page.tabs.setCurrentIndex(0)
    if page.mistakes.rowCount():
        page.mistakes.setFocus()
        page.mistakes.setCurrentCell(0, 1)
        QTest.keyClick(page.mistakes, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: page.preview_dialog is not None and page.preview_dialog.isVisible())
        page.preview_dialog.close()


def test_enter_in_the_layer_catalogue_adds_the_layer(window, qtbot, tmp_path):
    from tests.ui.test_training_view import make_project

    assert window.open_project(make_project(tmp_path))
    palette = window.workspace.model_page.layer_palette
    chosen = []
    palette.chosen.connect(chosen.append)
    tree = palette.tree
    tree.setFocus()
    layer = tree.topLevelItem(0).child(0)
    tree.setCurrentItem(layer)
    QTest.keyClick(tree, Qt.Key.Key_Return)
    assert chosen == [layer.data(0, Qt.ItemDataRole.UserRole)]


def test_the_focus_frame_goes_round_the_whole_of_a_narrow_cell(window, qtbot, tmp_path):
    """QA keyboard leftover 2: a cell with a colour swatch (the Classes table's class) framed its words only, a sliver
    in a narrow column; now every cell's frame is its whole cell, two pixels on each side, nothing outside it."""
    from tests.ui.test_training_view import make_project

    app = QApplication.instance()
    before = app.style().name()
    install_focus_style(app)
    try:
        assert window.open_project(make_project(tmp_path))
        window.resize(1024, 614)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        tree = window.workspace.data.classes.tree
        tree.setFocus()
        qtbot.waitUntil(tree.hasFocus)
        colour = focus_colour(tree)
        for column in (0, 1, 3):  # the key "1"; the class, its swatch then its name; the validation count
            tree.setCurrentItem(tree.topLevelItem(0), column)
            tree.viewport().repaint()
            rect = tree.visualRect(tree.currentIndex())
            assert rect.width() < 120  # a narrow cell (the class name has the "No split" column's room once all are split)
            image = tree.viewport().grab().toImage()
            framed = [(x, y) for x in range(image.width()) for y in range(image.height())
                      if QColor(image.pixel(x, y)) == colour]
            assert framed and all(rect.contains(x, y) for x, y in framed), column  # nothing outside the cell
            middle = rect.center()
            for x, y in ((rect.left(), middle.y()), (rect.left() + 1, middle.y()), (rect.right(), middle.y()),
                         (rect.right() - 1, middle.y()), (middle.x(), rect.top()), (middle.x(), rect.top() + 1),
                         (middle.x(), rect.bottom()), (middle.x(), rect.bottom() - 1)):
                assert QColor(image.pixel(x, y)) == colour, (column, x, y)  # two pixels on each side
    finally:
        app.setStyle(before)
