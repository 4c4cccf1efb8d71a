"""The words of a confusion-matrix cell (ui/evaluate/cell_words.py, Qt-free): names quoted, counts in the plural
only when more than one, never "1 picture of 3 taken for 7"."""

from __future__ import annotations

from cnnstudio.ui.evaluate.cell_words import cell_title, picture_tip


def test_one_mistake_names_the_label_and_the_answer():
    assert cell_title(1, "3", "7") == ("<b>1</b> picture labelled “3” that the model took for “7” "
                                       "(its confidence under it).")  # one picture: not "each"
    assert "picture of" not in cell_title(1, "cat", "dog")


def test_plural_thousands_and_the_diagonal():
    assert cell_title(2, "cat", "dog").startswith("<b>2</b> pictures labelled “cat”")
    assert cell_title(1234, "cat", "cat") == ("<b>1,234</b> pictures labelled “cat” that the model recognised "
                                              "correctly (the confidence under each).")
    assert cell_title(2, "cat", "dog").endswith("that the model took for “dog” (the confidence under each).")


def test_an_empty_cell_and_names_that_look_like_html():
    assert cell_title(0, "a", "b") == "No picture labelled “a” was taken for “b”."
    assert cell_title(0, "a", "a") == "No picture labelled “a” was recognised correctly."
    assert "&lt;b&gt;" in cell_title(1, "<b>", "x") and "<b>" not in cell_title(0, "<b>", "x")


def test_each_picture_says_its_label_answer_and_confidence():
    assert picture_tip("3", "7", "28.7%") == ("Labelled “3”, taken for “7” with 28.7% confidence. "
                                              "Double-click to see it large.")
    assert picture_tip("3", "3", "99.0%").startswith("Labelled “3” and recognised, 99.0% sure.")
