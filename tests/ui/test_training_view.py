"""The Train page: a real run of the engine's generator in the GUI worker, live plots, stop, pause, close, runs list.

The helpers at the top are shared with the evaluation and prediction view tests: a tiny real project
(8x8 PNGs written here, imported and split) and a tiny design, so a run takes well under a second.
"""

from __future__ import annotations

import atexit
import math
import shutil
import tempfile
from pathlib import Path

from PIL import Image, PngImagePlugin

from cnnstudio.engine.events import RunFailed, RunFinished, RunStopped
from cnnstudio.project import Project, import_paths
from cnnstudio.project.open_lock import LOCK_NAME
from cnnstudio.project.run_records import list_runs
from cnnstudio.ui.train.run_words import plain_words


def write_pictures(root: Path, classes=("a", "b"), per_class=8, size=(8, 8), identical=False) -> Path:
    """Folder-per-class PNGs. ``identical``: every picture has the same pixels (distinct bytes through a
    text chunk), so no model can tell the classes apart and its mistakes are certain."""
    for ci, name in enumerate(classes):
        (root / name).mkdir(parents=True, exist_ok=True)
        for i in range(per_class):
            color = (90, 90, 90) if identical else (ci * 150 + 40, (i * 23) % 200, 60 + 30 * ci)
            info = PngImagePlugin.PngInfo()
            info.add_text("n", f"{name}-{i}")
            Image.new("RGB", size, color).save(root / name / f"{name}_{i}.png", pnginfo=info)
    return root


def make_project(tmp_path: Path, identical=False, **kw) -> Path:
    src = write_pictures(tmp_path / "src", identical=identical, **kw)
    with Project.create(tmp_path / "proj") as p:
        import_paths(p, [src], labels_from_folders=True)
        p.assign_splits((50, 25, 25), seed=0)
    return tmp_path / "proj"


def tiny_design(window) -> None:
    """conv 4 -> ReLU -> global average pool, on 8x8 grey pictures, no augmentation."""
    from cnnstudio.engine.model.catalog import layer
    from cnnstudio.engine.model.spec import ModelSpec

    designer = window.workspace.model_page
    designer.tabs.preprocess_panel.set_values(8, 8, 1, "squash", "unit")
    designer.set_spec(ModelSpec.create(8, 8, 1, [layer("conv2d", out_channels=4), layer("relu"),
                                                 layer("global_avg_pool")]))
    designer.tabs.augment_panel.off.click()
    assert designer.is_valid(), designer.reason()


def open_tiny(window, tmp_path, identical=False, **kw):
    assert window.open_project(make_project(tmp_path, identical=identical, **kw))
    tiny_design(window)
    page = window.workspace.train_page
    page.settings_form.epochs.setValue(1)
    page.settings_form.batch_size.setValue(4)
    return page


def train_once(qtbot, page, epochs=1):
    page.settings_form.epochs.setValue(epochs)
    with qtbot.waitSignal(page.run_ended, timeout=60_000) as blocker:
        assert page.start()
    return blocker.args[0]


_TRAINED: dict[tuple, Path] = {}  # open_tiny's options -> that project with one finished run, for the session


def open_trained(window, qtbot, tmp_path, **kw) -> str:
    """:func:`open_tiny`'s project (``kw``: its options) with one finished one-epoch run, open in ``window``;
    returns the run's id. The first call with these options in a session trains it through the Train page (the
    child process, as a user would); later calls open a copy of that project: training it again would only
    repeat the same run, and each child process costs ~5 s importing PyTorch on the test machine."""
    key = tuple(sorted(kw.items()))
    kept = _TRAINED.get(key)
    if kept is not None and kept.is_dir():
        copy = tmp_path / "trained"
        shutil.copytree(kept, copy)
        assert window.open_project(copy)
    else:
        assert isinstance(train_once(qtbot, open_tiny(window, tmp_path, **kw)), RunFinished)
        kept = Path(tempfile.mkdtemp(prefix="cnnstudio-trained-tiny-")) / "proj"
        shutil.copytree(window.session.project.root, kept, ignore=shutil.ignore_patterns(LOCK_NAME))
        atexit.register(shutil.rmtree, kept.parent, True)
        _TRAINED[key] = kept
    (run,) = list_runs(window.session.project, "finished")
    return run.id


def _points(series) -> int:
    x, _y = series.curve.getData()
    return 0 if x is None else len(x)


