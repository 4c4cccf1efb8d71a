"""The Evaluate page on a small laptop's screen (1,024 x 614 pixels: 1280 x 800 at 125 %), QA: the page made the
window 630 (validation) and 650 (test) pixels tall, past the screen's bottom; forced back to 614, the words under
"Per class" were cut, an advice's last line hid under the next one, the per-class table showed one of its two classes
and the 2 x 2 confusion matrix scrolled. Now the window may be as small as the screen, on both pictures, and what the
scores say is whole: every class's row, every cell of the matrix, every line of the words under the tables."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication

from tests.ui.test_training_view import open_trained

SMALL = (1024, 614)


def _laid_out() -> None:
    """Every layout settled: a label keeps its lines by a minimum height set as it is resized, which asks the window
    for a new minimum (a layout request) only then."""
    from PySide6.QtCore import QCoreApplication, QEvent

    for _ in range(6):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        QApplication.processEvents()


def _inside(widget, top) -> bool:
    """``widget`` is laid out whole inside ``top`` (nothing of it below ``top``'s bottom)."""
    return widget.mapTo(top, QPoint(0, widget.height())).y() <= top.height()


def _scores_whole(page) -> None:
    panel = page.scores_panel
    _laid_out()
    table, matrix = panel.per_class, panel.confusion
    rows = [r for r in range(table.rowCount()) if not table.isRowHidden(r)]
    assert len(rows) == 2
    for r in rows:  # every class's row inside the table's viewport
        top = table.rowViewportPosition(r)
        assert top >= 0 and top + table.rowHeight(r) <= table.viewport().height(), (r, table.viewport().height())
    assert not matrix.verticalScrollBar().isVisible() and not matrix.horizontalScrollBar().isVisible()
    for label in (panel.confusion_title, panel.range_note):  # every line of the words, inside the panel
        if label.isVisible():
            assert label.height() >= label.heightForWidth(label.width()), label.text()
            assert _inside(label, panel), label.text()


def test_the_evaluate_page_fits_a_small_screen_on_validation_and_test_pictures(window, qtbot, tmp_path):
    open_trained(window, qtbot, tmp_path, identical=True)  # two classes, the model learned nothing: advice
    page = window.workspace.evaluate_page
    window.resize(*SMALL)
    with qtbot.waitSignal(page.evaluated, timeout=30_000):
        window.workspace.show_step(4)
    for split in ("val", "test"):
        if split == "test":
            with qtbot.waitSignal(page.evaluated, timeout=30_000):
                page.evaluate(page.run_combo.currentData(), "test")
        qtbot.waitUntil(lambda: window.height() == SMALL[1])
        _laid_out()
        assert page.result["split"] == split and len(page.advice.items) >= 3
        assert window.minimumSizeHint().height() <= SMALL[1], (split, window.minimumSizeHint())
        _scores_whole(page)
        _findings_whole(page.advice_box)
        # over the test pictures a line says which pictures the findings' numbers come from
        assert page.advice_box.note.isVisible() == (split == "test")
        smallest = window.minimumSizeHint().height()  # made as short as it may be: the scores still whole, the
        window.resize(SMALL[0], smallest)  # findings scroll (that line made the advice keep its whole height)
        qtbot.waitUntil(lambda: window.height() == smallest)
        _laid_out()
        assert window.height() == window.minimumSizeHint().height() == smallest
        _scores_whole(page)
        _findings_whole(page.advice_box)
        window.resize(*SMALL)
    # folded by the user, the findings stay folded for other pictures (and the page needs less room)
    page.advice_box.header.click()
    with qtbot.waitSignal(page.evaluated, timeout=30_000):
        page.evaluate(page.run_combo.currentData(), "val")
    assert page.advice_box.isVisible() and not page.advice_box.is_open and not page.advice.isVisible()
    assert window.minimumSizeHint().height() <= SMALL[1]
    _scores_whole(page)


def _findings_whole(box) -> None:
    """The findings are open, in their scroll area: each sentence has every line it needs (none hidden under the next
    finding), the first is whole in sight; the header's words fit it."""
    _laid_out()
    assert box.isVisible() and box.is_open and box.area.isVisible()
    for text in box.panel._texts:
        assert text.height() >= text.heightForWidth(text.width()) > 0, text.text()
    first = box.panel._texts[0]
    assert first.mapTo(box.area.viewport(), QPoint(0, first.height())).y() <= box.area.viewport().height()
    room = box.header.width() - box.header.iconSize().width() - 16
    assert box.header.fontMetrics().horizontalAdvance(box.header.text()) <= room, box.header.text()


def test_a_class_name_of_a_few_letters_shows_whole_in_the_per_class_table(window, qtbot, tmp_path):
    """The splitter gives the per-class table room for its class names where the mistakes can spare it (QA:
    "mushroom" read "mu…om" at 1,024 pixels); the mistakes keep what they need."""
    open_trained(window, qtbot, tmp_path, identical=True)
    page = window.workspace.evaluate_page
    window.resize(*SMALL)
    with qtbot.waitSignal(page.evaluated, timeout=30_000):
        window.workspace.show_step(4)
    ev = page.result  # the same evaluation, its classes named longer (a run says the names it was trained with)
    new = dict(zip(ev["classes"], ("grey mushrooms", "red triangles")))
    page._show({**ev, "classes": [new[c] for c in ev["classes"]],
                "per_class": {new[c]: v for c, v in ev["per_class"].items()},
                "misclassified": [{**m, "true": new[m["true"]], "predicted": new[m["predicted"]]}
                                  for m in ev["misclassified"]]})
    table = page.scores_panel.per_class
    need = max(table.fontMetrics().horizontalAdvance(n) for n in ("grey mushrooms", "red triangles"))
    qtbot.waitUntil(lambda: table.columnWidth(0) >= need)
    _laid_out()
    assert page.tabs.width() >= page.tabs.minimumSizeHint().width() and window.width() == SMALL[0]
