"""The Predict page loads its model in a thread (the first picture dropped used to stall the window ~2 s while
PyTorch was imported and the checkpoint read on the GUI thread): "Loading the model…" with a busy indicator as soon
as the page is shown, pictures dropped meanwhile predicted once it is there, a model chosen while another loads never
shows the other's answers, a model that cannot be loaded is one sentence; the camera tab waits for it the same way.

No waiting on the GUI thread between the page being shown and the drop: the loading thread's result only arrives
through the event loop, so the drop always meets the model still loading."""

from __future__ import annotations

from PySide6.QtCore import QThread

from cnnstudio.engine.events import RunFinished
from cnnstudio.project.run_records import MODEL_DIR, run_dir
from cnnstudio.project.run_records import find_run
from cnnstudio.ui.predict.model_choice import BEST, DAMAGED, LOADING, NO_MODEL, chosen_run, failed_note, load_failed
from tests.ui.test_drop import drop
from tests.ui.test_predict_pictures_thread import _choose
from tests.ui.test_prediction_view import _new_pictures
from tests.ui.test_training_view import open_trained, train_once


def _shown(window):
    """The Predict step shown (its model starts loading then); nothing waited for after."""
    page = window.workspace.predict_page
    window.workspace.show_step(5)
    assert page.body.currentIndex() == 1
    return page


def test_the_words_and_the_chosen_run():
    assert LOADING == "Loading the model…"
    assert chosen_run(None, "r1") is None and chosen_run(BEST, "r1") == "r1" and chosen_run("r2", "r1") == "r2"
    assert chosen_run(BEST, None) is None
    # a damaged model file: the run named as the Model box names it, plain words, one way out (no run id, no
    # "checksum" or "manifest": those are the engine's and the CLI's)
    said = load_failed(DAMAGED, "Small VGG · 2 epochs")
    assert said == ("The model of “Small VGG · 2 epochs” could not be loaded because its file is damaged (it was "
                    "changed or only partly copied): train it again on the Train page, or choose another model.")
    assert load_failed(DAMAGED).startswith("The model could not be loaded because its file is damaged")
    assert load_failed("run r1 has no trained model yet") == "The model could not be loaded: run r1 has no trained model yet."
    assert load_failed("Disk full.") == "The model could not be loaded: disk full."
    assert load_failed("CUDA error") == "The model could not be loaded: CUDA error."  # a name keeps its case
    assert load_failed("") == "The model could not be loaded."
    assert NO_MODEL.endswith("train one first")


def test_a_drop_while_the_model_loads_waits_for_it_off_the_gui_thread(window, qtbot, tmp_path):
    run_id = open_trained(window, qtbot, tmp_path)
    page = _shown(window)
    assert page.loader.loading() and page.loader.ready(run_id) is None  # on its way as soon as the page shows
    assert page.busy.isVisible() and page.busy.words.text() == LOADING
    assert page.busy.bar.maximum() == 0 and not page.busy.cancel_button.isVisible()  # busy; nothing to cancel yet
    loading = page.loader._threads[run_id]
    assert loading.isRunning() or loading.isFinished()  # a thread of its own, not the window's
    assert loading is not QThread.currentThread()

    files = _new_pictures(tmp_path / "new", 3)
    predicted = []
    page.predicted.connect(predicted.append)
    assert drop(page.list.viewport(), files)
    # the drop returned to the event loop without loading anything: the model is still on its way
    assert page.loader.ready(run_id) is None and page.thread is None and page._queue == [files]
    assert page.busy.words.text() == LOADING and page.busy.cancel_button.isVisible()  # Cancel: the drop waits
    more = _new_pictures(tmp_path / "more", 2)
    assert drop(page.list.viewport(), more)  # a second drop waits behind the first
    with qtbot.waitSignal(page.loader.loaded, timeout=30_000):
        pass
    predictor, no_hint = loading.result  # the model the page uses came out of the thread, with why it has no hint
    assert page.loader.predictor is predictor and page.loader.no_hint == no_hint
    qtbot.waitUntil(lambda: len(predicted) == 2, timeout=30_000)
    assert [len(p) for p in predicted] == [3, 2] and page.list.count() == 5
    assert not page.busy.isVisible() and not page._queue and not page.load_note.isVisible()

    page.clear()  # once loaded, a drop is predicted at once: no "Loading the model…" again
    assert drop(page.list.viewport(), files) and page.thread is not None
    assert page.busy.words.text() != LOADING
    qtbot.waitUntil(lambda: page.thread is None, timeout=30_000)


def test_cancel_while_the_model_loads_forgets_the_drops_waiting(window, qtbot, tmp_path):
    run_id = open_trained(window, qtbot, tmp_path)
    page = _shown(window)
    predicted = []
    page.predicted.connect(predicted.append)
    assert drop(page.list.viewport(), _new_pictures(tmp_path / "new", 2))
    page.busy.cancel_button.click()
    assert not page._queue and page.busy.words.text() == LOADING and not page.busy.cancel_button.isVisible()
    with qtbot.waitSignal(page.loader.loaded, timeout=30_000):
        pass
    assert page.loader.ready(run_id) is not None and not page.busy.isVisible()
    assert page.list.count() == 0 and predicted == [] and page.thread is None


