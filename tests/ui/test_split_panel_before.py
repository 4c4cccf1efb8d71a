"""The Split & health tab before there is anything to split (QA Data step #6, #16, #18): Split is off with the reason
and records no undo step that moves nothing; the chart waits for a picture in a split behind a one-line note; the
Split button names the menu's keys (shortcuts.SPLIT_KEYS)."""

from __future__ import annotations

from cnnstudio.ui.data.shortcuts import SPLIT_KEYS
from cnnstudio.project.health import NOTHING_TO_SPLIT
from cnnstudio.ui.data.split_panel import NO_SPLIT_YET
from tests.ui.conftest import open_data_page


def test_split_waits_for_a_labelled_picture_and_moves_nothing_before(window, tmp_path):
    data = open_data_page(window, tmp_path, ("cat", "dog"), per_class=4)
    panel, s = data.workspace.data.splits, data.session
    assert not panel.apply.isEnabled() and panel.apply.toolTip() == NOTHING_TO_SPLIT
    panel.do_split()  # Edit > Split Dataset, or the data check's "Split now"
    assert window.statusBar().currentMessage() == NOTHING_TO_SPLIT and s.undo_stack.count() == 0
    assert "no picture has a class" in NOTHING_TO_SPLIT and "enough" not in NOTHING_TO_SPLIT
    window.statusBar().clearMessage()
    panel.carve_asked()  # the data check's "take validation from train", the labels gone since it looked
    assert window.statusBar().currentMessage() == NOTHING_TO_SPLIT and s.undo_stack.count() == 0
    s.label(s.project.ids()[:2], s.project.classes()[0].id)
    assert panel.apply.isEnabled() and panel.apply.toolTip() == (
        f"Divide the labelled pictures into train / validation / test, per class ({SPLIT_KEYS})")
    assert "Ctrl+Shift+S" not in panel.apply.toolTip()


def test_the_chart_waits_for_a_picture_in_a_split_behind_a_note(window, tmp_path, qtbot):
    data = open_data_page(window, tmp_path, ("cat", "dog"), per_class=6)
    panel, s = data.workspace.data.splits, data.session
    ids = s.project.ids()
    s.label(ids[:3], s.project.classes()[0].id)
    s.label(ids[3:], s.project.classes()[1].id)
    assert panel.chart.isHidden() and panel.no_split_note.isVisible() and panel.no_split_note.text() == NO_SPLIT_YET
    panel.apply.click()
    qtbot.waitUntil(lambda: panel.chart.isVisible(), timeout=30_000)
    assert panel.no_split_note.isHidden()
    window.session.undo_stack.undo()  # nothing in a split again
    assert panel.chart.isHidden() and panel.no_split_note.isVisible()


def test_a_val_share_of_0_is_said_once_without_naming_the_tab_in_view(window, tmp_path):
    data = open_data_page(window, tmp_path, ("cat",), per_class=2)
    panel = data.workspace.data.splits
    panel.val.setValue(0)
    panel.carve_asked()
    assert window.statusBar().currentMessage() == "Nothing was split: Val is 0%. Give it a share above 0% first."