# --------------------------------------------------------------------------------------------------------
def test_training_one_epoch_draws_the_curves_and_lists_the_run(window, qtbot, tmp_path):
    page = open_tiny(window, tmp_path)
    window.workspace.show_step(2)
    assert page.start_button.isEnabled() and not page.blocked.isVisible()
    ev = train_once(qtbot, page, epochs=2)
    assert isinstance(ev, RunFinished) and ev.epochs == 2
    assert not page.running and page.thread is None
    plots = page.plots
    assert _points(plots.train_loss) == 2 and _points(plots.val_loss) == 2
    assert _points(plots.train_acc) == 2 and _points(plots.val_acc) == 2
    assert _points(plots.smooth_loss) >= 2 and _points(plots.lr) >= 2
    assert all(math.isfinite(v) for v in plots.train_loss.curve.getData()[1])
    assert plots.best_lines[0].isVisible()
    assert "Finished" in page.status.text()
    assert page.runs.table.rowCount() == 1
    assert page.runs.table.item(0, 1).text() == "finished"
    assert "best epoch" in plain_words(page.runs.details.text())
    assert page.start_button.isEnabled()
    # the scores carry their 95 % interval, written by one rule, on the result line and in the runs list
    from cnnstudio.engine.use.figures import score_text
    from cnnstudio.project import run_records

    summary = run_records.get_run(window.session.project, ev.run_id).summary
    val, test = (score_text(summary[f"{k}_accuracy"], summary["images"][k]) for k in ("val", "test"))
    assert "–" in val and "–" in test  # an interval, e.g. "50.0% (15–85%)"
    assert f"validation accuracy {val}" in page.status.text()
    assert "test accuracy" not in page.status.text()  # test pictures are for the end (run_words.finished_text)
    two = lambda score: score.replace(" (", "\n(")  # noqa: E731 - the runs list: the score over its range
    assert _cell(page, ev.run_id, "Val. accuracy") == two(val)
    assert _cell(page, ev.run_id, "Test accuracy") == "–"  # test pictures are for the end: not looked at yet
    assert page.runs.table.isColumnHidden(3) and "test accuracy" not in plain_words(page.runs.details.text())
    assert "confidence interval" in page.runs.table.item(0, 2).toolTip()


def test_stop_and_pause_mid_run(window, qtbot, tmp_path):
    from cnnstudio.engine.events import BatchEnd
    from cnnstudio.project import run_records as index

    page = open_tiny(window, tmp_path)
    page.settings_form.batch_size.setValue(2)
    page.settings_form.epochs.setValue(500)
    with qtbot.waitSignal(page.run_ended, timeout=60_000) as ended:
        assert page.start()
        qtbot.waitUntil(lambda: isinstance(page.last_event, BatchEnd), timeout=30_000)
        assert page.stop_button.isEnabled() and not page.start_button.isEnabled()
        page.pause_button.setChecked(True)
        qtbot.waitUntil(lambda: page.thread is not None and page.thread.paused_event.is_set(), timeout=30_000)
        page._tick()
        assert "Paused" in page.status.text()
        assert _cell(page, page.run_id, "Status") == "paused"  # the runs table says it too, not "running…"
        page.runs.reload_run(page.run_id)  # a new best epoch reads the run's record again: still paused
        assert _cell(page, page.run_id, "Status") == "paused"
        # Continue: the trainer goes on a moment later; a look before then still finds it waiting ...
        page.pause_button.setChecked(False)
        assert page.thread.paused_event.is_set()
        page._tick()
        assert page.status.text() == "Continuing…" and page.clock.paused
        # ... and once it trains again the status says the run's line again and the clock goes on
        qtbot.waitUntil(lambda: not page.thread.paused_event.is_set(), timeout=30_000)
        page._tick()
        assert page.status.text() == page._run_line and page._run_line.startswith("Training on")
        assert not page.clock.paused and _cell(page, page.run_id, "Status") == "running…"
        elapsed = page.clock.elapsed()
        qtbot.waitUntil(lambda: page.clock.elapsed() > elapsed + 0.2, timeout=30_000)
        page.stop()
    ev = ended.args[0]
    assert isinstance(ev, RunStopped)
    assert index.get_run(window.session.project, ev.run_id).status == "stopped"
    assert "Resume" in page.status.text()
    # the stopped run can be resumed from the list (and stopped again)
    page.runs.select([ev.run_id])
    assert page.runs.resume_button.isEnabled()


