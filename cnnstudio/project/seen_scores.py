"""Whether a run's test score has been looked at on purpose. Qt-free and torch-free.

Test pictures are for the end (:data:`~cnnstudio.project.split_roles.TEST_FOR_THE_END`): the engine scores every
finished run on them too (evaluation.json, the summary's ``test_accuracy``), but a Test column beside the validation
scores while the user is still choosing a model invites choosing by it (QA). So the runs list and a run's details
show a run's test score only once the user has looked at it on purpose — on the Evaluate page, on the test pictures
(:func:`mark_test_seen`, kept in the run's summary as :data:`TEST_SEEN`); and the Test column shows only while some
run listed has been looked at so (:func:`shows_test_column`). On the command line the one look is ``cnnstudio
evaluate DIR --split test`` (a plain ``cnnstudio evaluate`` scores the validation pictures), which marks it the same
way; ``cnnstudio runs`` then shows that run's test score, and ``cnnstudio train`` ends on validation (a score printed
for every run is no look on purpose); their ``--json`` leave the test figure out the same way until then
(``"test_seen": false`` and the command that looks, ``"look_at_test"``). A run's report (``cnnstudio report``,
Evaluate > "Save report…") is a look too: it is kept at the end and shows the test score, so writing one marks it
(engine/runs/report.py) and says so (:func:`report_look_words`; a project open for viewing only keeps no mark, and
says that).

An exported model carries its run's scores in its metadata (ONNX, TorchScript, a bundle's manifest): its test figures
only once looked at (:func:`shared_metrics`, :func:`bundle_test_seen`), so an export is no way round the rule.

Looking at the test score of one run, then of another, and keeping the better one makes the test pictures a choice:
their score is then no longer an honest estimate (QA: the Evaluate page showed a second run's test score at once). So
before a run's test score is shown while other runs' test scores were already looked at, :func:`another_look_words`
says so in one sentence: the Evaluate page asks first (Show or Cancel), ``cnnstudio evaluate --split test`` and
``cnnstudio report`` print it as a warning and go on; and the command line offers the command that
looks for the best run only, only while no run's test score was looked at (:func:`look_offered`). A report says how many runs' test scores were looked at (:func:`report_test_words`): one
run's is the honest estimate; of several, the one kept by its test score is optimistic."""

from __future__ import annotations

from pathlib import Path

TEST_SEEN = "test_seen"  # the run's summary key: True once its test score was shown on the Evaluate page
NOT_YET_WORDS = "not looked at"  # the command line's cell for a test score not looked at yet (runs)
NOT_YET_TIP = ("Not looked at yet. Test pictures are for the end: compare runs on validation pictures, then look at "
               "the one you chose on the Evaluate page with “Test pictures”.")


REPORT_LOOK_WORDS = ("The report shows the test pictures' score, so that score now counts as looked at (test pictures "
                     "are for the end).")
REPORT_VIEWING_WORDS = ("The report shows the test pictures' score; it could not be kept as looked at because the "
                        "project is open for viewing only.")
REPORT_NOT_KEPT_WORDS = ("The report shows the test pictures' score; it could not be kept as looked at because the "
                         "project could not be written to.")


def report_look_words(project, run_id: str) -> str:
    """What is said after a report that shows run ``run_id``'s test score was written: that it counts as looked at
    now (:data:`REPORT_LOOK_WORDS`) only when that was kept; a project open for viewing only (or a disk that said
    no) keeps nothing, and the runs list still says "not looked at", so the words say so instead."""
    from . import run_records
    from .errors import ProjectError

    try:
        if score_seen(run_records.get_run(project, run_id).summary):
            return REPORT_LOOK_WORDS
    except (OSError, ProjectError):
        pass
    return REPORT_VIEWING_WORDS if getattr(project, "read_only", False) else REPORT_NOT_KEPT_WORDS


def score_seen(summary: dict) -> bool:
    """Whether the run of ``summary`` has had its test score shown on purpose."""
    return summary.get(TEST_SEEN) is True


def shows_test_column(summaries) -> bool:
    """Whether the runs list shows its Test column: once any of its runs (``summaries``) has been looked at on test
    pictures."""
    return any(score_seen(s) for s in summaries)


def runs_seen(project, but: str | None = None) -> list:
    """The project's runs (newest first) whose test score was looked at on purpose, run ``but`` left out."""
    from . import run_records

    return [r for r in run_records.list_runs(project) if r.id != but and score_seen(r.summary)]


