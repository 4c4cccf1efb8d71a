import pytest

from cnnstudio.project import glossary


def test_every_term_is_one_plain_sentence():
    for term, meaning in glossary.TERMS.items():
        assert meaning.endswith(".") and meaning.count(". ") <= 1 and len(meaning) > 30, term


def test_tip_keeps_the_precise_name_and_is_case_insensitive():
    assert glossary.tip("macs").startswith("MACs: ")
    both = glossary.tip("F1", "Grad-CAM").splitlines()
    assert both[0].startswith("F1: ") and both[1].startswith("Grad-CAM: ")


def test_unknown_term_is_refused():
    with pytest.raises(KeyError):
        glossary.explain("hyperparameter soup")


def test_guide_rows_are_sorted_and_complete():
    rows = glossary.guide_rows()
    assert [t.lower() for t, _ in rows] == sorted(t.lower() for t in glossary.TERMS)
    assert len(rows) == len(glossary.TERMS)


def test_the_interval_does_not_name_one_split_and_loss_is_explained():
    # the same words sit beside validation and test scores (Evaluate names the split itself)
    assert "test" not in glossary.explain("confidence interval")
    assert "lower is better" in glossary.explain("loss")
