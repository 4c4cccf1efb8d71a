"""Auto epochs and time (journey QA #4: one slow timing chose 6 epochs that took 5 s of a 50 s budget): the probe
decides from its fastest stretch and times a second round when its stretches disagree; a run that used less than a
fifth of its budget says so, never a run told its epochs, one at Auto's cap or a frozen backbone's head."""

from __future__ import annotations

import threading

import torch

from cnnstudio.engine.runs.auto_time import fell_short
from cnnstudio.engine.train.batches import (MIN_TIMED, PROBE_S, PROBE_STEPS, WARM_UP_STEPS, probe_done, probe_speed,
                                            probe_steps, unsteady)
from cnnstudio.engine.train.precision import Precision
from cnnstudio.engine.train.settings import auto_epochs, auto_fell_short, default_settings, device_kind
from cnnstudio.engine.train.trainer import make_optimizer
from tests.engine.test_trainer import settings, toy_data, toy_model

AUTO = default_settings()  # Auto: 50 s, 3 to 40 epochs


def test_the_fastest_stretch_decides_not_a_slow_one():
    slow_first = [(64, 0.5), (640, 0.25), (640, 0.26), (640, 0.25)]  # 128/s while something else ran, then 2,560/s
    assert probe_speed(slow_first) == 640 / 0.25
    # what Auto makes of it: the epochs of the run's real pace (the cap here), not the slow moment's 4
    assert auto_epochs(AUTO, 1262, 271, probe_speed(slow_first)) == 40 and auto_epochs(AUTO, 1262, 271, 128.0) == 4
    assert probe_speed([]) == 0.0 and probe_speed([(0, 0.0)]) == 0.0


def test_stretches_that_disagree_are_timed_a_second_round():
    steady = [(640, 0.25), (600, 0.25), (660, 0.25)]
    shaky = [(64, 0.25), (640, 0.25), (640, 0.25)]
    assert not unsteady(steady) and unsteady(shaky) and not unsteady(shaky[:1])
    timed = PROBE_STEPS - WARM_UP_STEPS
    assert probe_done(steady, timed, 0.5) and not probe_done(shaky, timed, 0.5)  # the steps' limit, doubled
    assert probe_done(steady, MIN_TIMED, PROBE_S + 0.1) and not probe_done(shaky, MIN_TIMED, PROBE_S + 0.1)
    assert probe_done(shaky, MIN_TIMED, 2 * PROBE_S + 0.1) and probe_done(shaky, 2 * PROBE_STEPS, 0.1)
    assert not probe_done(steady, MIN_TIMED - 1, 5.0)  # a slow model: at least a few steps


def test_the_probe_times_real_steps_on_the_cpu():
    cpu = torch.device("cpu")
    ips = probe_steps(toy_model(), toy_data(), settings(device="cpu"), cpu, False, threading.Event(), 8,
                      Precision("fp32", cpu), make_optimizer)
    assert ips > 0
    stop = threading.Event()
    stop.set()  # stopped before a step: nothing timed
    assert probe_steps(toy_model(), toy_data(), settings(device="cpu"), cpu, False, stop, 8,
                       Precision("fp32", cpu), make_optimizer) == 0.0


def test_a_run_that_used_a_tenth_of_its_budget_says_how_many_epochs_fit():
    assert auto_fell_short(AUTO, 6, 5.0) == 40  # 6 epochs in 5 s: 60 would fit, Auto trains at most 40
    assert auto_fell_short(AUTO, 6, 15.0) is None  # 15 s of 50: 30 %, nothing to say
    assert auto_fell_short(AUTO, 6, 9.0) == 33  # 18 %
    assert auto_fell_short(AUTO, 6, 10.0) is None  # a fifth exactly: it used its time
    assert auto_fell_short(AUTO, 40, 4.0) is None  # at Auto's cap: its pictures are quick to learn from
    assert auto_fell_short(AUTO, 40, 4.0, "cuda") == 200  # a card allows five times as many
    assert auto_fell_short(AUTO.replace(epochs=6), 6, 5.0) is None  # told its epochs
    assert auto_fell_short(AUTO, 6, 0.0) is None and auto_fell_short(AUTO, 0, 5.0) is None


def test_the_device_a_record_names_and_the_run_a_record_keeps():
    assert device_kind("CPU (2 threads)") == "cpu" and device_kind("") == "cpu"
    assert device_kind("Apple GPU (Metal)") == "mps" and device_kind("NVIDIA H200") == "cuda"
    config = {"settings": AUTO.to_json()}
    said, fit = fell_short(config, "CPU (2 threads)", 6, 5.0)
    assert fit == 40 and said == ("Auto chose 6 epochs after a slow first timing: they took 5.0 s of the about 50 s "
                                  "it may use, and about 40 fit at this run's pace.")
    assert fell_short(config, "CPU (2 threads)", 6, 5.0, reason="early_stopping") is None
    assert fell_short(None, "CPU", 6, 5.0) is None and fell_short({"settings": "odd"}, "CPU", 6, 5.0) is None
    # a frozen backbone's head has no epochs to choose: its 7 fits in a second say nothing about Auto
    from tests.engine.test_report_words import transfer_config

    assert fell_short(transfer_config(), "CPU (2 threads)", 7, 1.0) is None
    assert fell_short({**transfer_config(), "spec": None}, "CPU (2 threads)", 6, 5.0) is not None
