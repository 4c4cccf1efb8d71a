"""Re-QA N12: tooltips on the Evaluate and Predict pages and the camera panels are sentences and end with a full stop
("…as if a camera sent them", "Look for cameras again (after plugging one in)" and others did not)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from tests.ui.test_training_view import open_trained


def _unfinished(root: QWidget) -> list[str]:
    """Each line of every tooltip under ``root`` that is a sentence without its full stop."""
    bad = []
    for w in [root, *root.findChildren(QWidget)]:
        for line in w.toolTip().split("\n"):
            line = line.strip()
            if line and " " in line and not line.endswith((".", "?", "!", "…", ":")):
                bad.append(f"{type(w).__name__} {w.objectName() or w.accessibleName()}: {line}")
    return bad


def test_the_tooltips_of_evaluate_predict_and_the_camera_end_with_a_full_stop(window, qtbot, tmp_path):
    open_trained(window, qtbot, tmp_path, identical=True)  # mistakes, advice and its buttons
    ws = window.workspace
    with qtbot.waitSignal(ws.evaluate_page.evaluated, timeout=30_000):
        ws.show_step(4)
    assert _unfinished(ws.evaluate_page) == []
    ws.show_step(5)
    predict = ws.predict_page
    for i in range(predict.tabs.count()):
        predict.tabs.setCurrentIndex(i)
    assert _unfinished(predict) == []
    panel = ws.data.open_camera()
    try:
        assert _unfinished(panel) == []
    finally:
        panel.shutdown()