def test_the_event_that_says_stopped_or_finished_also_turns_pause_and_stop_off_and_leaves_no_time_left(
        window, qtbot, tmp_path):
    """Stop turns Pause and Stop off at once; when "Stopped" (or "Finished") is written the row says so too and
    the line under it keeps no "about … left", while the child process may still be exiting; and after."""
    from cnnstudio.engine.events import TERMINAL, EpochEnd

    page = open_tiny(window, tmp_path)
    page.settings_form.batch_size.setValue(2)
    seen = {}

    def at_the_end(ev):  # connected after the page's own slot: what the user sees when the event arrives
        if isinstance(ev, TERMINAL):
            seen[type(ev).__name__] = (page.pause_button.isEnabled(), page.stop_button.isEnabled(),
                                       page.running, page.stats.text(), _cell(page, ev.run_id, "Status"),
                                       page.status.text())

    page.settings_form.epochs.setValue(500)
    with qtbot.waitSignal(page.run_ended, timeout=60_000):
        assert page.start()
        page.thread.yielded.connect(at_the_end)
        qtbot.waitUntil(lambda: isinstance(page.last_event, EpochEnd), timeout=60_000)
        qtbot.waitUntil(lambda: " left" in page.stats.text(), timeout=30_000)
        page.stop()
        assert not page.pause_button.isEnabled() and not page.stop_button.isEnabled()  # at once
        assert page.status.text() == "Stopping after this batch…"
    pause, stop, running, stats, row, status = seen["RunStopped"]
    assert (pause, stop, row) == (False, False, "stopped") and status.startswith("Stopped after epoch")
    assert " left" not in stats and "epochs trained" in stats and "elapsed" in stats
    assert " left" not in page.stats.text() and not page.stop_button.isEnabled() and page.start_button.isEnabled()
    page._tick()
    assert " left" not in page.stats.text()

    assert isinstance(train_once(qtbot, page, epochs=2), RunFinished)  # a new run, to its end
    # a finished run: the same, read from the line written at its end
    assert " left" not in page.stats.text() and "2 of 2 epochs trained" in page.stats.text()


def test_closing_the_window_during_a_run_asks_then_stops(window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from cnnstudio.engine.events import BatchEnd

    page = open_tiny(window, tmp_path)
    page.settings_form.batch_size.setValue(2)
    page.settings_form.epochs.setValue(500)
    root = window.session.project.root
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.No)
    assert page.start()
    qtbot.waitUntil(lambda: isinstance(page.last_event, BatchEnd), timeout=30_000)
    thread = page.thread
    window.close()  # "No": keep training
    assert asked and page.running and window.isVisible()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.close()
    assert not thread.isRunning() and window.session is None
    with Project.open(root) as p:
        from cnnstudio.project import run_records as index

        assert [r.status for r in index.list_runs(p)] == ["stopped"]


def test_a_failed_run_shows_the_engines_reason(window, qtbot, tmp_path):
    page = open_tiny(window, tmp_path)
    device = page.settings_form.device
    device.addItem("A missing graphics card", "cuda:7")  # not on this machine: the engine refuses it
    device.setCurrentIndex(device.count() - 1)
    with qtbot.waitSignal(page.run_ended, timeout=60_000) as blocker:
        assert page.start()
    assert isinstance(blocker.args[0], RunFailed)
    assert not page.failure.isHidden()
    assert "cuda" in page.failure.text().lower() or "graphics card" in page.failure.text().lower()
    assert page.runs.table.item(0, 1).text() == "failed"


