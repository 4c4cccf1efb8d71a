"""The runs list groups a tuning study's runs under a header row."""

from __future__ import annotations

from cnnstudio.project import run_records


def test_the_runs_panel_shows_a_header_per_study(project, qtbot):
    from PySide6.QtCore import Qt

    from cnnstudio.ui.session import ProjectSession
    from cnnstudio.ui.train.runs_panel import RunsPanel
    from cnnstudio.ui.tune.tune_state import PRUNED_TIP

    run_records.add_run(project, "20260101-000000-aaaa", "plain", created_at=1.0, status="finished",
                        summary={"val_accuracy": 0.9})
    for n in (0, 1):
        run_records.add_run(project, f"20260101-00000{n + 1}-bbbb", f"s1 · trial {n}", created_at=2.0 + n,
                            status="stopped" if n else "finished",
                            summary={"study": "s1", "trial": n, "val_accuracy": 0.9 if n else 0.7, "pruned": bool(n)})
    for r in run_records.list_runs(project):  # their folders, as a real run has (none: "files missing")
        run_records.run_dir(project, r.id).mkdir(parents=True, exist_ok=True)
    panel = RunsPanel(ProjectSession(project))
    qtbot.addWidget(panel)
    panel.refresh()
    t = panel.table
    assert t.rowCount() == 4
    header = t.item(1, 0)
    assert t.columnSpan(1, 0) == t.columnCount()
    # the best of its finished trials, as the Tune page says: not the stopped trial's score so far
    assert header.text() == "Search s1: 2 trials, 1 finished, best validation accuracy 70.0%"
    assert not header.flags() & Qt.ItemFlag.ItemIsSelectable
    assert t.item(3, 1).text() == "stopped early"  # the Tune page's words for a trial stopped early
    assert t.item(3, 1).toolTip() == PRUNED_TIP and t.item(2, 1).toolTip() != PRUNED_TIP
    t.selectAll()
    assert sorted(panel.selected_ids()) == sorted(r.id for r in panel.runs)  # the header is not a run


def test_the_runs_list_rounds_a_share_as_every_page_does():
    from cnnstudio.ui.train.runs_panel import pct

    assert pct(0.99996) == "> 99.9%"  # figures.percent: not "100.0%" when one picture in thousands was wrong
    assert pct(0.8) == "80.0%" and pct(1.0) == "100%" and pct(float("nan")) == "–" and pct(None) == "–"
