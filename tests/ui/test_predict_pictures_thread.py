"""The Predict page's pictures thread: a change of model while pictures are predicted predicts them again with the new
model (the old model's answers are dropped); Clear and Cancel stop it; the bar says how far it is; every row's
thumbnail fills the same box (made in the thread)."""

from __future__ import annotations

from cnnstudio.engine.events import RunFinished
from cnnstudio.ui.predict.drop_list import ICON
from cnnstudio.ui.predict.picture_thread import progress_words
from tests.ui.test_drop import drop
from tests.ui.test_prediction_view import _new_pictures, _trained
from tests.ui.test_training_view import train_once


def _choose(page, run_id) -> None:
    """The user picks ``run_id`` in the Model box."""
    page.model_combo.setCurrentIndex(page.model_combo.findData(run_id))
    page.model_combo.activated.emit(page.model_combo.currentIndex())


def _drop(qtbot, page, files) -> list:
    with qtbot.waitSignal(page.predicted, timeout=30_000) as got:
        assert drop(page.list.viewport(), files)
    return got.args[0]


def test_a_model_chosen_while_pictures_are_predicted_predicts_them_again(window, qtbot, tmp_path):
    _trained(window, qtbot, tmp_path)
    window.workspace.show_step(2)
    assert isinstance(train_once(qtbot, window.workspace.train_page, epochs=3), RunFinished)  # a second model
    page = window.workspace.predict_page
    window.workspace.show_step(5)
    first, second = (page.model_combo.itemData(i) for i in range(1, page.model_combo.count() - 1))  # not "Open a model file…"
    files = _new_pictures(tmp_path / "new", 6)
    _choose(page, first)
    qtbot.waitUntil(lambda: page.loader.ready(first) is not None, timeout=30_000)  # loaded in a thread
    assert drop(page.list.viewport(), files) and page.thread is not None
    with qtbot.waitSignal(page.predicted, timeout=30_000):  # the first model's answers never reach the list
        _choose(page, second)
    qtbot.waitUntil(lambda: page.thread is None, timeout=30_000)
    assert page.list.count() == 6 and page._predictor_key == second
    shown = [p.probabilities for p in page.predictions]
    page.clear()
    _drop(qtbot, page, files)  # the same pictures, the second model chosen from the start: the same answers
    assert [p.probabilities for p in page.predictions] == shown
    with qtbot.waitSignal(page.predicted, timeout=30_000):
        _choose(page, first)  # the two models do answer differently (else this test could not fail)
    assert [p.probabilities for p in page.predictions] != shown


def test_clear_and_cancel_stop_the_pictures_and_the_rows_line_up(window, qtbot, tmp_path):
    page = _trained(window, qtbot, tmp_path)
    files = _new_pictures(tmp_path / "new", 3)  # 20 x 14 pictures, smaller than a row's thumbnail box
    preds = _drop(qtbot, page, files)
    assert len(preds) == 3 and not page.busy.isVisible()
    for row in range(3):  # each thumbnail fills the box: every row's text starts at the same place
        sizes = page.list.item(row).icon().availableSizes()
        assert sizes and max(sizes[0].width(), sizes[0].height()) == ICON
    # Clear while a drop is predicted: it is cancelled, and nothing of it comes back
    predicted = []
    page.predicted.connect(predicted.append)
    assert drop(page.list.viewport(), _new_pictures(tmp_path / "more", 4))
    assert page.busy.isVisible() and page.busy.cancel_button.isVisible()
    page.clear()
    qtbot.waitUntil(lambda: page.thread is None, timeout=30_000)
    assert page.list.count() == 0 and predicted == [] and not page.busy.isVisible()
    # Cancel: the drop waiting behind the one predicted is never predicted
    assert drop(page.list.viewport(), files)
    assert drop(page.list.viewport(), _new_pictures(tmp_path / "waiting", 5))
    with qtbot.waitSignal(page.predicted, timeout=30_000):
        page.busy.cancel_button.click()
    qtbot.waitUntil(lambda: page.thread is None, timeout=30_000)
    assert page.list.count() <= 3 and not page._queue and not page.busy.isVisible()


def test_the_progress_words():
    assert progress_words(0, 1) == "Predicting 1 picture…"
    assert progress_words(0, 300) == "Predicting 300 pictures…"
    assert progress_words(120, 1300) == "Predicted 120 of 1,300 pictures…"


def test_cancel_lists_whole_rows_and_the_bar_counts_the_thumbnails(window, qtbot, tmp_path):
    """Re-QA N5: Cancel once the bar read "Predicted 300 of 300 pictures…" left 231 rows without a thumbnail and said
    nothing: the thumbnails were made after the predictions, with the bar standing still. Each batch is done with
    its thumbnails now: Cancel at any point gives whole rows, and says so."""
    import threading

    from cnnstudio.ui.predict.picture_thread import picture_work

    page = _trained(window, qtbot, tmp_path)
    predictor = page.load_predictor()
    predictor.batch_size = 4  # three batches of these ten pictures
    files = _new_pictures(tmp_path / "ten", 10)
    for stop_at in (4, 10):  # after the first batch; after the last ("10 of 10"), when only thumbnails were left
        cancel, seen = threading.Event(), []

        def progress(done, total, _message="", stop_at=stop_at):
            seen.append((done, total))
            if done >= stop_at:
                cancel.set()

        result, thumbs = picture_work(predictor, files, 1.0)(progress, cancel)
        assert result.cancelled and len(result.predictions) == stop_at == len(thumbs)
        assert not any(t.isNull() for t in thumbs)  # every row listed has its thumbnail
        assert seen[-1] == (stop_at, 10)

    # on the page: the rows listed after a cancel all have their thumbnail, and the status bar says how many
    with qtbot.waitSignal(page.predicted, timeout=30_000):
        assert drop(page.list.viewport(), files)
        page.busy.cancel_button.click()
    assert all(not page.list.item(r).icon().isNull() for r in range(page.list.count()))
    said = window.statusBar().currentMessage()
    assert said == f"Predicted {page.list.count()} of 10 pictures before you cancelled.", said
