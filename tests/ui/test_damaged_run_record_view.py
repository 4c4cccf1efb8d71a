"""The Train page with a run whose record holds settings that are not an object (QA: its Resume crashed on
``(settings or {}).get("lr")``): the runs list shows it as a run without settings, and Resume says in one sentence
that its settings are damaged."""

from __future__ import annotations

import threading

from cnnstudio.engine.events import EpochEnd, RunStopped
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.project import run_records
from tests.engine.test_damaged_run_record import damage_settings
from tests.engine.test_data import make_project, tiny_spec
from tests.engine.test_runs import settings


def stopped_run(path) -> str:
    """A project at ``path`` with one run stopped after its first epoch (it can be resumed); its id."""
    project = make_project(path, per_class=6)
    try:
        stop = threading.Event()
        for ev in runs.train(project, settings(epochs=3), tiny_spec(), stop=stop):
            if isinstance(ev, EpochEnd):
                stop.set()
        assert isinstance(ev, RunStopped)
        damage_settings(project, ev.run_id, [1, 2])
        return ev.run_id
    finally:
        project.close()


def test_a_run_with_damaged_settings_is_listed_and_its_resume_says_why_it_cannot(window, qtbot, tmp_path):
    run_id = stopped_run(tmp_path / "proj")
    assert window.open_project(tmp_path / "proj")
    window.workspace.show_step_key("train")
    page = window.workspace.train_page
    qtbot.waitUntil(lambda: page.runs.table.rowCount() == 1)
    page.runs.select([run_id])
    details = page.runs.details.text()
    assert run_id in page.runs.details.toolTip() and "learning rate" not in details  # no settings said: the record holds none that can be read
    assert page.runs.resume_button.isEnabled()
    with qtbot.waitSignal(page.run_ended, timeout=60_000) as ended:
        assert page.resume(run_id)
    assert ended.args == [None]  # it never started: no run event
    assert page.failure.isVisible()
    assert f"could not start: the settings of run {run_id} in its config.json are damaged" in page.failure.text()
    assert run_records.get_run(window.session.project, run_id).status == "stopped"  # left as it was
