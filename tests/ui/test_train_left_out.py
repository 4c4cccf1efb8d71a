"""Labelled pictures in no split while others have one are left out of training: the Train page says so beside
Start, with this page's next step (the Data step's Split), and Start still trains (project/left_out.py's rule and
sentence). A real window on a real project, split by the session as the Data page does."""

from __future__ import annotations

from cnnstudio.project.left_out import left_out_words
from cnnstudio.ui.train.start_blocker import LEFT_OUT_FIX
from tests.ui.test_training_view import open_tiny


def test_pictures_in_no_split_are_said_left_out_beside_start_which_still_trains(window, qtbot, tmp_path):
    page = open_tiny(window, tmp_path)
    window.workspace.show_step_key("train")
    qtbot.waitUntil(page.isVisible)
    assert not page.left_out.isVisible()
    s = window.session
    ids = s.project.ids()[:2]
    s.set_split(ids, None)  # two labelled pictures out of any split (as if imported after the first split)
    qtbot.waitUntil(page.left_out.isVisible, timeout=5000)
    assert page.left_out.toolTip() == left_out_words(2, LEFT_OUT_FIX)
    assert page.left_out.toolTip().startswith("2 labelled pictures have no split yet, so training leaves them out: "
                                              "go to the Data step and press 'Split'")
    assert page.start_button.isEnabled() and not page.blocked_box.isVisible()  # a note, not a blocker
    with qtbot.waitSignal(page.go_to_data, timeout=1000):
        page.left_out.linkActivated.emit("data")
    window.workspace.show_step_key("train")
    s.set_split(ids, "train")
    qtbot.waitUntil(lambda: not page.left_out.isVisible(), timeout=5000)
