"""Why the best run was chosen (run_records.best_run_why): the one reason the rule used, so the words that say why
follow it rather than guess it from the scores (QA: "the same validation accuracy with a lower validation loss"
was said of a search's final run, chosen for its trial's score)."""

from __future__ import annotations

from cnnstudio.project import run_records as R


def _finished(project, run_id, created_at, **summary):
    R.add_run(project, run_id, status="finished", summary=summary, created_at=created_at)
    (R.run_dir(project, run_id) / R.MODEL_DIR).mkdir(parents=True)


def test_each_reason_over_the_next_run_or_a_named_one(project):
    assert R.best_run_why(project) is None
    _finished(project, "a", 100.0, val_accuracy=0.8, val_loss=0.3)
    assert R.best_run_why(project) == (R.best_run(project), R.BEST_ONLY)
    _finished(project, "b", 200.0, val_accuracy=0.8, val_loss=0.3)  # the same of both: the newer
    best, why = R.best_run_why(project)
    assert best.id == "b" == R.best_run(project).id and why == R.BEST_BY_NEWER
    _finished(project, "c", 50.0, val_accuracy=0.8, val_loss=0.2)  # the same accuracy, a lower loss
    assert [R.best_run_why(project)[0].id, R.best_run_why(project)[1]] == ["c", R.BEST_BY_LOSS]
    _finished(project, "d", 60.0, val_accuracy=0.9, val_loss=0.9)
    assert R.best_run_why(project)[1] == R.BEST_BY_ACCURACY
    assert R.best_run_why(project, over="a")[1] == R.BEST_BY_ACCURACY
    assert R.best_run_why(project, over="d")[1] == R.BEST_ONLY  # over itself: nothing to say
    R.add_run(project, "no-model", status="finished", summary={"val_accuracy": 0.99}, created_at=70.0)
    assert R.best_run_why(project, over="no-model") == (R.best_run(project), R.BEST_ONLY)  # not in the running


def test_a_search_final_run_is_chosen_for_its_trial(project):
    _finished(project, "other", 50.0, val_accuracy=0.9, val_loss=0.3)
    _finished(project, "trial", 100.0, val_accuracy=0.95, val_loss=0.2, study="s1")
    _finished(project, "final", 120.0, study="s1", final_of=1, val_accuracy=0.9, val_loss=0.3)
    best, why = R.best_run_why(project, over="other")
    assert best.id == "final" == R.best_run(project).id and why == R.BEST_FINAL  # not "the same accuracy, lower loss"