def test_runs_list_rename_delete_compare_and_data_changed(window, qtbot, tmp_path):
    page = open_tiny(window, tmp_path)
    first = train_once(qtbot, page)
    second = train_once(qtbot, page)
    ids = [first.run_id, second.run_id]
    page.runs.select(ids)
    assert sorted(page.runs.selected_ids()) == sorted(ids)
    # the two runs' curves are laid over the plots (the run on screen is not doubled)
    overlaid = [o for o in page.plots.overlays if _points(o["train_loss"])]
    assert len(overlaid) == 1 and _points(overlaid[0]["lr"])  # its learning rate too
    # which colour is which run, said once above the plots; validation and training drawn differently
    note = page.plots.compare_note
    assert not note.isHidden() and page.runs.run_info(first.run_id).name in note.text()
    assert "solid: validation, dotted: training" in note.text()
    assert overlaid[0]["val_loss"].curve.opts["pen"].style() != overlaid[0]["train_loss"].curve.opts["pen"].style()
    page.runs.select([second.run_id])
    assert note.isHidden()
    page.runs.select(ids)
    page.runs.rename_run(first.run_id, "First try")
    assert any(page.runs.table.item(r, 0).text() == "First try" for r in range(page.runs.table.rowCount()))
    # relabel a picture: both runs now say their data changed
    s = window.session
    image = s.project.ids()[0]
    other = [c.id for c in s.project.classes() if c.id != s.project.image(image).class_id][0]
    s.label([image], other)
    page._refresh()
    assert [page.runs.table.item(r, 7).text() for r in range(2)] == ["⚠\nchanged"] * 2
    assert not page.runs.table.isColumnHidden(7)  # shown only when a run's data changed
    page.runs.select([first.run_id])
    assert "data changed since this model was trained" in page.runs.details.text()
    # a run another process trains (a 'cnnstudio train' in a terminal) is kept, with why
    from cnnstudio.project import run_records
    from cnnstudio.project.processes import this_process

    run_records.update_run(s.project, first.run_id, status="running", summary={run_records.PROCESS: this_process()})
    assert page.runs.delete_runs([first.run_id]) == [
        "Run “First try” is training now (in CNN Studio's window or a 'cnnstudio train' command): stop it "
        "first, then delete it."]
    assert (s.project.root / "runs" / first.run_id).exists()
    run_records.update_run(s.project, first.run_id, status="finished")
    assert page.runs.delete_runs([first.run_id]) == []
    assert page.runs.table.rowCount() == 1
    assert not (s.project.root / "runs" / first.run_id).exists()
    # a run whose folder was deleted by hand says so, and Delete takes its row away
    import shutil

    shutil.rmtree(s.project.root / "runs" / second.run_id)
    page.runs.refresh()
    assert _cell(page, second.run_id, "Status") == "files missing"
    page.runs.select([second.run_id])
    assert f"The files of run {second.run_id} are missing" in page.runs.details.text()
    page.runs.delete_runs([second.run_id])
    assert page.runs.table.rowCount() == 0


def test_the_links_in_the_notes_lead_to_the_data_and_model_pages(window, qtbot, tmp_path):
    page = open_tiny(window, tmp_path)
    ws = window.workspace
    ws.show_step(2)
    page.blocked.linkActivated.emit("data")
    assert ws.nav.currentRow() == 0
    ws.show_step(2)
    page.failure.linkActivated.emit("model")
    assert ws.nav.currentRow() == 1


def _cell(page, run_id, column="Epochs"):
    from cnnstudio.ui.train.runs_panel import COLUMNS

    table = page.runs.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).data(256) == run_id)  # UserRole
    return table.item(row, COLUMNS.index(column)).text()


def _stop_after(qtbot, page, epochs_done: int):
    qtbot.waitUntil(lambda: page.clock.epochs_done >= epochs_done, timeout=60_000)
    with qtbot.waitSignal(page.run_ended, timeout=60_000) as ended:
        page.stop()
    return ended.args[0]


