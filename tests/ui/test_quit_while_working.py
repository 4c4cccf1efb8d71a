"""QA: quitting with work running had no one rule. Predicting a folder closed at once and left a CSV of 128 rows that
did not say it was partial; Ctrl+Q during an import did nothing; the question's default was Yes for a data check but
No for training; at epoch 0 it promised a model. Now one question (ui/quit_question.py, words in ui/quit_words.py)
names what runs and what stopping it keeps, keeps working by default, and the project closing stops each job."""

from __future__ import annotations

from PIL import Image
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.test_prediction_view import _trained
from tests.ui.test_training_view import make_project, open_tiny


def _pictures(folder, n):
    """``n`` distinct small pictures (an import keeps one of two that are the same)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        Image.new("RGB", (8, 8), (i % 256, (i // 256) % 256, 7)).save(folder / f"p_{i}.png")
    return folder


def _answer_when_asked(seen, answer):
    """Once a question is up: note its title, first line, whole text and whether ``answer`` is not its default,
    then press ``answer``."""
    timer = QTimer()

    def look():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            return
        timer.stop()
        seen.append((box.windowTitle(), box.text().split("\n")[0], box.text(),
                     box.defaultButton() is box.button(QMessageBox.StandardButton.No)))
        box.button(answer).click()
    timer.timeout.connect(look)
    timer.start(5)
    return timer


def test_quitting_while_a_folder_is_predicted_asks_and_says_the_csv_is_partial(window, qtbot, tmp_path):
    page = _trained(window, qtbot, tmp_path)
    qtbot.waitUntil(lambda: page.loader.ready(page._chosen_run()) is not None, timeout=30_000)
    folder = _pictures(tmp_path / "many", 2500)
    csv = tmp_path / "out" / "pred2.csv"
    csv.parent.mkdir()
    assert page.predict_folder(folder, csv) and page.folder_panel.busy
    seen = []
    timer = _answer_when_asked(seen, QMessageBox.StandardButton.Yes)
    window.close()  # Ctrl+Q: asked, never closed at once
    timer.stop()
    assert [s[:2] for s in seen] == [("A folder is being predicted", "Stop the folder prediction and quit CNN Studio?")]
    assert "“pred2.csv” will hold only the pictures predicted so far." in seen[0][2]
    assert seen[0][3]  # keep working is the default, as for training
    assert not window.isVisible() and window.session is None
    assert csv.exists()


def test_ctrl_q_during_an_import_asks_then_stops_it(window, qtbot, tmp_path):
    assert window.open_project(make_project(tmp_path))
    importer = window.importer
    assert importer.start([_pictures(tmp_path / "more", 3000)])
    importer.dialog.show()  # its window-modal progress, which blocks the window's menu and its Ctrl+Q
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is importer.dialog, timeout=10_000)
    seen = []
    timer = _answer_when_asked(seen, QMessageBox.StandardButton.Yes)
    qtbot.keyClick(importer.dialog, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=30_000)
    timer.stop()
    assert [s[:2] for s in seen] == [("Pictures are being imported", "Stop the import and quit CNN Studio?")]
    assert "The pictures imported so far stay in the project" in seen[0][2] and seen[0][3]
    assert window.session is None and not importer.busy


def test_quitting_before_the_first_epoch_ends_says_there_is_no_model_as_stop_does(window, qtbot, tmp_path):
    page = open_tiny(window, tmp_path)
    page.settings_form.batch_size.setValue(2)
    page.settings_form.epochs.setValue(500)
    assert page.start() and page.clock.epochs_done == 0
    seen = []
    timer = _answer_when_asked(seen, QMessageBox.StandardButton.No)
    window.close()  # "No": the run goes on
    timer.stop()
    assert seen and seen[0][1] == "Stop the training and quit CNN Studio?" and seen[0][3]
    assert "No epoch was finished, so there is no model yet" in seen[0][2]
    assert "keeps its best model" not in seen[0][2]
    assert page.running and window.isVisible()
    with qtbot.waitSignal(page.run_ended, timeout=60_000):
        page.stop()


def test_while_a_run_trains_its_settings_stay_as_it_trains(window, qtbot, tmp_path):
    from cnnstudio.engine.events import BatchEnd
    from cnnstudio.project import import_paths

    page = open_tiny(window, tmp_path)
    form = page.settings_form
    form.batch_size.setValue(form.recipe_batch())  # the recipe's: it follows the pictures
    form.epochs.setValue(500)
    assert page.start()
    qtbot.waitUntil(lambda: isinstance(page.last_event, BatchEnd), timeout=60_000)
    batch = form.batch_size.value()
    # an advice button that would set up a next run: refused in one sentence, the form unchanged
    window.workspace.follow_advice({"id": "train_more", "label": "Train a new run for 22 epochs", "page": "Train",
                                    "settings": {"epochs": 22}})
    assert form.epochs.value() == 500
    said = window.statusBar().currentMessage()
    assert "wait for the run to end, or stop it" in said and "“Train a new run for 22 epochs”" in said
    # many pictures added mid-run: the batch shown stays the one the run trains with
    project = window.session.project
    import_paths(project, [_pictures(tmp_path / "lots" / "a", 300).parent], labels_from_folders=True)
    project.assign_splits((50, 25, 25), seed=0)
    window.session.splits_changed.emit()
    assert form.recipe_batch() != batch and form.batch_size.value() == batch
    with qtbot.waitSignal(page.run_ended, timeout=60_000):
        page.stop()
    assert form.batch_size.value() == form.recipe_batch()  # it follows once the run has ended


def test_evaluate_says_the_first_run_trains_and_its_model_comes_when_it_ends(window, qtbot, tmp_path):
    from cnnstudio.engine.events import BatchEnd

    page = open_tiny(window, tmp_path)
    page.settings_form.batch_size.setValue(2)
    page.settings_form.epochs.setValue(500)
    assert page.start()
    qtbot.waitUntil(lambda: isinstance(page.last_event, BatchEnd), timeout=60_000)
    evaluate = window.workspace.evaluate_page
    evaluate.refresh_runs()
    assert "A model is being trained" in _empty_text(evaluate) and "when the run ends" in _empty_text(evaluate)
    assert "Train a model first" not in _empty_text(evaluate)
    with qtbot.waitSignal(page.run_ended, timeout=60_000):
        page.stop()


def _empty_text(evaluate) -> str:
    from PySide6.QtWidgets import QLabel

    return evaluate.empty.findChild(QLabel, "emptyStateText").text()
