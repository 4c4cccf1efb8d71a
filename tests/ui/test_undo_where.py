"""QA: each page keeps its own undo, with no hint: after labelling on Data, Ctrl+Z on Train did nothing and Edit >
Undo was greyed, saying nothing. The greyed Undo (and Redo) now says which page holds the step."""

from __future__ import annotations

from cnnstudio.ui.undo_where import elsewhere
from tests.ui.conftest import open_data_page


def test_the_words_name_the_first_page_with_a_step():
    assert elsewhere("Undo", []) is None
    text, tip = elsewhere("Undo", [("Data", "Label 1 picture"), ("Model", "Add a layer")])
    assert text == "Undo (“Label 1 picture” is on the Data page)"
    assert tip == ("Nothing to undo on this page: “Label 1 picture” is on the Data page, where Edit > Undo acts "
                   "on it.")
    assert elsewhere("Redo", [("Model", "Add a layer")])[0] == "Redo (“Add a layer” is on the Model page)"


def test_greyed_undo_says_where_the_step_is(window, qtbot, tmp_path):
    open_data_page(window, tmp_path, ("cat", "dog"), per_class=4)
    s = window.session
    assert window.undo_action.text() == "&Undo" and not window.undo_action.isEnabled()  # nothing anywhere
    s.label(window.workspace.data.gallery.list.model().ids()[:1], s.project.class_by_name("cat").id)
    step = s.undo_stack.undoText()
    assert window.undo_action.isEnabled() and window.undo_action.text() == f"&Undo {step}"
    window.workspace.show_step_key("train")
    assert not window.undo_action.isEnabled()
    assert window.undo_action.text() == f"&Undo (“{step}” is on the Data page)"
    assert "is on the Data page" in window.undo_action.toolTip()
    assert window.redo_action.text() == "&Redo"  # nothing to redo anywhere: plain
    window.workspace.show_step_key("evaluate")  # shares the Data page's stack: its own step, named as ever
    assert window.undo_action.isEnabled() and window.undo_action.text() == f"&Undo {step}"
    window.workspace.show_step_key("data")
    window.undo_action.trigger()
    window.workspace.show_step_key("train")
    assert window.redo_action.text() == f"&Redo (“{step}” is on the Data page)"
    assert window.undo_action.text() == "&Undo" and window.undo_action.toolTip() in ("", "Undo")
