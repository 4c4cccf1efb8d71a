"""The "Check data" panel's thread (a :class:`~cnnstudio.ui.workers.LatestTask`): Cancel says "Stopping…" and then
that nothing was changed, the thread is deleted once it has ended, and closing waits for it and hears nothing more of
it. Its bar says a share as every page does ("40%"). A real check of real pictures in a real project."""

from __future__ import annotations

import re

from shiboken6 import isValid

from cnnstudio.project import import_paths
from cnnstudio.ui.data.check_panel import CheckPanel
from cnnstudio.ui.session import ProjectSession
from tests.conftest import write_dataset


def _panel(project, tmp_path, qtbot) -> CheckPanel:
    import_paths(project, [write_dataset(tmp_path / "src", ("cat", "dog"), per_class=12)], labels_from_folders=True)
    panel = CheckPanel(ProjectSession(project))
    qtbot.addWidget(panel)
    return panel


def test_cancel_says_stopping_then_nothing_changed_and_the_thread_goes(project, tmp_path, qtbot):
    panel = _panel(project, tmp_path, qtbot)
    assert panel.progress.format() == "%p%"  # "0%" from the start, as "93%" everywhere
    panel.run.click()
    thread = panel.thread
    assert thread is not None and panel.cancel.isVisibleTo(panel)
    panel.cancel.click()
    assert panel.summary.text() == "Stopping…"
    with qtbot.waitSignal(panel.task.ended, timeout=60_000):
        pass
    assert panel.summary.text() == "The check was stopped: nothing was changed."
    assert panel.thread is None and panel.run.isEnabled() and not panel.cancel.isVisibleTo(panel)
    qtbot.waitUntil(lambda: not isValid(thread))  # an ended thread is deleted, not kept for the panel's life


def test_a_finished_check_shows_its_share_without_a_space(project, tmp_path, qtbot):
    panel = _panel(project, tmp_path, qtbot)
    seen = []
    panel.task.progress.connect(lambda *_: seen.append((panel.progress.format(), panel.summary.text())))
    with qtbot.waitSignal(panel.checked, timeout=180_000):
        panel.run.click()
    qtbot.waitUntil(lambda: panel.thread is None)
    shares = [f for f, _ in seen if f]
    assert shares and all(f.endswith("%") and f[:-1].isdigit() for f in shares), seen
    # QA: "100%" while the labels' last round still ran; each step's words with its own count
    assert shares[-1] == "100%" and "100%" not in shares[:-1], seen
    assert any(re.search(r"\(\d[\d,]* of \d", words) for _, words in seen), seen


def test_closing_waits_for_the_check_and_hears_nothing_more_of_it(project, tmp_path, qtbot):
    panel = _panel(project, tmp_path, qtbot)
    panel.run.click()
    thread = panel.thread
    panel.shutdown()
    assert not isValid(thread) or thread.isFinished()  # waited for
    said = panel.summary.text()
    qtbot.waitUntil(lambda: not isValid(thread))  # deleted; what it said on the way out is not heard
    assert panel.summary.text() == said == "Starting the data check…"
    assert panel.thread is None
