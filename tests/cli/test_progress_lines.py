"""The progress lines written to a log (stderr not a terminal): one a tenth of the way, with the real percentage;
a task whose next step counts something else says which step the new count is."""

from __future__ import annotations

import io

from cnnstudio.cli.common import Progress


def lines(calls) -> list[str]:
    buf = io.StringIO()
    bar = Progress("Predicting", stream=buf)
    for call in calls:
        bar(*call)
    return [ln.rsplit(" ", 1)[0] if ln.endswith("s") else ln for ln in buf.getvalue().splitlines()]


def test_the_percentage_is_the_real_one_not_the_tenth():
    out = lines([(i, 65) for i in range(0, 66, 32)] + [(64, 65), (65, 65)])
    assert out == ["Predicting: 0/65 (0%)", "Predicting: 32/65 (49%)", "Predicting: 64/65 (98%)",
                   "Predicting: 65/65 (100%)"]
    assert lines([(1, 4)]) == ["Predicting: 1/4 (25%)"] and lines([(1, 3)]) == ["Predicting: 1/3 (33%)"]


def test_a_new_step_with_another_count_says_what_it_counts():
    buf = io.StringIO()
    bar = Progress("Checking the pictures", stream=buf)
    bar(0, 1, "comparing pictures")
    bar(0, 5, "cross-validating the labels")
    bar(1, 5, "cross-validating the labels")
    first, second, third = buf.getvalue().splitlines()
    assert first.startswith("Checking the pictures: 0/1 (0%) ") and not first.endswith("pictures")
    assert second.startswith("Checking the pictures: 0/5 (0%) ") and second.endswith(" cross-validating the labels")
    assert third.startswith("Checking the pictures: 1/5 (20%) ") and third.endswith("s")