def test_a_model_chosen_while_another_loads_never_shows_its_answers(window, qtbot, tmp_path):
    first = open_trained(window, qtbot, tmp_path)
    window.workspace.show_step(2)
    finished = train_once(qtbot, window.workspace.train_page, epochs=3)
    assert isinstance(finished, RunFinished)  # a second model
    page = _shown(window)
    second = next(page.model_combo.itemData(i) for i in range(1, page.model_combo.count())
                  if page.model_combo.itemData(i) != first)
    _choose(page, first)
    assert page.loader.wanted == first and page.loader.ready(first) is None
    files = _new_pictures(tmp_path / "new", 6)
    predicted = []
    page.predicted.connect(predicted.append)
    assert drop(page.list.viewport(), files) and page.thread is None  # waits for the first model
    _choose(page, second)  # before the first is there: what it brings back is dropped
    assert page.loader.wanted == second
    qtbot.waitUntil(lambda: len(predicted) == 1, timeout=30_000)
    assert page._predictor_key == second and page.loader.ready(first) is None
    assert page.list.count() == 6 and not page.busy.isVisible()
    shown = [p.probabilities for p in page.predictions]
    assert shown == [p.probabilities for p in page.loader.get(second).predict_many(files).predictions]
    qtbot.waitUntil(lambda: not page.loader._threads, timeout=30_000)  # the first model's thread ended, unseen
    assert len(predicted) == 1 and page._predictor_key == second
    with qtbot.waitSignal(page.predicted, timeout=30_000):
        _choose(page, first)  # the two models do answer differently (else this test could not fail)
    assert [p.probabilities for p in page.predictions] != shown


def test_the_pictures_that_wait_for_a_model_that_could_not_be_loaded_are_said(tmp_path):
    one, two = tmp_path / "a.png", tmp_path / "b.png"
    assert failed_note("", [one]) == "" and failed_note("It failed.", []) == "It failed."
    assert failed_note("It failed.", [one]) == "It failed. 1 picture waits: it is predicted once a model loads."
    assert failed_note("It failed.", [one, two]) == "It failed. 2 pictures wait: they are predicted once a model loads."
    assert failed_note("It failed.", [one, tmp_path]) == ("It failed. 1 picture and 1 folder wait: they are predicted "
                                                          "once a model loads.")


def test_a_model_that_cannot_be_loaded_is_one_sentence_and_the_pictures_dropped_wait(window, qtbot, tmp_path):
    run_id = open_trained(window, qtbot, tmp_path)
    weights = run_dir(window.session.project, run_id) / MODEL_DIR / "model.safetensors"
    whole = weights.read_bytes()
    weights.write_bytes(b"not the weights any more")  # damaged after training
    page = _shown(window)
    assert page.loader.loading()
    files = _new_pictures(tmp_path / "new", 2)
    # waited on from before the drop: the drop's events may deliver the failure (or, if the load failed already,
    # the drop tries again and fails again: the pictures wait either way)
    with qtbot.waitSignal(page.loader.failed, timeout=30_000) as failed:
        assert drop(page.list.viewport(), files)
    said = failed.args[1]
    name = find_run(window.session.project, run_id).name
    assert said == load_failed(DAMAGED, name) and name in page.model_combo.currentText()  # as the box names it
    assert run_id not in said and "checksum" not in said and "manifest" not in said
    assert said.count(". ") == 0 and "\n" not in said  # one sentence
    assert window.statusBar().currentMessage() == said
    # the pictures dropped are not lost without a word: they wait, and the note under the list says so
    assert page.load_note.isVisible()
    assert page.load_note.text() == f"{said} 2 pictures wait: they are predicted once a model loads."
    assert not page.busy.isVisible() and page._queue == [files] and page.list.count() == 0 and page.thread is None
    page.clear()  # Clear forgets them: the note says only why
    assert not page._queue and page.load_note.text() == said
    # the camera tab says it too when it is started on that model
    page.tabs.setCurrentIndex(2)
    from tests.ui.test_camera_predict_tab import _play

    _play(page.live, tmp_path)
    qtbot.waitUntil(lambda: page.live.bar.message.text().startswith("The model of"), timeout=30_000)
    assert page.live.worker is None
    page.live.bar.stop()
    page.tabs.setCurrentIndex(0)
    # dropped again: the model is tried again, fails again, and they wait; a model that loads predicts them
    with qtbot.waitSignal(page.loader.failed, timeout=30_000):
        assert drop(page.list.viewport(), files)
    assert page._queue == [files] and page.load_note.text().endswith("2 pictures wait: they are predicted once a model "
                                                                     "loads.")
    weights.write_bytes(whole)  # as a run trained again would be
    predicted = []
    page.predicted.connect(predicted.append)
    _choose(page, run_id)  # another row of the Model box
    qtbot.waitUntil(lambda: len(predicted) == 1, timeout=30_000)
    assert [p.path for p in predicted[0]] == [str(f) for f in files] and page.list.count() == 2
    assert not page.load_note.isVisible() and not page._queue


def test_a_run_chosen_again_as_its_load_fails_loads_afresh(window, qtbot, tmp_path):
    # CI: the run chosen again while its failed loading thread had not ended yet was never loaded (nothing predicted)
    run_id = open_trained(window, qtbot, tmp_path)
    weights = run_dir(window.session.project, run_id) / MODEL_DIR / "model.safetensors"
    whole = weights.read_bytes()
    weights.write_bytes(b"not the weights any more")
    page = _shown(window)
    loader = page.loader

    def again(*_):  # in the failure's own slot: its thread has not ended yet
        weights.write_bytes(whole)
        loader.want(run_id)

    loader.failed.connect(again)
    with qtbot.waitSignal(loader.loaded, timeout=30_000) as loaded:
        loader.want(run_id)
    loader.failed.disconnect(again)
    assert loaded.args == [run_id] and loader.ready(run_id) is not None
