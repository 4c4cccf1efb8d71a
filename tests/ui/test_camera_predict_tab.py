"""The Predict step's "Camera" tab (QA camera report, findings 3, 8, 9, 14, 17, 18): its words without a window, then
the tab on a trained model fed by a video file (no camera on test machines): "Add this frame" waits for a live frame
and a class, the class follows the model's answer until the user chooses one, a stopped camera leaves nothing of
its stream behind, and a read-only project says why nothing can be added."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from cnnstudio.ui.camera.frame_source import VideoFileSource, write_video
from cnnstudio.ui.camera.live_words import (ADD_TIP, NO_PREDICTIONS, SKIPPED_TIP, START_FIRST, WAIT_FOR_FRAME,
                                            add_blocker, figures_line, figures_tip, no_model, prediction_failed)
from cnnstudio.ui.predict.add_choice import CHOOSE_FIRST, PLACEHOLDER, preset_class
from tests.ui.test_camera import plain_frames
from tests.ui.test_prediction_view import _trained

CAMERA_TAB = 2


def test_the_figures_line_counts_in_words():
    assert figures_line(21.7, 5, 1) == ("Live picture: 22 frames a second. 5 predictions shown; 1 frame skipped while "
                                        "the model was busy.")
    assert figures_line(1.2, 1, 0) == ("Live picture: 1 frame a second. 1 prediction shown; 0 frames skipped while the "
                                       "model was busy.")
    assert "12,000 predictions shown; 4,000 frames skipped" in figures_line(30, 12_000, 4_000)
    line = figures_line(30, 2, 3)
    assert figures_tip(line) == f"{line}\n{SKIPPED_TIP}" and figures_tip("") == ""


def test_why_a_frame_cannot_be_added_is_one_sentence_the_read_only_reason_first():
    refusal = "P was opened read-only in this window, so CNN Studio cannot add frames to the dataset."
    assert add_blocker(refusal, running=True, has_frame=True, class_chosen=True) == refusal
    assert START_FIRST == "Start the camera first."
    assert add_blocker("", running=False, has_frame=False, class_chosen=True) == START_FIRST
    assert add_blocker("", running=True, has_frame=False, class_chosen=True) == WAIT_FOR_FRAME
    assert add_blocker("", running=True, has_frame=True, class_chosen=False) == CHOOSE_FIRST
    assert add_blocker("", running=True, has_frame=True, class_chosen=True) == ""
    # the engine's words as a sentence: not "No model to predict with: there is no trained model yet: train one first"
    assert no_model(RuntimeError("there is no trained model yet: train one first")) == (
        f"There is no trained model yet: train one first. {NO_PREDICTIONS}")
    assert prediction_failed(ValueError("out of memory")) == (
        "The model stopped predicting the live picture: out of memory.")


def _play(live, tmp_path, colour=(40, 100, 60), name="a.avi"):
    """A looping video of one colour (class a's in the tiny project by default) on the tab."""
    live.bar.play(VideoFileSource(write_video(tmp_path / name, plain_frames(30, colour)), loop=True))


def _wait_shown(qtbot, live, n=3):
    start = len(live.latencies)
    qtbot.waitUntil(lambda: len(live.latencies) >= start + n, timeout=20_000)


def _nothing_of_the_stream_left(live) -> None:
    assert live.bar.source is None and live.worker is None
    assert live.preview.pixmap().isNull() and live.preview.caption == "" and live.preview.overlay is None
    assert live.preview.accessibleDescription() == ""
    assert live.rates.text() == "" and live.bars.pairs() == [] and live.bars_plot.isHidden()
    assert not live.add_button.isEnabled() and live.add_button.toolTip() == START_FIRST
    assert live.add_frame("a") is False  # not the frame that was on display


def test_add_this_frame_waits_for_a_live_frame_and_follows_the_model_until_the_user_chooses(window, qtbot, tmp_path):
    page = _trained(window, qtbot, tmp_path)
    page.tabs.setCurrentIndex(CAMERA_TAB)
    live = page.live
    classes = [live.add_class.itemText(i) for i in range(live.add_class.count())]
    assert classes == ["a", "b"] and live.add_class.placeholderText() == PLACEHOLDER
    assert live.preview.accessibleName() and live.add_class.accessibleName() and live.rates.accessibleName()
    assert not live.add_button.isEnabled() and live.add_button.toolTip() == START_FIRST  # QA 9: no silent click
    assert live.add_frame("a") is False
    assert live.bars_plot.isHidden()  # QA predict 12: no empty chart with a 0.0-1.0 axis before any prediction

    _play(live, tmp_path)
    _wait_shown(qtbot, live)
    assert live.bars_plot.isVisible() and len(live.bars.pairs()) == len(classes)
    pred = live.last.prediction  # the class follows the model's answer, shown last (add_choice's rule)
    assert live.add_class.currentText() == preset_class(pred.label, pred.confidence, classes)
    assert live.preview.accessibleDescription() == f"The model's answer: {pred.label}."
    assert live.rates.text().startswith("Live picture: ") and live.rates.text().endswith("busy.")
    assert SKIPPED_TIP in live.rates.toolTip() and live.rates.text() in live.rates.toolTip()

    live.add_class.setFocus()
    with qtbot.waitSignal(live.add_class.activated, timeout=2_000):  # the user chooses "b" with the keyboard
        QTest.keyClick(live.add_class, Qt.Key.Key_End)
    assert live.add_class.currentText() == "b"
    _wait_shown(qtbot, live)  # whatever the model says now, the user's choice stays for this stream
    assert live.add_class.currentText() == "b"
    assert live.add_button.isEnabled() and live.add_button.toolTip() == ADD_TIP
    count = len(window.session.project.ids())
    with qtbot.waitSignal(page.importer.finished, timeout=20_000) as got:
        live.add_button.click()
    assert len(got.args[0].imported) == 1 and len(window.session.project.ids()) == count + 1

    live.bar.stop()  # QA 8: the frozen frame, its label, bars and figures go; nothing can be added
    _nothing_of_the_stream_left(live)
    assert len(window.session.project.ids()) == count + 1

    _play(live, tmp_path, colour=(190, 30, 90), name="b.avi")  # a new stream: the model's answer again
    assert not live.add_button.isEnabled() and live.add_button.toolTip() == WAIT_FOR_FRAME
    _wait_shown(qtbot, live)
    pred = live.last.prediction
    assert live.add_class.currentText() == preset_class(pred.label, pred.confidence, classes)
    live.add_class.setCurrentIndex(-1)  # no class: the button says what it waits for
    assert not live.add_button.isEnabled() and live.add_button.toolTip() == CHOOSE_FIRST

    page.tabs.setCurrentIndex(0)  # another tab lets the camera go, and nothing of it stays for the way back
    page.tabs.setCurrentIndex(CAMERA_TAB)
    _nothing_of_the_stream_left(live)


def test_a_read_only_project_says_why_no_frame_can_be_added(window, qtbot, tmp_path):
    from tests.ui.test_read_only_pages import _open_read_only
    from tests.ui.test_training_view import make_project

    _trained(window, qtbot, tmp_path)
    root = window.session.project.root
    assert window.open_project(make_project(tmp_path / "other"))  # lets the trained project go
    _open_read_only(window, root)
    window.workspace.show_step(5)
    page = window.workspace.predict_page
    page.tabs.setCurrentIndex(CAMERA_TAB)
    live = page.live
    _play(live, tmp_path)
    _wait_shown(qtbot, live)  # the model still predicts live
    live.add_class.setCurrentIndex(live.add_class.findText("a"))
    assert not live.add_button.isEnabled()
    why = live.add_button.toolTip()
    assert "read-only" in why and "cannot add frames to the dataset" in why and why.endswith(".")
    count = len(window.session.project.ids())
    assert live.add_frame("a") is False
    assert live.bar.message.text() == why  # said in the panel, not in an "Import failed" box
    assert len(window.session.project.ids()) == count and not (root / "cache" / "camera").exists()
    live.bar.stop()


def test_a_camera_started_while_the_model_loads_shows_the_preview_and_predicts_once_it_is_there(window, qtbot,
                                                                                               tmp_path):
    """The model loads in a thread (the page's, :mod:`cnnstudio.ui.predict.model_loader`), never on the window's:
    the camera's picture runs meanwhile, with "Loading the model…" under it."""
    from cnnstudio.ui.predict.model_choice import LOADING
    from tests.ui.test_training_view import open_trained

    run_id = open_trained(window, qtbot, tmp_path)
    page = window.workspace.predict_page
    window.workspace.show_step(5)  # the model starts loading; nothing is waited for before the camera starts
    page.tabs.setCurrentIndex(CAMERA_TAB)
    live = page.live
    assert page.loader.loading() and page.loader.ready(run_id) is None
    _play(live, tmp_path)
    assert live.worker is None and live.bar.message.text() == LOADING
    qtbot.waitUntil(lambda: live.preview.pixmap() is not None and not live.preview.pixmap().isNull(), timeout=20_000)
    _wait_shown(qtbot, live)  # predicted once the model is there
    assert live.worker is not None and live.bar.message.text() == "" and page.loader.ready(run_id) is not None
    live.bar.stop()
    _play(live, tmp_path)  # loaded now: a new stream predicts at once
    assert live.worker is not None and live.bar.message.text() == ""
    live.bar.stop()


def test_a_frame_unlike_the_training_pictures_gets_the_predict_pages_hint_and_a_run_without_it_says_nothing(
        window, qtbot, tmp_path):
    """A real model trained on sample digits: live noise frames get the Predict page's hint under the figures, in its
    words; the tiny two-class run (too few validation pictures for the hint) shows nothing extra."""
    import numpy as np

    from cnnstudio.engine.use.novelty_words import HINT, HINT_TIP
    from tests.engine.test_novelty import trained_digits

    root, _run_id = trained_digits(tmp_path / "made")
    assert window.open_project(root)
    page = window.workspace.predict_page
    with qtbot.waitSignal(page.loader.loaded, timeout=60_000):
        window.workspace.show_step(5)
    assert page.predictor.novelty is not None
    page.tabs.setCurrentIndex(CAMERA_TAB)
    live = page.live
    assert live.unlike.isHidden()
    rng = np.random.default_rng(0)
    noise = [rng.integers(0, 256, (48, 64, 3), dtype=np.uint8) for _ in range(20)]
    live.bar.play(VideoFileSource(write_video(tmp_path / "noise.avi", noise), loop=True))
    _wait_shown(qtbot, live)
    assert live.last.prediction.unlike_training is True
    assert live.unlike.isVisible() and live.unlike.text() == HINT and live.unlike.toolTip() == HINT_TIP
    live.bar.stop()
    assert live.unlike.isHidden() and live.unlike.text() == ""


def test_a_run_without_the_hint_shows_nothing_extra_on_the_camera_tab(window, qtbot, tmp_path):
    page = _trained(window, qtbot, tmp_path)
    page.tabs.setCurrentIndex(CAMERA_TAB)
    live = page.live
    _play(live, tmp_path)
    _wait_shown(qtbot, live)
    assert page.predictor.novelty is None and live.last.prediction.unlike_training is None
    assert live.unlike.isHidden() and live.unlike.text() == ""
    live.bar.stop()
