"""Live numbers on the Train page: changing them repaints them, without re-laying out the window and
without a paint pass of its own."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from cnnstudio.ui.train.live_text import LiveText, progress_bar, set_progress


class Counter(QObject):
    def __init__(self, *kinds):
        super().__init__()
        self.kinds, self.n = kinds, 0

    def eventFilter(self, obj, ev):  # noqa: N802 - Qt's name
        if ev.type() in self.kinds:
            self.n += 1
        return False


def _window(qtbot, child):
    w = QWidget()
    lay = QVBoxLayout(w)
    lay.addWidget(child)
    lay.addWidget(QLabel("something else"))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    QApplication.processEvents()
    return w


def _layout_requests_after(qtbot, widget, change, keep: list) -> int:
    w = _window(qtbot, widget)
    keep.append(w)
    counter = Counter(QEvent.Type.LayoutRequest)
    w.installEventFilter(counter)
    for i in range(5):
        change(widget, "epoch 1 of 5 · " + "9" * (i * 7) + " pictures/s")
        QApplication.processEvents()
    w.removeEventFilter(counter)
    return counter.n


def test_live_text_changes_without_relayout_where_a_label_relayouts(qtbot):
    live, keep = LiveText(""), []
    assert _layout_requests_after(qtbot, live, LiveText.setText, keep) == 0
    assert live.text().endswith("pictures/s") and live.toolTip() == live.text()
    assert _layout_requests_after(qtbot, QLabel(""), QLabel.setText, keep) > 0  # what it saves
    assert live.sizeHint().height() == live.fontMetrics().height() + 4


def test_set_progress_paints_with_the_next_pass_not_at_once(qtbot):
    bar = progress_bar()
    bar.setRange(0, 100)
    window = _window(qtbot, bar)
    paints = Counter(QEvent.Type.Paint)
    bar.installEventFilter(paints)
    set_progress(bar, 40)
    assert bar.value() == 40 and paints.n == 0  # nothing painted yet ...
    qtbot.waitUntil(lambda: paints.n > 0)  # ... the next paint pass does
    n = paints.n
    bar.setValue(60)  # QProgressBar's own setter repaints at once
    assert paints.n > n
    assert bar.isTextVisible() and "chunk" in bar.styleSheet() and bar.window() is window


def test_a_line_that_says_from_scratch_or_transfer_learning_explains_them_in_its_tooltip(qtbot):
    from cnnstudio.project.glossary import tip

    line = ("Trained from scratch: 120 training pictures per class are enough for it (transfer learning is tried "
            "below 100 per class)")
    live = LiveText("")
    qtbot.addWidget(live)
    live.setText(line)
    assert live.toolTip() == f"{line}\n\n{tip('from scratch', 'transfer learning')}"
    live.setText("epoch 3 of 10 · 2.1 s per epoch")  # nothing to explain: the line alone
    assert live.toolTip() == "epoch 3 of 10 · 2.1 s per epoch"
    from cnnstudio.ui.train.live_text import WrappingLabel

    status = WrappingLabel("Ready.")
    qtbot.addWidget(status)
    status.setText(f"Finished: validation accuracy 97%. {line}.")  # the Train page's finished line wraps, whole
    assert status.toolTip() == tip("from scratch", "transfer learning")
    status.setText("Ready.")
    assert status.toolTip() == ""
