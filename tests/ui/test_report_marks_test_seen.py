"""Evaluate > "Save report…": a report shows the run's test score, so saving one is a look at it on purpose
(project/seen_scores.py): the run's test score counts as looked at from then on, and the status bar says so."""

from __future__ import annotations

from cnnstudio.project import run_records
from cnnstudio.project.seen_scores import REPORT_LOOK_WORDS, score_seen
from tests.ui.test_training_view import open_trained


def test_saving_a_report_marks_the_test_score_looked_at_and_says_so(window, qtbot, tmp_path):
    run_id = open_trained(window, qtbot, tmp_path)
    window.workspace.show_step_key("evaluate")
    page = window.workspace.evaluate_page
    qtbot.waitUntil(lambda: page.run_id == run_id and not page.task.busy)  # shown
    project = window.session.project
    assert not score_seen(run_records.get_run(project, run_id).summary)  # the page opens on validation pictures
    assert "counts as looked at" in page.save_report.toolTip()  # said before the click
    out = tmp_path / "report.html"
    with qtbot.waitSignal(page.save_report.saved, timeout=60_000):
        assert page.save_report.save_to(str(out))
    assert out.is_file() and score_seen(run_records.get_run(project, run_id).summary)
    assert window.statusBar().currentMessage() == f"Report saved as “report.html”. {REPORT_LOOK_WORDS}"


def test_a_report_saved_from_a_project_open_for_viewing_only_says_the_look_was_not_kept(qtbot, tmp_path, capsys):
    """QA: the status bar said the test score "now counts as looked at" while a project open for viewing only kept
    nothing."""
    from PySide6.QtWidgets import QMainWindow

    from cnnstudio.project import Project
    from cnnstudio.project.seen_scores import REPORT_VIEWING_WORDS
    from cnnstudio.ui.evaluate.report_button import SaveReportButton
    from tests.cli.helpers import run
    from tests.engine.test_data import make_project, tiny_spec

    make_project(tmp_path / "proj").close()
    tiny_spec().save(tmp_path / "tiny.json")
    code, out, err = run(capsys, "train", tmp_path / "proj", "--spec", tmp_path / "tiny.json", "--epochs", "1",
                         "--batch-size", "8", "--device", "cpu", "--json")
    assert code == 0, err
    with Project.open(tmp_path / "proj", read_only=True) as project:
        window = QMainWindow()
        qtbot.addWidget(window)
        button = SaveReportButton(project, lambda: out["run"])
        window.setCentralWidget(button)
        target = tmp_path / "report.html"
        with qtbot.waitSignal(button.saved, timeout=60_000):
            assert button.save_to(str(target))
        assert target.is_file() and not score_seen(run_records.get_run(project, out["run"]).summary)
        assert window.statusBar().currentMessage() == f"Report saved as “report.html”. {REPORT_VIEWING_WORDS}"
