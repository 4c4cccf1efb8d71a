"""The one-click search ("Find better settings (15 minutes)") never throws the user's choices away unseen: it asks
once, naming what changes, and says after what it did; a form with the usual choices starts at once. Real page,
real study process (stopped before its first trial)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from cnnstudio.engine.tune.events import StudyEnded
from cnnstudio.engine.tune.space import default_space
from cnnstudio.ui.tune.quick_words import quick_changes
from tests.ui.test_tune_page import open_tune

MINE = {"epochs": 1, "params": {"lr": {"low": 1e-3, "high": 3e-2, "log": True}}}


def _answer(seen: list, go: bool) -> None:
    def look():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            seen.append(None)
            return
        seen.append(box.text())
        for b in box.buttons():
            if (box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole) == go:
                b.click()
                return
    QTimer.singleShot(0, look)


def test_the_words_name_only_what_the_user_chose():
    usual = default_space(True)
    assert quick_changes(usual, (20, 15.0), usual, 15, first_budget=(20, 15.0)) == []
    assert quick_changes(usual, (None, 15.0), usual, 15, first_budget=(20, 15.0)) == []
    assert quick_changes(MINE, (1, 1.0), usual, 15, first_budget=(20, 15.0)) == [
        "the budget of 1 trial and 1 minute becomes 15 minutes", "1 epoch per trial becomes Auto",
        "the settings to try go back to their usual ranges"]


def test_find_better_asks_before_it_replaces_the_users_choices_and_says_what_it_did(window, qtbot, tmp_path):
    page = open_tune(window, qtbot, tmp_path)
    page.form.set_space(MINE)
    page.form.set_budget(1, 1)
    seen = []
    _answer(seen, go=False)  # Cancel: nothing changes, nothing starts
    assert not page.find_better()
    assert seen and "the budget of 1 trial and 1 minute becomes 15 minutes" in seen[0], seen
    assert "1 epoch per trial becomes Auto" in seen[0]
    assert not page.running and page.form.budget() == (1, 1.0) and page.form.space()["epochs"] == 1

    seen.clear()
    _answer(seen, go=True)
    with qtbot.waitSignal(page.study_ended, timeout=60_000) as ended:
        assert page.find_better()
        said = page.status.text()
        page.stop_button.click()
    assert said.startswith("Starting the usual search for 15 minutes; the usual choices are back on the left "
                           "(the budget of 1 trial and 1 minute becomes 15 minutes; 1 epoch per trial becomes Auto"), said
    assert isinstance(ended.args[0], StudyEnded)
    assert page.form.budget() == (None, 15.0) and page.form.space() == default_space(True)

    seen.clear()  # the usual choices now: nothing to ask
    _answer(seen, go=False)
    with qtbot.waitSignal(page.study_ended, timeout=60_000):
        assert page.find_better()
        page.stop_button.click()
    assert seen == [None]
