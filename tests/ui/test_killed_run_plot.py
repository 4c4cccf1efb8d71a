"""A run killed between two checkpoints keeps lines in metrics.jsonl for the epochs it lost until Resume rewrites the
file; shown from its files, it plots only the epochs up to the one Resume goes on from, as its record says
(kept_run.saved_metrics, Qt-free). A real killed training process, its real checkpoint and record."""

from __future__ import annotations

from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.project import Project, run_abandoned, run_records
from cnnstudio.project.run_records import RunInfo
from cnnstudio.ui.train.kept_run import plot_epochs, saved_metrics
from tests.engine.test_data import make_project
from tests.engine.test_killed_run_words import _killed_run


def _run(status, summary):
    return RunInfo("r1", "Small VGG", 1.0, status, {}, summary, "")


def test_a_killed_run_plots_only_the_epochs_its_checkpoint_saved(tmp_path):
    make_project(tmp_path / "proj").close()
    run_id = _killed_run(tmp_path / "proj", 4)  # its checkpoint holds epoch 1: epochs 2-4 were lost
    with Project.open(tmp_path / "proj") as p:
        run_abandoned.settle_abandoned(p)  # as the window does when it opens the project
        info = run_records.get_run(p, run_id)
        metrics = runs.read_metrics(p, run_id)
    assert [m["epoch"] for m in metrics] == [1, 2, 3, 4]  # the file still has the lost epochs
    assert info.status == "failed" and info.summary["last_epoch"] == 1
    assert [m["epoch"] for m in saved_metrics(info, metrics)] == [1]
    assert plot_epochs(info, metrics) == 6  # the axis: the epochs planned, which Resume goes on to


def test_only_a_run_that_did_not_finish_and_says_its_epoch_is_cut():
    epochs = [{"epoch": e} for e in (1, 2, 3, 4)]
    assert saved_metrics(_run("finished", {"last_epoch": 2}), epochs) == epochs  # finished: every epoch
    assert saved_metrics(_run("stopped", {"last_epoch": 3}), epochs) == epochs[:3]
    assert saved_metrics(_run("failed", {"last_epoch": 0}), epochs) == []  # no checkpoint: Resume starts again
    assert saved_metrics(_run("failed", {}), epochs) == epochs  # an old record that does not say: as it is
    assert saved_metrics(None, epochs) == epochs
    assert plot_epochs(_run("failed", {"last_epoch": 2}), epochs) == 2  # no plan recorded: the epochs saved


def test_the_advice_and_report_of_a_killed_run_read_the_epochs_its_checkpoint_saved(tmp_path):
    from cnnstudio.engine.runs.advice import advise
    from cnnstudio.engine.runs.report import build_report

    make_project(tmp_path / "proj").close()
    run_id = _killed_run(tmp_path / "proj", 4)  # its checkpoint holds epoch 1: epochs 2-4 were lost
    with Project.open(tmp_path / "proj") as p:
        run_abandoned.settle_abandoned(p)
        said = " ".join(a.text for a in advise(p, run_id))
        report = build_report(p, run_id)
    assert said and not any(f"epoch {e}" in said for e in (2, 3, 4))  # no finding quotes an epoch never saved
    assert " ".join(a.text for a in report.advice) == said
