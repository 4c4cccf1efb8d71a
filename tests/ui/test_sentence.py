"""Engine messages as the window writes them: a capital letter, one full stop."""

from cnnstudio.ui.sentence import sentence


def test_an_engine_message_becomes_a_sentence():
    assert sentence("a class named “cat” already exists: merge the two classes instead") == (
        "A class named “cat” already exists: merge the two classes instead.")
    assert sentence("The disk is full.") == "The disk is full."
    assert sentence("  is it? ") == "Is it?" and sentence("") == ""


def test_qt_words_in_front_of_an_error_go_and_a_quoted_name_keeps_its_case():
    from cnnstudio.ui.sentence import without_qt_words

    said = "Error calling Python override of QUndoCommand::redo(): the disk holding G is full (0 bytes free)"
    assert without_qt_words(said) == "the disk holding G is full (0 bytes free)"
    assert sentence(said) == "The disk holding G is full (0 bytes free)."
    assert sentence("Error calling Python override of QWidget::showEvent(): 'ro' is read-only") == (
        "'ro' is read-only.")
    assert sentence("/media/stick/ro is gone") == "/media/stick/ro is gone."
    assert sentence("“ro” is gone") == "“ro” is gone."


def test_an_error_raised_inside_a_qt_method_is_said_without_qt_words(qapp, tmp_path):
    import pytest
    from PySide6.QtGui import QUndoCommand, QUndoStack

    from cnnstudio.project.disk import DiskError, read_only_error
    from cnnstudio.ui.errors import problem_words

    class Refused(QUndoCommand):  # a step whose write the disk refuses, raised inside Qt's push as redo()
        def redo(self):
            raise read_only_error(tmp_path, "save this change")

    with pytest.raises(DiskError) as caught:
        QUndoStack().push(Refused("x"))
    assert str(caught.value).startswith("Error calling Python override of QUndoCommand::redo(): ")  # what PySide does
    words = problem_words(caught.value)
    assert words.startswith("CNN Studio is not allowed to write in ") and "Error calling" not in words
