"""Every page fits a small laptop's screen: 1366 x 768 at 125 % scaling is 1,093 x 614 pixels for Qt, 1280 x 800 at
125 % (and an old 1024 x 768 screen) 1,024 wide, so 1,024 x 614 holds both. The page
shown decides how small the window may be (workspace.PageStack), so each page is measured on its own, with the
Data page's filters at their longest words and the Model page's backbone, missing-weights button and "Use this design"
shown."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from cnnstudio.ui.workspace import STEP_KEYS
from tests.ui.test_training_view import make_project

SMALL_SCREEN = (1024, 614)


@pytest.mark.parametrize("step", STEP_KEYS)
def test_each_page_fits_a_small_laptop_screen(window, qtbot, tmp_path, step):
    assert window.open_project(make_project(tmp_path))
    ws = window.workspace
    ws.show_step(STEP_KEYS.index(step))
    page = ws.pages.currentWidget()
    if step == "data":  # a filter that makes the count line its longest: "2 of 24 images"
        gallery = ws.data.gallery
        gallery.split_filter.setCurrentIndex(gallery.split_filter.findData("test"))
    if step == "model":  # the widest top row: a backbone with its two boxes
        panel = ws.model_page.backbone_panel
        panel.backbone_combo.setCurrentIndex(1)
        panel.preset_combo.setCurrentIndex(panel.preset_combo.count() - 2)  # another design named: "Use this design"
        assert panel.apply_preset_button.isVisibleTo(panel)
    QApplication.processEvents()
    window.resize(*SMALL_SCREEN)
    QApplication.processEvents()
    hint = window.minimumSizeHint()
    assert hint.width() <= SMALL_SCREEN[0] and window.width() == SMALL_SCREEN[0], (step, hint)
    assert hint.height() <= SMALL_SCREEN[1], (step, hint)
    assert page.width() + ws.nav.width() <= window.width()


def test_ten_small_classes_keep_the_data_page_on_a_small_screen(window, tmp_path):
    """A health line per small class (ten of them) scrolls inside its box: the window stays 614 px tall."""
    from cnnstudio.project import import_paths
    from tests.conftest import write_dataset

    assert window.create_project(tmp_path / "p")
    classes = tuple(f"class{i}" for i in range(10))
    import_paths(window.session.project, [write_dataset(tmp_path / "src", classes, per_class=3)],
                 labels_from_folders=True)
    window.session.images_changed.emit()
    QApplication.processEvents()
    splits = window.workspace.data.splits
    assert splits.health.text().count("<br>") >= 9  # a line per class at least
    window.resize(*SMALL_SCREEN)
    QApplication.processEvents()
    assert window.minimumSizeHint().height() <= SMALL_SCREEN[1], window.minimumSizeHint()
    window.session.split((0.7, 0.15, 0.15), 0, False, False)  # the chart shows once a picture is in a split, fitted to its width
    QApplication.processEvents()
    assert window.minimumSizeHint().height() <= SMALL_SCREEN[1], window.minimumSizeHint()
    assert splits.tick_labels == [str(i) for i in range(1, 11)]  # "class0class1…" ran together under ten narrow bars


def test_a_finding_with_long_fixes_keeps_the_data_page_on_a_small_screen(window, tmp_path):
    """The check panel's fixes ("Move to the training split", "Leave them where they are") wrap one under the other
    in the narrow panel: the window grew to 1,130 px when they stood in one row."""
    from cnnstudio.engine.runs.doctor import DataReport, Finding

    assert window.open_project(make_project(tmp_path))
    ids = window.session.project.ids()
    data = window.workspace.data
    panel = data.check
    data.side.setCurrentWidget(panel)
    leak = Finding("leak", (ids[0], ids[1]), 1.0, "2 almost identical pictures in train and test: the model is then "
                   "tested on pictures it trained on", splits=("train", "test"), key="leak-0")
    panel.show_report(DataReport(images=len(ids), seconds=1.0, method="test", kinds=("leaks",), findings=[leak]))
    panel.tree.setCurrentItem(panel.tree.topLevelItem(0).child(0))
    window.resize(*SMALL_SCREEN)
    QApplication.processEvents()
    assert [b.text() for b in panel.fix_buttons] == ["Move to the training split", "Leave them where they are"]
    hint = window.minimumSizeHint()
    assert hint.width() <= SMALL_SCREEN[0] and hint.height() <= SMALL_SCREEN[1], hint
    for b in panel.fix_buttons:  # each whole, inside the panel
        assert b.width() >= b.sizeHint().width() and b.geometry().right() <= panel.width()


def test_the_predict_steps_camera_tab_fits_while_it_predicts(window, qtbot, tmp_path):
    """The Camera tab's live figures grow with a session's counts ("12,000 predictions shown; 4,000 frames
    skipped…"): on a row of their own, they end in "…" rather than widen the window (it grew to 1,272 px, QA camera
    report 1)."""
    from cnnstudio.ui.camera.frame_source import VideoFileSource, write_video
    from cnnstudio.ui.camera.live_words import figures_line
    from tests.ui.test_camera import plain_frames
    from tests.ui.test_prediction_view import _trained

    page = _trained(window, qtbot, tmp_path)
    page.tabs.setCurrentIndex(2)
    live = page.live
    live.gradcam.setChecked(True)  # the longest row of options
    window.resize(*SMALL_SCREEN)
    QApplication.processEvents()
    live.bar.play(VideoFileSource(write_video(tmp_path / "a.avi", plain_frames(30, (40, 100, 60))), loop=True))
    qtbot.waitUntil(lambda: len(live.latencies) >= 3 and live.preview.overlay is not None, timeout=20_000)
    assert window.width() == SMALL_SCREEN[0] and live.rates.text().startswith("Live picture:")
    live.stop_predicting()  # the preview goes on; the figures of a long session stay as they are
    long_line = figures_line(30, 12_000, 4_000)
    live.rates.setText(long_line)
    QApplication.processEvents()
    hint = window.minimumSizeHint()
    assert hint.width() <= SMALL_SCREEN[0] and hint.height() <= SMALL_SCREEN[1], hint
    assert window.width() == SMALL_SCREEN[0] and live.rates.geometry().right() <= live.width()
    live.bar.stop()


def test_the_train_pages_opened_advice_shows_its_first_finding_whole(window, qtbot, tmp_path):
    """Journey QA #8: at 1,024 x 614, under a four-line "Finished" line, the advice opened by a click was a two-line
    box cut mid-sentence ("…this model is ready to try on new"), the plots keeping their whole height. Open, its first
    finding is whole (the plots give the room, down to their least height), and the window still fits."""
    from tests.ui.test_train_page_layout import first_finding_whole
    from tests.ui.test_training_view import open_trained

    open_trained(window, qtbot, tmp_path, identical=True)  # nothing learned: five findings, the first a long one
    page = window.workspace.train_page
    window.workspace.show_step_key("train")
    window.resize(*SMALL_SCREEN)
    qtbot.waitUntil(lambda: window.height() == SMALL_SCREEN[1] and page.advice_box.isVisible())
    box = page.advice_box
    if box.is_open:
        box.header.click()
    page.status.setText("Finished: best epoch 11 of 11, validation accuracy 100% (99–100%), 377 pictures/s. Trained "
                        "from scratch: 127 training pictures per class are enough for it (transfer learning is tried "
                        "below 100 per class). The Evaluate and Predict pages use the network kept now.")
    page.stats.setText("11 of 11 epochs trained · 377 pictures/s · elapsed 0:39 · best epoch 11 (validation accuracy "
                       "100.0%)")
    QApplication.processEvents()
    box.header.click()
    assert box.is_open
    qtbot.waitUntil(lambda: window.minimumSizeHint().height() <= SMALL_SCREEN[1])
    assert window.height() == SMALL_SCREEN[1]
    first_finding_whole(box)
