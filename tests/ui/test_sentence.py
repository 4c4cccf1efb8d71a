"""Engine messages as the window writes them: a capital letter, one full stop."""

from cnnstudio.ui.sentence import sentence


def test_an_engine_message_becomes_a_sentence():
    assert sentence("a class named 'cat' already exists: merge the two classes instead") == (
        "A class named 'cat' already exists: merge the two classes instead.")
    assert sentence("The disk is full.") == "The disk is full."
    assert sentence("  is it? ") == "Is it?" and sentence("") == ""
