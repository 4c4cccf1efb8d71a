"""When the Tune page's Continue is on: not after a search that ended because its trials kept failing (it replays
the study's own starting settings, so it would only fail again), and not held back by a typo in the ranges, which
only Start reads.

The page is the real one, offscreen, fed the engine's own event dataclasses.
"""

from __future__ import annotations

from cnnstudio.engine.tune.events import StudyEnded, StudyStarted
from cnnstudio.ui.tune.study_inputs import CONTINUE_TIP, FAILING_TIP, continue_refusal
from cnnstudio.ui.tune.tune_state import shown_text
from tests.ui.test_training_view import make_project

LR = {"low": 1e-4, "high": 1e-1, "log": True}
WHY = "3 trials in a row failed: out of memory. The search stopped."
FAILED = {"study": "s", "trials": 3, "complete": 0, "pruned": 0, "failed": 3, "stopped": 0, "best": None,
          "ended_why": WHY, "said": WHY}
FINISHED = {"study": "s", "trials": 2, "complete": 2, "pruned": 0, "failed": 0, "stopped": 0, "best": None,
            "ended_why": "", "said": "Best: trial 1."}


def _open_tune(window, qtbot, tmp_path):
    assert window.open_project(make_project(tmp_path))
    window.workspace.show_step(3)
    page = window.workspace.tune_page
    qtbot.waitUntil(page.isVisible)
    return page


def _ended(page, summary: dict, reason: str) -> None:
    page._on_event(StudyStarted("s", "journal", {"epochs": 1, "params": {"lr": LR}}, "accuracy", True, 0))
    page._on_event(StudyEnded(reason, summary))
    page._update_buttons()


def test_continue_is_off_after_a_search_whose_trials_kept_failing_and_says_why():
    assert continue_refusal(FAILED) == FAILING_TIP and continue_refusal(FINISHED) == ""
    assert continue_refusal(None) == ""
    assert FAILING_TIP.endswith(".") and "start a new search" in FAILING_TIP
    # read back (chosen in the list), it says why it ended, as it did live
    assert shown_text(FAILED) == ("The search ended (its trials kept failing). 3 trials: 0 finished, 0 stopped "
                                  "early, 3 failed.")
    assert shown_text(FINISHED) == "2 trials: 2 finished, 0 stopped early, 0 failed."


def test_the_page_turns_continue_off_after_a_failing_end_live_and_read_back(window, qtbot, tmp_path):
    page = _open_tune(window, qtbot, tmp_path)
    _ended(page, FINISHED, "trials")
    assert page.study_list.chosen() == "s"
    assert page.continue_button.isEnabled() and page.continue_button.toolTip() == CONTINUE_TIP
    _ended(page, FAILED, "failing")
    assert not page.continue_button.isEnabled() and page.continue_button.toolTip() == FAILING_TIP
    assert not page.continue_study()  # the method refuses too, not only the button
    page._shown({**FAILED, "rows": [], "space": {"epochs": 1, "params": {"lr": LR}}, "objective": "accuracy"})
    assert not page.continue_button.isEnabled() and page.continue_button.toolTip() == FAILING_TIP
    assert page.status.text().startswith("The search ended (its trials kept failing). 3 trials:")
    assert page.start_button.isEnabled()  # a new search is the way on


def test_a_typo_in_a_range_holds_back_start_only_and_no_budget_holds_back_both(window, qtbot, tmp_path):
    """Continue carries on its search with the study's own ranges: only the budget of the form is read."""
    page = _open_tune(window, qtbot, tmp_path)
    _ended(page, FINISHED, "trials")
    assert page.continue_button.isEnabled() and page.start_button.isEnabled()
    low = page.form.rows["lr"].low
    low.setText("0.1")  # above the largest value: an empty range
    low.textEdited.emit("0.1")
    assert page.form.space_error() and page.form.budget_error() == ""
    assert not page.start_button.isEnabled() and page.continue_button.isEnabled()
    assert page.blocked_label.text() == ("Start my search cannot start until the form on the left is fixed. "
                                         + page.form.error())
    assert page.reason() and page.reason(continued=True) == ""
    page.form.set_budget(None, None)  # no budget: Continue has nothing to run either
    assert not page.start_button.isEnabled() and not page.continue_button.isEnabled()
    assert page.blocked_label.text() == ("Start my search and Continue cannot start until the form on the left is "
                                         f"fixed. {page.form.space_error()} {page.form.budget_error()}")
    assert page.reason(continued=True) == page.form.budget_error()


def test_the_starting_line_is_start_s_while_a_search_is_chosen_and_says_what_continue_keeps(window, qtbot, tmp_path):
    """Continue replays the chosen search's own design and starting settings: the line says so (re-QA tune #6)."""
    from cnnstudio.ui.tune.study_inputs import CHANGED_FORM, CONTINUE_KEEPS

    page = _open_tune(window, qtbot, tmp_path)
    assert page.starting.text().startswith("Starts from ") and CONTINUE_KEEPS not in page.starting.text()
    page.form.set_space({"epochs": 1, "params": {"lr": LR}})
    _ended(page, FINISHED, "trials")
    page._show_starting()
    said = page.starting.text()
    assert said.startswith("Start my search starts from ") and CONTINUE_KEEPS in said and CHANGED_FORM not in said
    page.form.epochs.setValue(3)  # another number of epochs per trial: another search
    assert page.starting.text().endswith(f"{CONTINUE_KEEPS} {CHANGED_FORM}")


def test_continue_does_not_wait_for_the_model_pages_design(window, qtbot, tmp_path):
    """Continue trains the search's own design, whatever the Model page holds now: a design left invalid there holds
    back Start and the one-click search, not Continue."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    page = _open_tune(window, qtbot, tmp_path)
    _ended(page, FINISHED, "trials")
    d = page.designer
    box = d.tabs.preprocess_panel.width_box
    box.setFocus()
    box.selectAll()
    QTest.keyClicks(box, "4000")
    QTest.keyClick(box, Qt.Key.Key_Return)
    assert not d.is_valid()
    page._update_buttons()
    assert not page.start_button.isEnabled() and not page.quick_button.isEnabled()
    assert page.blocked_label.text() and not page.blocked_box.isHidden()  # the design's sentence, for Start
    assert page.continue_button.isEnabled() and page.reason(continued=True) == ""
    assert page.reason() != ""


def test_a_frozen_pretrained_design_is_not_offered_a_search_and_the_page_says_what_to_do(window, qtbot, tmp_path):
    """The head of a frozen backbone is fitted without what a search tries: Start and the one-click search are off
    with the engine's one sentence, and its button goes to the Model page; unfrozen, they come back."""
    from cnnstudio.engine.tune.space import FROZEN_NOTHING_TO_SEARCH

    page = _open_tune(window, qtbot, tmp_path)
    d = page.designer
    d.apply_preset("mobilenet_v2_transfer")
    assert d.is_valid(), d.reason()
    assert d.spec().backbone.pretrained and d.spec().backbone.freeze
    page._update_buttons()
    assert not page.start_button.isEnabled() and not page.quick_button.isEnabled()
    assert page.blocked_label.text().endswith(FROZEN_NOTHING_TO_SEARCH)
    assert page.blocked_button.text() == "Go to the Model page"
    assert page.reason() == FROZEN_NOTHING_TO_SEARCH
    d.backbone_panel.freeze.click()  # fine-tuning: the whole network learns with the searched settings
    assert not d.spec().backbone.freeze
    page._update_buttons()
    assert page.start_button.isEnabled(), page.reason()
