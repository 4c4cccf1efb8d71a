"""Open Sample Project in the window (ui/sample_open.py): the sample is made in a worker, split with its copies and near
copies of a picture kept in one split, so it opens with no leak by Split's own grouping; Cancel leaves it to be
finished the next time."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from cnnstudio.engine.runs.split_groups import find_split_groups
from cnnstudio.project.sample import STOPPED
from cnnstudio.project.split_together import group_splits, together


def test_the_sample_made_by_the_app_keeps_every_copy_in_one_split(window, qtbot):
    assert window.open_sample()
    assert not window.open_sample()  # already being made: nothing more happens
    qtbot.waitUntil(lambda: window.session is not None, timeout=120_000)
    project = window.session.project
    assert project.count() == 1797
    groups = find_split_groups(project)
    lie = together(groups, group_splits(project, groups))
    assert lie.kept > 0 and lie.apart == 0  # 14 pairs apart before: Check data called them leaks


def test_a_cancelled_sample_is_not_opened_and_says_how_to_finish_it(window, qtbot):
    assert window.open_sample()
    window.sample.dialog.findChild(QPushButton).click()  # the progress dialog's Cancel
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == STOPPED, timeout=60_000)
    assert window.session is None and window.stack.currentWidget() is window.welcome
    assert window.open_sample()  # finished now
    qtbot.waitUntil(lambda: window.session is not None, timeout=120_000)
    assert window.session.project.meta("split_settings") is not None
