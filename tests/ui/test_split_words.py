"""The Evaluate page's words for the pictures it scores on (Qt-free): validation first, test for the end."""

from cnnstudio.ui.evaluate.split_words import FIRST, SPLITS, TEST_FOR_THE_END, split_name, split_note


def test_validation_comes_first_and_only_the_test_pictures_get_a_note():
    assert FIRST == "val" and [k for k, _ in SPLITS] == ["val", "test"]
    assert split_note("test") == TEST_FOR_THE_END and split_note("val") == "" and split_note("train") == ""
    assert TEST_FOR_THE_END.endswith(".") and "validation pictures" in TEST_FOR_THE_END
    assert split_name("val") == "validation pictures" and split_name("test") == "test pictures"
    assert split_name("train") == "train"
