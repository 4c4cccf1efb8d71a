"""Edit > Undo and the "Undone: …" line name what was done in the window's words: pictures (counted with the
right plural), class names in quotes, the split by its name, the data check's Trash as Trash."""

from __future__ import annotations

from tests.ui.test_training_view import make_project


def test_undo_texts_say_pictures_and_the_right_plural(window, tmp_path):
    assert window.open_project(make_project(tmp_path))
    s = window.session
    p = s.project
    ids = p.ids()
    cls, other = p.classes()[:2]

    s.label(ids[:3], None)
    s.label(ids[:1], cls.id)
    assert s.undo_stack.undoText() == f"Label 1 picture as “{cls.name}”"
    s.label(ids[:3], other.id)
    assert s.undo_stack.undoText() == f"Label 3 pictures as “{other.name}”"
    s.label(ids[:3], other.id)  # changes nothing: no step of its own
    assert s.undo_stack.undoText() == f"Label 3 pictures as “{other.name}”"
    s.label(ids[:2], None)
    assert s.undo_stack.undoText() == "Remove the label from 2 pictures"
    s.set_split(ids[:2], "val")
    assert s.undo_stack.undoText() == "Move 2 pictures to the validation split"
    s.set_split(ids[:1], None)
    assert s.undo_stack.undoText() == "Take 1 picture out of their split"
    s.delete_images(ids[:1])
    assert s.undo_stack.undoText() == "Trash 1 picture"
    window.undo_action.trigger()
    assert window.statusBar().currentMessage() == "Undone: Trash 1 picture"
    s.delete_images(ids[:2])
    assert s.undo_stack.undoText() == "Trash 2 pictures"


def test_a_rename_to_a_class_already_there_is_refused_naming_it_in_quotes(window, tmp_path):
    import pytest

    from cnnstudio.project import ClassError

    assert window.open_project(make_project(tmp_path))
    s = window.session
    cls, other = s.project.classes()[:2]
    before = s.undo_stack.count()
    with pytest.raises(ClassError) as refused:
        s.rename_class(cls.id, f" {other.name} ")
    assert str(refused.value) == f"a class named “{other.name}” already exists: merge the two classes instead"
    assert s.undo_stack.count() == before and s.class_info(cls.id).name == cls.name  # nothing to undo


def test_the_carve_undo_text_is_the_carve_buttons_words(window, tmp_path):
    from cnnstudio.project.health import carve_label

    assert window.open_project(make_project(tmp_path))
    s = window.session
    s.carve_validation(0.15, 0)
    assert s.undo_stack.undoText() == carve_label(15) == "Take 15% of train for validation"
