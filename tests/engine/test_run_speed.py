"""A run's speed is one steady figure over the epochs it trained (engine/train/run_speed.py): an epoch cut short
by Stop does not drag it down, and a resumed run's speed covers its epochs before and after."""

from __future__ import annotations

import math
import threading
from statistics import median

import pytest
import torch

from cnnstudio.engine.events import BatchEnd, EpochEnd, RunFinished, RunStopped
from cnnstudio.engine.model.build import build_from_json
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.train.run_speed import metrics_speeds, steady_speed
from cnnstudio.project import run_records
from tests.engine.test_data import make_project, tiny_spec
from tests.engine.test_runs import settings


def test_steady_speed_rule():
    assert steady_speed([270, 280, 275, 10]) == pytest.approx(272.5)  # one slow epoch does not stand for them
    assert steady_speed([], [30, 10, 20]) == 20  # no full epoch yet: the batches'
    assert steady_speed([300], [5]) == 300  # a part epoch never counts once an epoch is whole
    assert math.isnan(steady_speed([], [])) and math.isnan(steady_speed([0, math.nan, math.inf, None]))
    assert metrics_speeds([{"images_per_second": 12.0}, {"images_per_second": None}, {}]) == [12.0]


@pytest.fixture
def proj(tmp_path):
    p = make_project(tmp_path / "proj")
    yield p
    p.close()


def slowing_builder(slow: threading.Event):
    """The real tiny network; once ``slow`` is set each forward pass also does real work of its own (a machine
    busy with something else while the last, cut-short epoch trains)."""
    heavy = torch.randn(256, 256)

    def busy(_module, _inputs, output):
        if slow.is_set():
            for _ in range(400):  # several times an epoch's own work, whatever the machine (100 gave only 1.9x)
                torch.mm(heavy, heavy)
        return output

    def build(spec_json, n_classes):
        spec, model = build_from_json(spec_json, n_classes)
        model.register_forward_hook(busy)
        return spec, model
    return build


def test_stop_part_way_keeps_the_full_epochs_speed_and_resume_covers_all(proj):
    stop, slow = threading.Event(), threading.Event()
    full, part = [], []
    for ev in runs.train(proj, settings(epochs=5), tiny_spec(), stop=stop, builder=slowing_builder(slow),
                         batch_event_interval=0.0):
        if isinstance(ev, EpochEnd):
            full.append(ev.images_per_second)
            if ev.epoch == 2:
                slow.set()
        elif isinstance(ev, BatchEnd) and ev.epoch == 3:
            part.append(ev.images_per_second)
            stop.set()
        last = ev
    assert isinstance(last, RunStopped) and last.epoch == 2 and len(full) == 2 and part
    assert max(part) < min(full) / 3  # the cut-short epoch was much slower: the old rule kept its figure
    speed = run_records.get_run(proj, last.run_id).summary["images_per_second"]
    assert min(full) / 2 <= speed <= max(full) * 2
    # resumed (at the ordinary speed): the finished run's speed is its every epoch's, before and after
    slow.clear()
    events = list(runs.resume(proj, last.run_id, builder=slowing_builder(slow)))
    fin = events[-1]
    assert isinstance(fin, RunFinished) and fin.epochs == 5
    all_speeds = [m["images_per_second"] for m in runs.read_metrics(proj, last.run_id)]
    assert len(all_speeds) == 5 and all_speeds[:2] == pytest.approx(full)
    assert fin.images_per_second == pytest.approx(median(all_speeds))
    assert run_records.get_run(proj, last.run_id).summary["images_per_second"] == pytest.approx(median(all_speeds))
