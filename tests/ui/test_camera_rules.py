"""The camera's Qt-free rules: burst rate, centre square, the newest-frame slot, rates and percentiles."""

from __future__ import annotations

import math
import threading

import pytest

from cnnstudio.ui.camera.rules import BurstRate, NewestSlot, RateMeter, centre_square, percentile


def test_five_per_second_from_a_30_fps_stream_keeps_every_sixth_frame():
    rate = BurstRate()
    kept = [i for i in range(60) if rate.keep(i / 30)]
    assert kept == list(range(0, 60, 6))
    rate.reset()
    assert rate.keep(100.0)  # a new burst keeps its first frame at once


def test_a_rate_must_be_positive():
    with pytest.raises(ValueError):
        BurstRate(0)
    with pytest.raises(ValueError):
        BurstRate(math.inf)


def test_centre_square():
    assert centre_square(640, 480) == (80, 0, 560, 480)
    assert centre_square(480, 640) == (0, 80, 480, 560)
    assert centre_square(5, 5) == (0, 0, 5, 5)


def test_the_slot_keeps_the_newest_and_counts_what_it_dropped():
    slot = NewestSlot()
    for i in range(5):
        slot.put(i)
    assert slot.take() == 4 and slot.dropped == 4 and slot.taken == 1
    assert slot.take(timeout=0.01) is None  # nothing new: no old frame comes back
    got = []
    t = threading.Thread(target=lambda: got.append(slot.take()))
    t.start()
    slot.put("late")
    t.join(5)
    assert got == ["late"]
    slot.close()
    assert slot.take() is None


def test_rate_meter_and_percentile():
    meter = RateMeter(window=2.0)
    for i in range(61):
        meter.tick(i / 30)
    assert meter.rate() == pytest.approx(30, rel=0.01)
    assert percentile([5, 1, 4, 2, 3], 50) == 3
    assert percentile(list(range(1, 101)), 95) == 95
    assert math.isnan(percentile([], 95))
