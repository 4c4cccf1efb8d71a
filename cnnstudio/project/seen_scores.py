"""Whether a run's test score has been looked at on purpose. Qt-free and torch-free.

Test pictures are for the end (:data:`~cnnstudio.project.split_roles.TEST_FOR_THE_END`): the engine scores every
finished run on them too (evaluation.json, the summary's ``test_accuracy``), but a Test column beside the validation
scores while the user is still choosing a model invites choosing by it (QA). So the runs list and a run's details
show a run's test score only once the user has looked at it on purpose — on the Evaluate page, on the test pictures
(:func:`mark_test_seen`, kept in the run's summary as :data:`TEST_SEEN`); and the Test column shows only while some
run listed has been looked at so (:func:`shows_test_column`). On the command line the one look is ``cnnstudio
evaluate DIR --split test`` (its default split), which marks it the same way; ``cnnstudio runs`` then shows that
run's test score, and ``cnnstudio train`` ends on validation (a score printed for every run is no look on purpose)."""

from __future__ import annotations

TEST_SEEN = "test_seen"  # the run's summary key: True once its test score was shown on the Evaluate page
NOT_YET_WORDS = "not looked at"  # the command line's cell for a test score not looked at yet (runs)
NOT_YET_TIP = ("Not looked at yet. Test pictures are for the end: compare runs on validation pictures, then look at "
               "the one you chose on the Evaluate page with “Test pictures”.")


def score_seen(summary: dict) -> bool:
    """Whether the run of ``summary`` has had its test score shown on purpose."""
    return summary.get(TEST_SEEN) is True


def shows_test_column(summaries) -> bool:
    """Whether the runs list shows its Test column: once any of its runs (``summaries``) has been looked at on test
    pictures."""
    return any(score_seen(s) for s in summaries)


def mark_test_seen(project, run_id: str) -> bool:
    """Keep in run ``run_id``'s record that its test score has been shown; True when that is new. A project open for
    viewing only keeps nothing (its runs list then shows no test score: nothing is written in a project one only
    looks at)."""
    from . import run_records

    if getattr(project, "read_only", False):
        return False
    info = run_records.get_run(project, run_id)
    if score_seen(info.summary):
        return False
    run_records.update_run(project, run_id, summary={TEST_SEEN: True})
    return True


__all__ = ["NOT_YET_TIP", "NOT_YET_WORDS", "TEST_SEEN", "mark_test_seen", "shows_test_column", "score_seen"]
