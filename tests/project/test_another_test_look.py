"""Looking at a second run's test score after another run's, and keeping the better one, makes the test pictures a
choice (QA: the Evaluate page and cnnstudio evaluate showed it at once, without a word): the one sentence said first
(seen_scores.another_look_words), and what a report says of its test score from how many runs' were looked at
(seen_scores.report_test_words)."""

from __future__ import annotations

from cnnstudio.project import Project, run_records
from cnnstudio.project.seen_scores import (HONEST_TEST_WORDS, another_look_words, mark_test_seen, report_test_words,
                                           runs_seen)


def test_a_second_runs_test_score_is_said_to_make_the_test_pictures_a_choice(tmp_path):
    with Project.create(tmp_path / "proj") as project:
        for i, name in enumerate(("gui1", "gui2", "noval")):
            run_records.add_run(project, f"20261203-19390{i}-abc{i}", name, status="finished", created_at=1000 + i)
        first, second, third = (f"20261203-19390{i}-abc{i}" for i in range(3))
        assert another_look_words(project, second) == ""  # no test score looked at yet: nothing to say
        assert mark_test_seen(project, first)
        assert another_look_words(project, first) == ""  # its own again: no choice made by looking
        assert another_look_words(project, second) == (
            "You have already looked at the test score of “gui1”. Looking at another run's test score and keeping "
            "the better one turns the test pictures into a choice: their score is then no longer an honest "
            "estimate.")
        assert mark_test_seen(project, second)
        assert another_look_words(project, third).startswith(
            "You have already looked at the test scores of 2 runs (“gui2” and “gui1”).")
        assert [r.name for r in runs_seen(project)] == ["gui2", "gui1"]
        assert [r.name for r in runs_seen(project, but=second)] == ["gui1"]


def test_a_reports_test_words_follow_how_many_runs_test_scores_were_looked_at():
    assert report_test_words(1) == report_test_words(0) == HONEST_TEST_WORDS
    assert "honest estimate" in HONEST_TEST_WORDS and "every choice" in HONEST_TEST_WORDS
    several = report_test_words(3)
    assert "the test scores of 3 runs were looked at" in several and "optimistic" in several
    assert "every choice" not in several
