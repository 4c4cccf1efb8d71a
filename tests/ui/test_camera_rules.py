"""The camera's Qt-free rules: burst rate, centre square, the newest-frame slot, rates and percentiles."""

from __future__ import annotations

import math
import threading

import pytest

from cnnstudio.project import UNLABELLED, ImageFilter
from cnnstudio.ui.camera.rules import (BurstRate, NewestSlot, PendingPictures, RateMeter, centre_square, percentile,
                                     pending_shown)


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


def test_pending_pictures_are_counted_per_class_and_settled_per_burst():
    pending = PendingPictures()
    one = pending.new_burst("Cat")
    a = pending.add(one, "/p/cache/camera/b1/frame-00000.png", 64, 48, 900, 1.0)
    pending.add(one, "/p/cache/camera/b1/frame-00001.png", 64, 48, 900, 1.2)
    two = pending.new_burst("dog")  # a second burst while the first is being imported
    d = pending.add(two, "/p/cache/camera/b2/frame-00000.png", 48, 48, 700, 2.0)
    assert a.key < 0 and d.key < a.key  # never an image id, never the same twice
    assert (pending.count("cat"), pending.count(" CAT "), pending.count("dog"), len(pending)) == (2, 2, 1, 3)
    rec = a.record(7)
    assert (rec.id, rec.class_id, rec.split, rec.original_name, rec.source_path) == (
        a.key, 7, None, "frame-00000.png", a.path)  # the imported row's source_path is the same: the handover
    assert [p.key for p in pending.settle(one)] == [a.key, a.key - 1]
    assert pending.count("cat") == 0 and [p.key for p in pending.items()] == [d.key]
    assert pending.settle(one) == []
    assert not pending.has("")  # no content hash given: never taken for a duplicate
    pending.add(two, "/p/cache/camera/b2/frame-00001.png", 48, 48, 700, 2.1, sha256="ab" * 32)
    assert pending.has("ab" * 32) and not pending.has("cd" * 32)


def test_a_pending_picture_shows_under_the_filters_it_will_match_once_imported():
    assert pending_shown(ImageFilter(), 3) and pending_shown(ImageFilter(), None)
    assert pending_shown(ImageFilter(class_id=3), 3) and not pending_shown(ImageFilter(class_id=4), 3)
    assert not pending_shown(ImageFilter(class_id=UNLABELLED), 3)
    assert not pending_shown(ImageFilter(class_id=UNLABELLED), None)  # a new class: labelled all the same
    assert pending_shown(ImageFilter(split="none"), 3)  # no split yet
    assert not pending_shown(ImageFilter(split="train"), 3) and not pending_shown(ImageFilter(trashed=True), 3)
    pending = PendingPictures()
    burst = pending.new_burst("cat")
    pending.add(burst, "f0.png", 8, 8, 10, 0.0)
    assert len(pending.shown(ImageFilter(class_id=3), {"cat": 3})) == 1
    assert pending.shown(ImageFilter(class_id=3), {}) == []  # "cat" is not a class yet
