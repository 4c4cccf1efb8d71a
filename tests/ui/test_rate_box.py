"""The camera panel's rate box says "5 pictures a second": whole numbers from 1 to 30 with a step of 1, and 0.5 as
the one fraction (QA camera report 18); "Start camera" says what it does."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from cnnstudio.ui.camera.preview import START_TIP, STOP_TIP
from cnnstudio.ui.camera.rate_box import (RATE_TIP, RateBox, allowed_rate, rate_number, rate_unit,
                                          stepped_rate)
from cnnstudio.ui.camera.rules import DEFAULT_RATE
from cnnstudio.ui.camera.source_words import STOP_VIDEO, STOP_VIDEO_TIP
from tests.ui.camera_helpers import PushSource
from tests.ui.test_training_view import make_project


def test_the_rates_allowed_and_their_words():
    assert [allowed_rate(v) for v in (0.1, 0.5, 0.74, 0.75, 1.4, 2.5, 7.3, 29.6, 31, math.inf, math.nan)] == [
        0.5, 0.5, 0.5, 1, 1, 3, 7, 30, 30, 30, 0.5]
    assert stepped_rate(5, 1) == 6 and stepped_rate(1, -1) == 0.5 and stepped_rate(0.5, 1) == 1
    assert stepped_rate(0.5, -3) == 0.5 and stepped_rate(29, 10) == 30 and stepped_rate(4, -4) == 0.5
    assert (rate_number(5), rate_number(0.5), rate_number(30)) == ("5", "0.5", "30")
    assert rate_unit(1) == " picture a second" and rate_unit(5) == rate_unit(0.5) == " pictures a second"
    assert RATE_TIP.endswith(".") and START_TIP.endswith(".") and STOP_TIP.endswith(".")


def test_the_box_steps_by_one_down_to_a_half_and_says_its_unit(qtbot):
    box = RateBox()
    qtbot.addWidget(box)
    box.show()
    assert box.value() == DEFAULT_RATE and box.text() == "5 pictures a second" and box.toolTip() == RATE_TIP
    width = box.width()
    box.setFocus()
    for _ in range(4):
        QTest.keyClick(box, Qt.Key.Key_Down)
    assert box.value() == 1 and box.text() == "1 picture a second" and box.width() == width  # nothing moves
    QTest.keyClick(box, Qt.Key.Key_Down)
    assert box.value() == 0.5 and box.text() == "0.5 pictures a second"
    QTest.keyClick(box, Qt.Key.Key_Down)
    assert box.value() == 0.5
    QTest.keyClick(box, Qt.Key.Key_Up)
    assert box.value() == 1
    box.lineEdit().selectAll()  # a typed fraction becomes the nearest whole number when the typing ends
    with qtbot.waitSignal(box.valueChanged, timeout=2_000):
        QTest.keyClicks(box, "7.3")
        QTest.keyClick(box, Qt.Key.Key_Return)
    assert box.value() == 7 and box.text() == "7 pictures a second"
    box.setValue(2.5)  # from code too
    assert box.value() == 3


def test_the_panels_rate_box_sets_the_burst_rate_and_start_camera_says_what_it_does(window, qtbot, tmp_path):
    from cnnstudio.ui.camera.frame_source import VideoFileSource, write_video
    from tests.ui.test_camera import plain_frames

    assert window.open_project(make_project(tmp_path))
    panel = window.workspace.data.open_camera()
    assert isinstance(panel.rate_spin, RateBox) and panel.rate.rate == DEFAULT_RATE
    panel.rate_spin.setFocus()
    QTest.keyClick(panel.rate_spin, Qt.Key.Key_Up)
    assert panel.rate.rate == 6 and panel.rate_spin.text() == "6 pictures a second"
    bar = panel.bar
    assert bar.start_button.text() == "Start camera" and bar.start_button.toolTip() == START_TIP
    bar.play(PushSource())  # a camera
    assert bar.start_button.text() == "Stop camera" and bar.start_button.toolTip() == STOP_TIP
    bar.stop()
    assert bar.start_button.toolTip() == START_TIP
    bar.play(VideoFileSource(write_video(tmp_path / "a.avi", plain_frames(10, (40, 100, 60))), loop=True))
    assert bar.start_button.text() == STOP_VIDEO and bar.start_button.toolTip() == STOP_VIDEO_TIP  # re-QA N6
    bar.stop()
    assert bar.start_button.text() == "Start camera" and bar.start_button.toolTip() == START_TIP
    panel.close()
