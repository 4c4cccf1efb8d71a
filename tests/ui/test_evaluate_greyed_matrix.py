"""Re-QA N10: while an evaluation ran, the scores were greyed but the confusion matrix kept its green and pink cells,
so it looked current. It is greyed with the rest, and its colours come back with the scores."""

from __future__ import annotations

from PySide6.QtGui import QColor

from tests.ui.test_training_view import open_trained


def _most_colour(view) -> int:
    """The largest saturation of the matrix's cells on screen (0: greys only)."""
    img = view.viewport().grab().toImage()
    return max(QColor(img.pixel(x, y)).hslSaturation() for x in range(0, img.width(), 3)
               for y in range(0, img.height(), 3))


def test_the_matrix_is_greyed_while_it_evaluates_again(window, qtbot, tmp_path):
    open_trained(window, qtbot, tmp_path)
    window.resize(1280, 800)
    page = window.workspace.evaluate_page
    with qtbot.waitSignal(page.evaluated, timeout=30_000):
        window.workspace.show_step(4)
    assert _most_colour(page.confusion) > 80  # the heat map's green
    with qtbot.waitSignal(page.evaluated, timeout=30_000):
        page.again.click()
        assert not page.confusion.isEnabled()
        assert _most_colour(page.confusion) < 30  # greys while the scores are of before
    assert page.confusion.isEnabled() and _most_colour(page.confusion) > 80
