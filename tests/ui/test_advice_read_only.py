"""Re-QA N2: in a project open for viewing only, the Evaluate page's "Train 20 more epochs" still set up a run the
Train page could not start, and changed settings that could not be saved. The advice buttons that set up or train a
run are off there, the project's read-only sentence their tooltip, as the mistakes' buttons are; "Look at the
mistakes" only lists, and stays on."""

from __future__ import annotations

from cnnstudio.ui.advice_panel import button_tip, button_words
from tests.ui.test_read_only_pages import _open_read_only
from tests.ui.test_training_view import open_trained


def test_the_rule_turns_off_what_would_train_and_keeps_look_at_the_mistakes():
    why = "MyProject was opened read-only, so CNN Studio cannot set up or train a new run."
    more = {"id": "more_epochs", "label": "Train 20 more epochs", "page": "Train", "run": "r1"}
    look = {"id": "look_at_mistakes", "label": "Look at the mistakes", "page": "Evaluate", "classes": ["a", "b"]}
    resume = {"id": "resume", "label": "Resume", "resume": "r1", "page": "Train"}
    assert button_words(more, why) == (why, False) and button_words(resume, why) == (why, False)
    assert button_words(look, why) == (button_tip(look), True)
    assert button_words(more) == (button_tip(more), True)
    assert all(button_tip(a).endswith(".") for a in (more, look, resume, {"page": "Model"}))


def test_read_only_evaluate_page_offers_no_training(window, qtbot, tmp_path):
    open_trained(window, qtbot, tmp_path, identical=True)  # nothing can be learned: "Train 20 more epochs"
    root = window.session.project.root
    window.close_project()
    _open_read_only(window, root)
    try:
        window.resize(1280, 800)
        page = window.workspace.evaluate_page
        with qtbot.waitSignal(page.evaluated, timeout=30_000):
            window.workspace.show_step(4)
        (more,) = [b for b in page.advice.buttons if b.text().startswith("Train a new run for ")]
        assert not more.isEnabled()
        assert "opened read-only in this window" in more.toolTip() and "set up or train a new run" in more.toolTip()
        assert more.toolTip().endswith(".")
        epochs = window.workspace.train_page.settings_form.epochs.value()
        more.click()  # a disabled button does nothing
        assert window.workspace.nav.currentRow() == 4 and window.workspace.train_page.settings_form.epochs.value() \
            == epochs
    finally:
        window.close_project()
