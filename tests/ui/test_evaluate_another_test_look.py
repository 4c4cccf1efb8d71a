"""QA: with one run's test score looked at, choosing another run in the Evaluate page's box while "Test pictures" was
chosen showed that run's test score at once, no question, and counted it looked at. Looking at both and keeping the
better one makes the test pictures a choice, so the page asks first, once per run (seen_scores.another_look_words):
Show, or Cancel (the default) and the validation pictures."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from cnnstudio.project import run_records
from cnnstudio.project.seen_scores import another_look_words, score_seen
from cnnstudio.ui.evaluate.test_look import SHOW
from tests.ui.test_evaluate_follows_best import _better_copy
from tests.ui.test_training_view import open_trained


class Answers:
    """Answers the page's questions in turn as they open ("Show" or "Cancel"), keeping each one's words; a question
    nobody expected is cancelled (so the test fails instead of waiting)."""

    def __init__(self, parent):
        self.queue: list[str] = []
        self.asked: list[tuple[str, str]] = []  # (its words, its default button's text)
        self.timer = QTimer(parent)
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._answer)
        self.timer.start()

    def _answer(self) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            return
        self.asked.append((box.text(), box.defaultButton().text()))
        answer = self.queue.pop(0) if self.queue else "Cancel"
        next(b for b in box.buttons() if b.text().replace("&", "") == answer).click()


def _choose(page, run_id: str, split: str, qtbot) -> None:
    """What the user's choice in the boxes does: the run and the pictures chosen, the box saying it was activated."""
    page.split_combo.setCurrentIndex(page.split_combo.findData(split))
    i = page.run_combo.findData(run_id)
    with qtbot.waitSignal(page.evaluated, timeout=60_000):
        page.run_combo.setCurrentIndex(i)
        page.run_combo.activated.emit(i)


def test_another_runs_test_score_is_shown_only_once_the_user_says_so(window, qtbot, tmp_path):
    first = open_trained(window, qtbot, tmp_path)
    page, project = window.workspace.evaluate_page, window.session.project
    run_records.update_run(project, first, name="gui1")
    second = _better_copy(project, first, "gui2", 1.0 + 1e-9)
    answers = Answers(page)
    with qtbot.waitSignal(page.evaluated, timeout=60_000):
        window.workspace.show_step(4)
    _choose(page, first, "test", qtbot)  # the first look at a test score: nothing to ask
    assert answers.asked == [] and page.result["split"] == "test"
    assert score_seen(run_records.get_run(project, first).summary)

    words = another_look_words(project, second)
    assert words.startswith("You have already looked at the test score of “gui1”.")
    _choose(page, second, "test", qtbot)  # "Test pictures" still chosen, another run: asked, and Cancel
    assert answers.asked == [(words, "Cancel")]  # Cancel the default: Enter shows nothing
    assert (page.run_id, page.result["split"], page.split_combo.currentData()) == (second, "val", "val")
    assert not score_seen(run_records.get_run(project, second).summary)  # not looked at

    answers.queue.append(SHOW)
    _choose(page, second, "test", qtbot)  # asked again (nothing was shown), and Show
    assert len(answers.asked) == 2 and page.result["split"] == "test" and page.run_id == second
    assert score_seen(run_records.get_run(project, second).summary)

    _choose(page, first, "test", qtbot)  # both looked at already: no new choice, no question
    _choose(page, second, "test", qtbot)
    assert len(answers.asked) == 2 and page.result["split"] == "test"
