"""Closing the project, or opening another, while the Evaluate page evaluates: the evaluation is stopped and nothing
goes wrong. The thread's own 'finished' still arrives after the page let go of the thread; it is ignored."""

from __future__ import annotations

import shutil

from shiboken6 import isValid

from cnnstudio.project.open_lock import LOCK_NAME
from cnnstudio.ui.evaluate.split_words import CANCELLED, EVALUATING
from tests.ui.test_training_view import open_trained


def _evaluating(window, qtbot, tmp_path):
    """The Evaluate page of a trained project, a fresh evaluation just started: no event processed since, so its
    thread's 'finished' is still to come however fast the evaluation is."""
    open_trained(window, qtbot, tmp_path)
    page = window.workspace.evaluate_page
    with qtbot.waitSignal(page.evaluated, timeout=30_000):
        window.workspace.show_step(4)
    page.again.click()
    assert page.thread is not None and page.summary.text() == EVALUATING
    return page


def test_closing_the_project_while_it_evaluates_goes_without_an_error(window, qtbot, tmp_path, reporter):
    page = _evaluating(window, qtbot, tmp_path)
    with qtbot.captureExceptions() as raised:
        window.close_project()
        qtbot.waitUntil(lambda: not isValid(page), timeout=30_000)  # the queued 'finished' came before it went
    assert not raised, raised
    assert reporter.dialog is None  # no "Something went wrong"
    assert window.session is None


def test_opening_another_project_while_it_evaluates_goes_without_an_error(window, qtbot, tmp_path, reporter):
    page = _evaluating(window, qtbot, tmp_path)
    other = tmp_path / "other"
    shutil.copytree(window.session.project.root, other, ignore=shutil.ignore_patterns(LOCK_NAME))
    with qtbot.captureExceptions() as raised:
        assert window.open_project(other)
        qtbot.waitUntil(lambda: not isValid(page), timeout=30_000)
    assert not raised, raised
    assert reporter.dialog is None
    assert window.session.project.root == other


def test_after_closing_while_it_evaluates_the_page_is_idle(window, qtbot, tmp_path):
    page = _evaluating(window, qtbot, tmp_path)
    page.evaluate(page.run_combo.currentData(), "test")  # chosen meanwhile: waits for the evaluation to end
    assert page._wanted is not None
    page.shutdown()
    assert page.thread is None and not page.task.busy
    assert page._wanted is None and page._pending is None and not page._cancelled  # nothing waits to be evaluated
    assert not page.progress.isVisibleTo(page) and not page.cancel_button.isVisibleTo(page)
    assert page.again.isEnabled() and page.scores.isEnabled() and page.advice.isEnabled()
    assert page.escape.key().isEmpty()  # Escape is nobody's: nothing runs
    assert page.summary.text() == CANCELLED
