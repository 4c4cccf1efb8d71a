"""QA: "Recommended settings" on the Train page reset the training settings with no question and no undo (a batch of
16 became 8, Edit > Undo stayed greyed). It is now an undo step of the Train page: its message says Ctrl+Z puts them
back, Ctrl+Z does (saved in the project too), Redo brings the recommended ones again, and a setting changed by hand
after it keeps the user's value."""

from __future__ import annotations

from cnnstudio.engine.runs.saved_pages import META_SETTINGS, form_choices
from cnnstudio.ui.model.stored_design import stored_json

from .test_training_view import make_project


def test_recommended_settings_are_undone_with_ctrl_z(window, qtbot, tmp_path):
    assert window.open_project(make_project(tmp_path))
    window.workspace.show_step_key("train")
    form = window.workspace.train_page.settings_form
    recommended_batch = form.recipe_batch()
    form.batch_size.setValue(recommended_batch * 2)
    form.epochs.setValue(form.epochs.value() + 3)
    form.seed.setValue(7)
    mine = form.values()
    assert not window.undo_action.isEnabled()
    form.recommended.click()
    assert form.batch_size.value() == recommended_batch
    said = window.statusBar().currentMessage()
    assert said.startswith("Back to the recommended settings: ") and said.endswith(" Ctrl+Z puts them back.")
    assert window.undo_action.isEnabled() and window.undo_action.text() == "&Undo Recommended settings"
    form.seed.setValue(9)  # changed by hand after it: kept by the undo
    window.undo_action.trigger()
    assert form.values() == {**mine, "seed": 9}
    stored = form_choices(stored_json(window.session.project.meta(META_SETTINGS)))
    assert stored["batch_size"] == recommended_batch * 2 and stored["epochs"] == mine["epochs"]  # saved: not lost
    assert window.redo_action.isEnabled()
    window.redo_action.trigger()
    assert form.batch_size.value() == recommended_batch and form.epochs.value() != mine["epochs"]
    assert form.seed.value() == 9
    window.undo_action.trigger()
    form.recommended.click()
    form.recommended.click()  # nothing left to change: no step, no promise
    assert window.statusBar().currentMessage() == "The settings are already the recommended ones."
    assert window.session.stack("train").count() == 1