def test_every_progress_figure_agrees_before_and_after_a_resume(window, qtbot, tmp_path):
    """Train, stop, resume: the runs table, the status line, the bar and the plots say the same epoch; the bar
    and "elapsed" count the whole run and the plots keep the epochs trained before the resume."""
    from cnnstudio.engine.events import EpochEnd
    from cnnstudio.engine.runs import lifecycle as runs
    from cnnstudio.engine.train.clock import clock_text

    page = open_tiny(window, tmp_path)
    window.workspace.show_step(2)
    page.settings_form.batch_size.setValue(2)
    page.settings_form.epochs.setValue(500)
    assert page.start()
    qtbot.waitUntil(lambda: page.clock.epochs_done >= 2, timeout=60_000)
    page._tick()
    clock = page.clock
    # the line and the table say the same epochs trained (the line said "Epoch 3 of 500" beside "2 / 500")
    assert page.stats.text().startswith(f"{clock.epochs_done} of 500 epochs trained")
    assert _cell(page, page.run_id) == f"{clock.epochs_done} / 500"  # the table follows, not "0 / 500"
    assert page.progress.maximum() == 500 * clock.batches and page.progress.value() == clock.done
    stopped = _stop_after(qtbot, page, 3)
    assert isinstance(stopped, RunStopped)
    done = stopped.epoch
    assert _cell(page, stopped.run_id) == f"{done} / 500" == page.clock.table_epochs()
    stopped_elapsed = runs.read_metrics(window.session.project, stopped.run_id)[-1]["elapsed"]  # epoch `done`'s
    bpe = page.clock.batches
    # the bar says the kept epochs, as "N of 500 epochs trained" does: the half-trained epoch was thrown away
    assert page.progress.value() == page.clock.done == done * bpe
    assert f"{done} of 500 epochs trained" in page.stats.text()
    # its speed is the run's steady one its record keeps (run_speed.py), not that of the batches Stop cut short
    speed = runs.run_records.get_run(window.session.project, stopped.run_id).summary["images_per_second"]
    assert page.clock.speed == speed and f"{speed:,.0f} pictures/s" in page.stats.text()

    # resume: the bar starts at the epochs done, of all planned; the plots show the earlier epochs
    from cnnstudio.engine.use.figures import score_text
    from cnnstudio.project.run_records import scored_pictures

    best = []  # a new best epoch while it trains: what the runs list says when the page has taken the event

    def new_best(ev):  # connected after the page's own slot
        if isinstance(ev, EpochEnd) and ev.is_best and not best:
            n = scored_pictures(runs.run_records.get_run(window.session.project, stopped.run_id).summary, "val")
            best.append((ev, score_text(ev.val_accuracy, n), _cell(page, stopped.run_id, "Val. accuracy"),
                         plain_words(page.runs.details.text())))

    assert page.resume(stopped.run_id)
    page.thread.yielded.connect(new_best)
    page.runs.select([stopped.run_id])
    qtbot.waitUntil(lambda: page.clock.epochs_done >= done + 1, timeout=60_000)
    page._tick()
    clock = page.clock
    assert clock.start_epoch == done + 1 and clock.start_done == done * bpe
    assert page.progress.maximum() == 500 * bpe and page.progress.value() == clock.done > done * bpe
    assert page.stats.text().startswith(f"{clock.epochs_done} of 500 epochs trained")
    assert _cell(page, stopped.run_id) == f"{clock.epochs_done} / 500"
    # "elapsed" is the run's whole training time: it goes on from the stopped run's, not from 0
    assert clock.before == stopped_elapsed > 0 and clock.elapsed() > stopped_elapsed
    assert f"elapsed {clock_text(clock.elapsed())}" in page.stats.text()
    page.plots.flush()
    lr_x = page.plots.lr.curve.getData()[0]
    before = [float(x) for x in lr_x if x <= done]  # the learning rate of the earlier epochs: every step's again
    assert len(before) == done * bpe and all(math.isclose(x, (s + 1) / bpe) for s, x in enumerate(before))
    train_x = list(page.plots.train_loss.curve.getData()[0])
    assert train_x[:done + 1] == list(range(1, done + 2))  # epochs 1..done from the file, then the new one
    qtbot.waitUntil(lambda: bool(best), timeout=60_000)  # the loss still falls: a new best comes soon
    ev, expected, cell, details = best[0]
    assert ev.epoch > done  # not the stopped run's best: the list shows the best so far, as the plots do
    assert cell == expected.replace(" (", "\n(") and f"best epoch {ev.epoch} · validation accuracy {expected}" in details
    ev = _stop_after(qtbot, page, done + 2)
    assert isinstance(ev, RunStopped)
    assert _cell(page, ev.run_id) == f"{ev.epoch} / 500" == page.clock.table_epochs()
    # a stopped run has a speed too, the one its status line said (not "–")
    speed = page.runs.run_info(ev.run_id).summary["images_per_second"]
    assert speed > 0 and _cell(page, ev.run_id, "Pictures/s") == f"{speed:,.0f}"


def test_an_empty_project_says_import_pictures_and_its_button_goes_to_the_data_page(window, qtbot, tmp_path):
    assert window.create_project(tmp_path / "empty")
    ws = window.workspace
    ws.show_step(2)
    page = ws.train_page
    qtbot.waitUntil(page.isVisible)  # a page built on first show is shown by its layout on the next loop
    assert not page.start_button.isEnabled() and page.blocked_box.isVisible()
    assert "Import and label pictures first" in page.blocked.text()
    assert "Model page" not in page.blocked.text() and "number of classes" not in page.blocked.text()
    assert page.blocked_button.isVisible() and page.blocked_button.text() == "Go to the Data page"
    with qtbot.waitSignal(page.go_to_step) as went:
        page.blocked_button.click()
    assert went.args == ["data"]
    assert ws.nav.currentRow() == 0


