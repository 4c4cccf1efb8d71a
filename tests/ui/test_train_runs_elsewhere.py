"""The Train page's runs list follows what another program does to the project's runs (QA report "two at once"): a
'cnnstudio train' that goes on and finishes, a run renamed or deleted from the command line, and a project folder
moved away and back. A real window on a project with a real trained run, changed through a second connection (as
`cnnstudio` does)."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QTimer

from cnnstudio.project import Project, run_records
from cnnstudio.project.processes import this_process
from tests.ui.test_training_view import open_trained


@pytest.fixture
def trained(window, qtbot, tmp_path):
    run_id = open_trained(window, qtbot, tmp_path)
    window.workspace.show_step_key("train")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    other = Project.open(window.session.project.root)  # another program's connection: the command line's
    yield window.workspace.train_page, other, run_id
    other.close()


def _row(page, run_id) -> list[str] | None:
    table = page.runs.table
    for r in range(table.rowCount()):
        if table.item(r, 0) is not None and table.item(r, 0).data(0x0100) == run_id:
            return [table.item(r, c).text() for c in range(2)]
    return None


def test_a_run_trained_renamed_finished_and_deleted_elsewhere_is_followed(window, trained, qtbot):
    page, cli, run_id = trained
    page.runs.select([run_id])
    assert page.run_id == run_id
    page._opened = run_id  # as when the page opened the newest run by itself (_follow_newest): its line follows too
    # 'cnnstudio train' goes on with it: running, in a process of this computer (this one stands in for it)
    with qtbot.waitSignal(window.changed_elsewhere, timeout=10000):
        run_records.update_run(cli, run_id, status="running", summary={run_records.PROCESS: this_process()})
        run_records.rename_run(cli, run_id, "cli3")
    assert _row(page, run_id) == ["cli3", "running…"]
    assert page.runs.selected_ids() == [run_id]  # the selection kept
    assert not page.runs.resume_button.isEnabled()  # it trains elsewhere: nothing to resume
    assert "It is training now" in page.status.text()
    assert not page.resume(run_id)  # a list read before it started: said by its name, not its id
    assert page.failure.isVisible()
    assert "run “cli3” is training now" in page.failure.text()
    assert run_id not in page.failure.text()
    # it finishes there
    with qtbot.waitSignal(window.changed_elsewhere, timeout=10000):
        run_records.update_run(cli, run_id, status="finished")
    assert _row(page, run_id) == ["cli3", "finished"]
    assert page.runs.selected_ids() == [run_id]
    assert "Finished" in page.status.text()
    # deleted from the command line: not listed, not selected, not shown
    with qtbot.waitSignal(window.changed_elsewhere, timeout=10000):
        run_records.delete_run(cli, run_id)
    assert _row(page, run_id) is None
    assert page.runs.selected_ids() == []
    assert page.run_id is None


def test_runs_said_files_missing_are_listed_again_when_their_folder_comes_back(window, trained, qtbot, tmp_path):
    page, _cli, run_id = trained
    folder = window.session.project.root / "runs" / run_id
    shutil.move(folder, tmp_path / "away")  # the project's runs moved away (and the list read meanwhile)
    page.runs.refresh()
    assert _row(page, run_id)[1] == "files missing"
    # the window's one look every 2 seconds, stopped while another application is active, asks the list: no timer
    # of the list's own looks at the disk
    assert not [t for t in page.runs.findChildren(QTimer) if t.isActive()]
    shutil.move(tmp_path / "away", folder)  # and back: no database change says so
    with qtbot.waitSignal(window.watch.looked, timeout=10000):
        pass
    assert _row(page, run_id)[1] == "finished"
