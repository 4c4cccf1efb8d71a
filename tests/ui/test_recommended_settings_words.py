"""QA: "Recommended settings" said nothing, whether it changed the form or not: the status bar now says that the
settings already were the recommended ones, or which it changed, from what to what."""

from __future__ import annotations

from cnnstudio.ui.train.recommended_words import ALREADY, recommended_words

from .test_training_view import make_project


def test_the_words_name_what_changed():
    same = {"Epochs": "20", "Seed": "0"}
    assert recommended_words(same, dict(same)) == ALREADY == "The settings are already the recommended ones."
    assert recommended_words({"Epochs": "4", "Seed": "0"}, same) == (
        "Back to the recommended settings: “Epochs” 4 → 20.")
    assert recommended_words({"Epochs": "4", "Seed": "7"}, same) == (
        "Back to the recommended settings: “Epochs” 4 → 20 and “Seed” 7 → 0.")


def test_the_button_says_in_the_status_bar_what_it_did(window, qtbot, tmp_path):
    assert window.open_project(make_project(tmp_path))
    window.workspace.show_step_key("train")
    form = window.workspace.train_page.settings_form
    form.recommended.click()  # once: whatever the form held is now the recommended settings
    form.recommended.click()  # again: nothing left to change
    assert window.statusBar().currentMessage() == ALREADY
    recommended = form.epochs.text()
    form.epochs.setValue(form.epochs.value() + 3)
    form.balanced.setChecked(not form.balanced.isChecked())
    changed = form.epochs.text()
    form.recommended.click()
    assert form.epochs.text() == recommended
    said = window.statusBar().currentMessage()
    assert said.startswith("Back to the recommended settings: ") and said.endswith(".")
    assert f"“Epochs” {changed} → {recommended}" in said and "“Balance classes” " in said
    assert "Seed" not in said and "Learning rate" not in said  # what did not change is not named
