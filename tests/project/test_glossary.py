import pytest

from cnnstudio.project import glossary
from cnnstudio.project.splits import AUTO_SPLIT


def test_every_term_is_one_plain_sentence():
    for term, meaning in glossary.TERMS.items():
        assert meaning.endswith(".") and meaning.count(". ") <= 1 and len(meaning) > 30, term


def test_tip_keeps_the_precise_name_and_is_case_insensitive():
    assert glossary.tip("macs").startswith("multiply-adds (MACs): ")  # the card's "MACs" beside the summary's word
    both = glossary.tip("F1", "Grad-CAM").splitlines()
    assert both[0].startswith("F1: ") and both[1].startswith("Grad-CAM: ")


def test_unknown_term_is_refused():
    with pytest.raises(KeyError):
        glossary.explain("hyperparameter soup")
    with pytest.raises(KeyError):
        glossary.heading("hyperparameter soup")


def test_guide_rows_are_sorted_and_complete():
    rows = glossary.guide_rows()
    assert [glossary.explain(t.split(" (")[0]) for t, _ in rows] == [m for _, m in rows]
    assert [t.lower() for t in sorted(glossary.TERMS, key=str.lower)] == [t.split(" (")[0].lower() for t, _ in rows]
    assert len(rows) == len(glossary.TERMS)


def test_the_interval_does_not_name_one_split_and_loss_is_explained():
    # the same words sit beside validation and test scores (Evaluate names the split itself)
    assert "test" not in glossary.explain("confidence interval")
    assert "lower is better" in glossary.explain("loss")


def test_a_word_said_two_ways_is_one_entry_found_by_either_name():
    for a, b in (("MACs", "multiply-adds"), ("confidence interval", "95% range"), ("Wilson interval", "95% range"),
                 ("top-3", "top-k"), ("ReLU", "activation")):
        assert glossary.explain(a) == glossary.explain(b) and glossary.heading(a) == glossary.heading(b)
    assert glossary.heading(glossary.RANGE_TERM) == "95% range (confidence interval, Wilson interval)"
    with pytest.raises(KeyError):  # one way of writing it: the older "95 % range" is no longer said anywhere
        glossary.heading("95 % range")
    assert "likely 83–99%" in glossary.explain("95% range")  # the app's own way of writing one
    assert glossary.heading("epoch") == "epoch"
    other_names = [n.lower() for names in glossary.ALSO.values() for n in names]
    assert len(set(other_names)) == len(other_names) and not set(other_names) & {t.lower() for t in glossary.TERMS}


@pytest.mark.parametrize("word", ["transfer learning", "pretrained", "backbone", "frozen", "default recipe",
                                  "from scratch", "seed", "split", "Wilson", "multiply-adds", "MACs", "top-3",
                                  "padding", "stride", "out channels", "flatten", "residual block", "activation",
                                  "ReLU", "mixed precision", "one-cycle"])
def test_the_words_the_app_shows_are_found_by_the_guide(word):
    rows = glossary.find(word)
    assert rows and word.lower() in rows[0][0].lower()  # the entry named so comes first


def test_find_puts_the_named_entry_first_and_matches_whole_word_starts():
    rows = glossary.find("test")
    assert rows[0][0] == "test"
    assert "fastest" in glossary.explain("schedule") and "schedule" not in [t for t, _ in rows]  # whole words
    assert [t for t, _ in glossary.find("  VALIDATION ")][0] == "validation"
    assert glossary.find("") == glossary.guide_rows()
    assert glossary.find("hyperparameter soup") == []
    assert glossary.find("(top") == [(glossary.heading("top-k"), glossary.explain("top-k"))]  # text, not a pattern


def test_split_says_the_shares_start_splits_with():
    assert " / ".join(f"{s}%" for s in AUTO_SPLIT) in glossary.explain("split")


def test_test_pictures_are_shown_but_never_used_to_choose():
    words = glossary.explain("test")
    assert "once, at the end" not in words and "nothing is chosen by it" in words and "validation" in words
    for choice in ("best epoch", "early stopping", "default recipe", "better settings", "advice"):
        assert choice in glossary.explain("validation")
