"""QA first-run #1: one Start of the default recipe trains two networks. The Train page says so before Start (the
Auto note and Start's tooltip), keeps "Step 1 of 2" / "Step 2 of 2" on a line of its own while the comparison runs
(the status line below it changes with every event), and the runs list marks the network that was only tried for
comparison (under its status: "for comparison", then "not kept"). Real runs through the page's training child, on
Pillow-made pictures."""

from __future__ import annotations

import pytest

from cnnstudio.engine.events import RunFinished, RunStarted
from cnnstudio.engine.model.backbones import weights_status
from cnnstudio.engine.runs.recipe import BEFORE_START
from cnnstudio.project import run_records

from .test_training_view import make_project

pytestmark = pytest.mark.skipif(not weights_status("mobilenet_v2")["installed"],
                                reason="the recipe compares with transfer learning only with MobileNetV2's weights")


def _name_cells(page) -> dict[str, str]:
    """Each run's status cell (the mark is under the status), by run id."""
    table = page.runs.table
    return {table.item(r, 1).data(256): table.item(r, 1).text() for r in range(table.rowCount())}


def test_the_comparison_is_said_before_start_and_its_step_stays_while_it_runs(window, qtbot, tmp_path):
    assert window.open_project(make_project(tmp_path))
    page = window.workspace.train_page
    window.workspace.show_step_key("train")
    page._refresh()
    assert BEFORE_START in page.settings_form.auto_note.text() and page.settings_form.auto_note.isVisible()
    assert page.start_button.toolTip().endswith(BEFORE_START)
    seen = []  # (event, the step line, the status line, the runs list's names) once the page has taken the event

    def look(ev):  # connected after the page's own slot
        shown = page.step_line.text() if page.step_line.isVisible() else ""
        seen.append((ev, shown, page.status.text(), _name_cells(page) if isinstance(ev, RunStarted) else {}))

    with qtbot.waitSignal(page.run_ended, timeout=120_000) as ended:
        assert page.start()
        page.thread.yielded.connect(look)
    assert isinstance(ended.args[0], RunFinished)
    steps = [shown for _, shown, _, _ in seen if shown]
    assert steps[0].startswith("Step 1 of 2: trying a network already trained on millions of photos")
    assert any(s.startswith("Step 2 of 2: training the network from scratch") for s in steps)
    started = next((shown, status, names) for ev, shown, status, names in seen if isinstance(ev, RunStarted))
    assert started[0].startswith("Step 2 of 2") and started[1].startswith("Training on")  # both lines, at once
    project = window.session.project
    transfer = next(r.id for r in run_records.list_runs(project) if "transfer" in r.name)
    assert started[2][transfer] == "finished\nfor comparison"  # marked while the comparison runs
    assert not page.step_line.isVisible()  # the finished line says which was kept
    recipe = run_records.get_run(project, ended.args[0].run_id).summary["recipe"]
    names = _name_cells(page)
    (other,) = [rid for rid in names if rid != recipe["run"]]
    assert names[other] == "finished\nnot kept" and names[recipe["run"]] == "finished"
    row = next(r for r in range(page.runs.table.rowCount()) if page.runs.table.item(r, 1).data(256) == other)
    assert page.runs.table.item(row, 1).toolTip().startswith("Tried for comparison: Start trained this network too")
