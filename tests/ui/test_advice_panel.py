"""Advice in the app: shown on the Train page when a run ends and on the Evaluate page; its buttons set the
settings and show the right page, and start nothing; Evaluate > "Save report…" writes the report."""

from __future__ import annotations

import re

from cnnstudio.engine.events import RunFinished
from cnnstudio.engine.runs.advice import MORE_EPOCHS, Advice, action
from cnnstudio.engine.train.settings import SAFE_AUGMENT, TrainSettings
from tests.ui.test_training_view import open_tiny, train_once


def test_advice_buttons_set_the_settings_and_show_the_page(window, qtbot, tmp_path):
    # every picture has the same pixels: nothing can be learned, the advice says so and offers more epochs
    page = open_tiny(window, tmp_path, identical=True)
    window.workspace.show_step(2)
    window.resize(1280, 1000)  # room for the plots and the advice: it opens by itself (on a short screen it folds)
    qtbot.waitUntil(lambda: window.height() == 1000)
    assert not page.advice.isVisible()
    assert isinstance(train_once(qtbot, page, epochs=1), RunFinished)
    panel = page.advice
    assert panel.isVisible() and panel.run_id == page.run_id and panel.items
    assert panel.items[0].kind == "underfitting"
    more = panel.buttons[0]
    assert more.text() == f"Train a new run for {1 + MORE_EPOCHS} epochs (this one had 1)"
    window.workspace.show_step(0)
    more.click()
    assert page.settings_form.epochs.value() == 1 + MORE_EPOCHS and window.workspace.nav.currentRow() == 2
    assert not page.running  # nothing started by itself

    # augmentation is designed on the Model page; transfer learning is a design
    st = TrainSettings()
    panel.set_advice([Advice("overfitting", "high", "learning by heart", {}, action("augment", st)),
                      Advice("few_pictures", "medium", "few", {}, action("transfer", st))])
    assert [b.text() for b in panel.buttons] == ["Turn on augmentation", "Try transfer learning"]
    panel.buttons[0].click()
    model = window.workspace.model_page
    assert model.augment() == SAFE_AUGMENT and window.workspace.nav.currentRow() == 2
    panel.buttons[1].click()
    assert window.workspace.nav.currentRow() == 1
    assert model.design.backbone is not None and model.design.backbone["name"] == "mobilenet_v2"

    # the Evaluate page shows the run's advice, the interval, and saves the report
    ev_page = window.workspace.evaluate_page
    with qtbot.waitSignal(ev_page.evaluated, timeout=30_000):
        window.workspace.show_step(4)
    assert ev_page.advice.run_id == ev_page.run_id and ev_page.advice.items[0].kind == "underfitting"
    assert "likely" in ev_page.summary.text()
    assert re.search(r"validation \d+(\.\d)?% \(\d+–\d+%\)", ev_page.run_combo.currentText())  # with its range
    out = tmp_path / "report.html"
    with qtbot.waitSignal(ev_page.save_report.saved, timeout=60_000) as saved:
        assert ev_page.save_report.save_to(str(out))
    assert saved.args == [str(out)] and "<section id='advice'" in out.read_text(encoding="utf-8")
    assert ev_page.save_report.thread is None and ev_page.save_report.isEnabled()
    # closing the window while a report is being saved: the thread's own 'finished' comes after shutdown's, and
    # is not a second ending (it raised AttributeError on None.deleteLater)
    from PySide6.QtWidgets import QApplication

    failed = []
    ev_page.save_report.failed.connect(failed.append)
    assert ev_page.save_report.save_to(str(tmp_path / "closing.html"))
    ev_page.save_report.shutdown()
    QApplication.processEvents()  # the thread has ended: its queued 'finished' is delivered now
    assert ev_page.save_report.thread is None and ev_page.save_report.text() == "Save report…"
    assert len(failed) <= 1


def test_a_stopped_runs_advice_resumes_it_to_its_planned_epochs(window, qtbot, tmp_path):
    """QA: a run stopped at 3 of 5 epochs was advised "Train 20 more epochs"; its button is Resume now, and it
    finishes the planned epochs of that run (the runs list's Resume), not a new run."""
    import threading

    from cnnstudio.engine.events import EpochEnd, RunStopped
    from cnnstudio.engine.runs import lifecycle as runs
    from cnnstudio.project import run_records

    page = open_tiny(window, tmp_path, identical=True)  # nothing to learn: "train longer"
    project = window.session.project
    page.settings_form.epochs.setValue(3)
    stop = threading.Event()
    events = []  # stopped after epoch 1 of 3 (in this process: the test's own run, as Stop would leave it)
    for ev in runs.train(project, page.settings(), window.workspace.model_page.spec(), stop=stop):
        events.append(ev)
        if isinstance(ev, EpochEnd) and ev.epoch == 1:
            stop.set()
    assert isinstance(events[-1], RunStopped)
    rid = events[-1].run_id
    panel = page.advice
    panel.show_run(project, rid)
    resume = next(b for b in panel.buttons if b.text().startswith("Resume"))
    assert resume.text() == "Resume: train epochs 2 to 3" and "with its own settings" in resume.toolTip()
    window.workspace.show_step(0)
    with qtbot.waitSignal(page.run_ended, timeout=60_000) as ended:
        resume.click()
        assert window.workspace.nav.currentRow() == 2 and page.running
    assert isinstance(ended.args[0], RunFinished) and ended.args[0].run_id == rid and ended.args[0].epochs == 3
    assert run_records.get_run(project, rid).status == "finished"
    assert [r.id for r in run_records.list_runs(project)] == [rid]  # that run went on: no new one
    from cnnstudio.ui.advice_panel import _resume

    _resume(window.workspace, rid)  # an older advice's Resume, the run finished meanwhile: said, nothing starts
    assert not page.running and "cannot be resumed any more" in window.statusBar().currentMessage()


def test_a_run_without_validation_pictures_never_quotes_its_test_pictures(qtbot, tmp_path):
    # test pictures are for the end: the Train page's advice says how to look; Evaluate on them is that look, and the
    # findings still rest on the training pictures alone (engine/runs/advice_data.judged_on)
    from cnnstudio.project import ImageFilter
    from cnnstudio.ui.advice_panel import AdvicePanel
    from tests.engine.test_advice import trained
    from tests.engine.test_data import make_project
    from tests.engine.test_runs import settings

    project = make_project(tmp_path / "proj")
    project.set_split(project.ids(ImageFilter(split="val")), "train")  # no validation pictures at all
    try:
        run_id = trained(project, settings(epochs=2, validation=False))
        panel = AdvicePanel()
        qtbot.addWidget(panel)
        for split in (None, "test"):  # the Train page, then the Evaluate page on the test pictures
            panel.show_run(project, run_id, split) if split else panel.show_run(project, run_id)
            assert "no_validation" in [a.kind for a in panel.items]
            assert not any(a.evidence.get("split") == "test" for a in panel.items)
    finally:
        project.close()
