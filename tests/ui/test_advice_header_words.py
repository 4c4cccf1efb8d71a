"""The advice header's words fit its width (QA at 1,024 x 614: "What this means: 5 findings (1 import…oing, 1 good to
know)", cut in the middle by Qt): the whole count when it fits, else a shorter one that is whole."""

from cnnstudio.ui.train.run_words import advice_header, header_words

SEVERITIES = ["high", "medium", "medium", "medium", "low"]
END = " · click to read"


def test_the_whole_count_when_it_fits_else_the_important_ones_else_the_bare_count():
    width = len  # one unit a character
    whole = advice_header(SEVERITIES) + END
    assert header_words(SEVERITIES, END, len(whole), width) == whole
    short = "What this means: 5 findings, 1 important"
    assert header_words(SEVERITIES, END, len(whole) - 1, width) == short + END
    assert header_words(SEVERITIES, END, len(short), width) == short
    assert header_words(SEVERITIES, END, 10, width) == "What this means: 5 findings"  # nothing shorter says it
    assert header_words(["medium", "good"], END, 30, width) == "What this means: 2 findings"  # none important
    assert header_words(["good"], "", 100, width) == "What this means: 1 finding (1 good news)"
