"""Every word the advice and the Tune page explain in brackets ("The model has not learned much yet
(underfitting)", "against overfitting") is found by the Help guide's "Find a word" (QA 5: neither "overfitting"
nor "underfitting" was there)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import cnnstudio
from cnnstudio.project import glossary

SOURCES = Path(cnnstudio.__file__).parent
# the precise words the advice's sentences name (in brackets or as the finding's kind), and the Tune page's
WORDS = ("overfitting", "underfitting", "early stopping", "augmentation", "learning rate", "epoch", "validation",
         "recall", "accuracy", "loss")


@pytest.mark.parametrize("word", WORDS)
def test_the_guide_finds_each_word_the_advice_uses(word):
    first = glossary.find(word)[0][0]
    assert first.split(" (")[0].lower() == word, (word, first)


def test_every_bracketed_fitting_word_of_the_advice_is_in_the_glossary():
    """The "(…fitting)" words of the advice's and the Tune page's sentences, read from their source."""
    text = "".join(p.read_text() for p in [*sorted((SOURCES / "engine/runs").glob("advice*.py")),
                                           SOURCES / "engine/tune/space.py"])
    words = {w.lower() for w in re.findall(r"\b(\w+fitting)\b", text)} - {"fitting"}
    assert {"overfitting", "underfitting"} <= words
    for word in words:
        assert glossary.find(word)[0][0].split(" (")[0] == word, word
