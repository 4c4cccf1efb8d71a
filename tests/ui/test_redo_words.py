"""Edit > Redo says what it redid on the status bar ("Redone: …"), as Edit > Undo says "Undone: …", in the same
words, on the Data page and on the Model page."""

from __future__ import annotations

from tests.ui.test_training_view import make_project


def test_redo_says_what_it_redid_in_the_undo_words(window, tmp_path):
    assert window.open_project(make_project(tmp_path))
    s = window.session
    ids = s.project.ids()
    cls = s.project.classes()[0]
    s.label(ids[:2], None)
    s.label(ids[:2], cls.id)
    step = f"Label 2 pictures as “{cls.name}”"
    window.undo_action.trigger()
    assert window.statusBar().currentMessage() == f"Undone: {step}"
    assert all(s.project.image(i).class_id is None for i in ids[:2])
    assert window.redo_action.text() == f"&Redo {step}"
    window.redo_action.trigger()
    assert window.statusBar().currentMessage() == f"Redone: {step}"
    assert all(s.project.image(i).class_id == cls.id for i in ids[:2])  # it did redo
    assert not window.redo_action.isEnabled()
    window.statusBar().clearMessage()
    window.redo_action.trigger()  # nothing left to redo (the shortcut still works): no word on the status bar
    assert window.statusBar().currentMessage() == ""


def test_redo_on_the_model_page_names_the_design_step(window, tmp_path):
    assert window.open_project(make_project(tmp_path))
    window.workspace.show_step_key("model")
    page = window.workspace.model_page
    before = len(page.design.layers)
    page.remove_layer(0)
    step = window.session.undo_group.undoText()
    assert step and len(page.design.layers) == before - 1
    window.undo_action.trigger()
    assert len(page.design.layers) == before
    window.redo_action.trigger()
    assert window.statusBar().currentMessage() == f"Redone: {step}"
    assert len(page.design.layers) == before - 1