def test_at_1280x800_the_finished_line_never_widens_the_window_and_six_runs_show(window, qtbot, tmp_path):
    from PySide6.QtWidgets import QApplication

    page = open_tiny(window, tmp_path)
    ws = window.workspace
    ws.show_step(2)
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.height() == 800)
    width = window.width()
    ev = train_once(qtbot, page, epochs=1)
    assert isinstance(ev, RunFinished) and page.status.text().startswith("Finished")
    page.status.setText(page.status.text() + " " + "and a very long tail of words " * 12)
    QApplication.processEvents()  # the layout requests a wider label would post reach the window now
    assert window.width() == width
    assert page.status.minimumSizeHint().width() < 300  # it wraps: it asks for no width of its own
    assert page.minimumSizeHint().width() + ws.nav.width() <= 1280  # the Train page fits without scrolling
    table = page.runs.table
    assert table.height() >= 6 * table.verticalHeader().defaultSectionSize()


def test_advanced_settings_fold_away_with_their_recommended_values_and_glossary_tips(window, qtbot, tmp_path):
    from cnnstudio.project.glossary import tip

    page = open_tiny(window, tmp_path)
    window.workspace.show_step(2)
    form = page.settings_form
    assert form.advanced.isHidden() and not form.weight_decay.isVisible()  # closed by default
    assert form.epochs.isVisible() and form.batch_size.isVisible() and form.lr.isVisible()
    form.advanced_button.click()
    qtbot.waitUntil(form.weight_decay.isVisible)
    assert form.recommended_notes["weight_decay"].text() == "recommended: 0.0005"
    assert form.recommended_notes["label_smoothing"].text() == "recommended: 0.1"
    assert form.weight_decay.toolTip().startswith(tip("weight decay"))
    assert form.label_smoothing.toolTip().startswith(tip("label smoothing"))
    assert form.optimizer.toolTip() == tip("optimizer") and form.schedule.toolTip() == tip("schedule")
    assert form.epochs.toolTip().startswith(tip("epoch")) and form.lr.toolTip().startswith(tip("learning rate"))
    form.advanced_button.click()
    assert form.advanced.isHidden()


def test_auto_says_what_it_will_do_before_start_by_the_trainers_rule(window, qtbot, tmp_path):
    from cnnstudio.engine.runs.auto_time import auto_hint, run_pace
    from cnnstudio.engine.train.settings import planned_pictures

    page = open_tiny(window, tmp_path)
    window.workspace.show_step(2)
    form = page.settings_form
    form.epochs.setValue(0)
    note = form.auto_note
    assert note.isVisible() and "chosen after timing a few batches" in note.text()  # no speed measured yet
    ev = train_once(qtbot, page, epochs=1)
    form.epochs.setValue(0)
    pace = run_pace(page.runs.run_info(ev.run_id).summary)  # its whole epochs' time, not its steps' pictures/s
    expected = auto_hint(page.settings(), *planned_pictures(window.session.project.counts()), pace)
    assert note.text() == expected and note.text().startswith("Auto: about 40 epochs")  # tiny data: the cap
    # another design: the last run's speed says nothing about it (a frozen transfer head on cached features
    # trained 2,000 pictures/s where the network from scratch trained 35, and Auto said "~1 s")
    window.workspace.model_page.apply_preset("classic")
    page.update_auto_note()
    assert "chosen after timing a few batches" in note.text()
    form.epochs.setValue(5)
    assert not note.isVisible()


def test_preparing_the_pictures_counts_or_spins_never_0_of_0(window, qtbot, tmp_path):
    """Everything from the cache (nothing to count): an indeterminate bar with words, not "0 of 0"."""
    from cnnstudio.engine.events import DataProgress

    page = open_tiny(window, tmp_path)
    page._on_event(DataProgress(0, 0, "16 picture(s) from the cache"))
    assert "0 of 0" not in page.status.text() and page.status.text() == "16 picture(s) from the cache…"
    assert (page.progress.minimum(), page.progress.maximum()) == (0, 0)  # indeterminate
    page._on_event(DataProgress(3, 12))
    assert page.status.text() == "Preparing the pictures: 3 of 12"
    assert (page.progress.value(), page.progress.maximum()) == (3, 12)