def another_look_words(project, run_id: str) -> str:
    """The sentence said before run ``run_id``'s test score is shown while other runs' test scores were already looked
    at: "" when none was, or when ``run_id``'s own was looked at already (looking at it again chooses nothing)."""
    from . import run_records
    from .names import quoted

    if score_seen(run_records.get_run(project, run_id).summary):
        return ""
    others = runs_seen(project, but=run_id)
    if not others:
        return ""
    names = [quoted(r.name) for r in others]
    which = (f"the test score of {names[0]}" if len(names) == 1 else
             f"the test scores of {len(names)} runs ({', '.join(names[:-1])} and {names[-1]})")
    return (f"You have already looked at {which}. Looking at another run's test score and keeping the better one "
            "turns the test pictures into a choice: their score is then no longer an honest estimate.")


def look_offered(project) -> str | None:
    """The one run whose test score the command line offers to look at, with the command that looks (``cnnstudio
    runs``' note under its list, a plain ``cnnstudio evaluate``'s note under the validation scores): the best run
    (:func:`~cnnstudio.project.run_records.best_run`, the one chosen on validation pictures), and only while no run's
    test score was looked at yet, its own or another's. Offering another run's look, or any look once one was taken,
    invites looking at a second test score to choose by (:func:`another_look_words`). None when no run is offered."""
    from . import run_records

    if runs_seen(project):
        return None
    best = run_records.best_run(project)
    return best.id if best is not None else None


#: the report's words on its test score when only its own run's test score was looked at (report_test_words)
HONEST_TEST_WORDS = ("Test pictures were kept out of training and out of every choice, so their score is the honest "
                     "estimate for new pictures.")


def report_test_words(runs_looked_at: int) -> str:
    """What a report says of its test score, from how many runs' test scores were looked at, its own counted:
    :data:`HONEST_TEST_WORDS` for one (or none), else that a run chosen among them by its test score has an
    optimistic one."""
    if runs_looked_at <= 1:
        return HONEST_TEST_WORDS
    return (f"Test pictures were kept out of training, but the test scores of {runs_looked_at} runs were looked at: "
            "if this run was chosen among them by its test score, its test score is optimistic, not an honest "
            "estimate for new pictures.")


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


def shared_metrics(metrics: dict, seen: bool | None) -> dict:
    """The scores an exported model carries: ``metrics`` (a bundle manifest's) less its test figures (keys starting
    ``test_``) while its run's test score has not been looked at (``seen`` False). ``seen`` None: a bundle that is no
    project's run model (a copy kept elsewhere) keeps what it carries, which the export that made it chose."""
    if seen is None or seen:
        return dict(metrics)
    return {k: v for k, v in metrics.items() if not str(k).startswith("test_")}


def bundle_test_seen(bundle_path) -> bool | None:
    """Whether the run whose model bundle is at ``bundle_path`` has had its test score looked at on purpose: a
    project's ``runs/RUN_ID/model`` folder (the project opened for viewing only: nothing is written). False for a
    run the project's records do not know (nobody looked at it); None for a bundle that is no project's run model."""
    from . import run_records
    from .errors import ProjectError
    from .store import RUNS_DIR, Project, is_project

    try:
        p = Path(bundle_path).resolve()
    except (OSError, RuntimeError):
        return None
    root = p.parent.parent.parent
    if p.name != run_records.MODEL_DIR or p.parent.parent.name != RUNS_DIR or not is_project(root):
        return None
    try:
        project = Project.open(root, read_only=True)
    except (OSError, ProjectError):
        return False  # a project that cannot be read now: its test figures stay out
    try:
        info = run_records.find_run(project, p.parent.name)
        return info is not None and score_seen(info.summary)
    except (OSError, ProjectError):
        return False
    finally:
        project.close()


__all__ = ["HONEST_TEST_WORDS", "NOT_YET_TIP", "NOT_YET_WORDS", "REPORT_LOOK_WORDS", "REPORT_NOT_KEPT_WORDS",
           "REPORT_VIEWING_WORDS", "TEST_SEEN", "another_look_words", "bundle_test_seen", "look_offered", "mark_test_seen",
           "report_look_words", "report_test_words", "runs_seen", "shared_metrics", "shows_test_column", "score_seen"]
