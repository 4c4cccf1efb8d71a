"""The training memory estimate (engine/model/cost.py): its arithmetic, when it warns and in what words, and a check
of the formula against what PyTorch really takes in one forward + backward pass."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cnnstudio.engine.model import cost
from cnnstudio.engine.model.catalog import layer
from cnnstudio.engine.model.presets import make_preset
from cnnstudio.engine.model.spec import ModelSpec
from cnnstudio.engine.model.validate import validate
from cnnstudio.project.memory import total_ram

REPO = Path(__file__).resolve().parents[2]


def report_of(layers, side=8, channels=1, classes=2, backbone=None):
    spec = ModelSpec.create(side, side, channels, layers, backbone=backbone)
    report = validate(spec, classes)
    assert report.ok, report.errors
    return report


def test_per_picture_is_the_kept_outputs_and_fixed_is_the_optimiser_state():
    report = report_of([layer("conv2d", out_channels=4), layer("relu"), layer("flatten")])
    # input 64 + conv 256 + ReLU 256 + flatten (a view) 0 + output 2 values
    assert report.memory.per_picture == math.ceil(cost.KEPT_FACTOR * 4 * (64 + 256 + 256 + 0 + 2))
    params = (4 * 9 + 4) + (256 * 2 + 2)
    assert report.total_params == params and report.memory.fixed == 16 * params
    assert report.memory.for_batch(10) == report.memory.fixed + 10 * report.memory.per_picture
    assert report.to_json()["memory"] == {"per_picture_bytes": report.memory.per_picture,
                                          "fixed_bytes": report.memory.fixed}


def test_a_residual_block_keeps_what_it_makes_inside():
    plain = report_of([layer("conv2d", out_channels=8), layer("global_avg_pool")])
    block = report_of([layer("residual_block", out_channels=8), layer("global_avg_pool")])
    extra = cost.KEPT_FACTOR * 4 * (cost.RESIDUAL_TENSORS - 1) * 8 * 8 * 8
    assert block.memory.per_picture - plain.memory.per_picture == pytest.approx(extra, abs=1)


def test_a_frozen_backbone_keeps_nothing_but_its_forward_pass_takes_memory_and_a_trained_one_its_activations():
    frozen = report_of([], 64, 3, backbone={"name": "resnet18", "pretrained": True, "freeze": True})
    # the head trains on the features: the features and the output, not the picture; but computing the features
    # holds a layer's input and output at once, far more than the 512 features
    pass_values = cost.feature_pass_values("resnet18", 3, 64, 64)
    assert 64 * 32 * 32 < pass_values < cost.backbone_values("resnet18", 3, 64, 64)  # not every output at once
    assert frozen.memory.per_picture == math.ceil(cost.FEATURE_PASS_MARGIN * 4 * pass_values)
    assert frozen.memory.fixed == 4 * frozen.layers[0].params + 16 * frozen.trainable_params
    wide = report_of([layer("linear", out_features=100_000), layer("relu")], 64, 3,
                     backbone={"name": "resnet18", "pretrained": True, "freeze": True})
    # the layers after it keep more than the pass holds: they count
    assert 2 * 100_000 > pass_values
    assert wide.memory.per_picture == math.ceil(cost.KEPT_FACTOR * 4 * (512 + 2 * 100_000 + 2))
    trained = report_of([], 64, 3, backbone={"name": "resnet18", "pretrained": False, "freeze": False})
    inside = cost.backbone_values("resnet18", 3, 64, 64)
    assert inside > 64 * 32 * 32  # the first convolution's output alone
    values = 3 * 64 * 64 + cost.BACKBONE_EXTRA * inside + 2  # the features are its last module's output
    assert trained.memory.per_picture == math.ceil(cost.KEPT_FACTOR * 4 * values)
    assert trained.memory.fixed == 16 * trained.total_params


def test_no_estimate_while_the_design_has_mistakes():
    spec = ModelSpec.create(4, 4, 1, [layer("max_pool2d")] * 3)
    report = validate(spec, 2)
    assert not report.ok and report.memory is None and report.to_json()["memory"] is None
    assert cost.memory_warning(report.memory, 64, 2**30) is None


def test_the_warning_comes_when_a_batch_needs_more_than_half_the_memory():
    est = cost.MemoryEstimate(per_picture=100 * 2**20, fixed=200 * 2**20)  # 100 MB a picture, 200 MB once
    ram = 16 * 2**30
    assert cost.memory_warning(est, 64, ram) is None  # 6.4 GB: fits in half of 16 GB
    words = cost.memory_warning(est, 80, ram)  # 8.0 GB + 200 MB
    assert words == ("A batch of 80 pictures would need about 8.0 GB of memory in training, more than half of this "
                     "computer's 16 GB: use a smaller input, fewer filters, a pooling layer earlier, or a smaller "
                     "batch size on the Train page.")
    assert words.count(".") == 2 and words.endswith(".")  # one sentence ("8.0" is the other full stop)
    assert cost.memory_warning(est, 80, None if total_ram() is None else 0) is None  # memory unknown: no warning


def test_the_warning_says_a_smaller_batch_does_not_help_when_the_weights_alone_are_too_much():
    est = cost.MemoryEstimate(per_picture=2**20, fixed=3 * 2**30)  # 1 MB a picture, 3 GB of weights and state
    assert cost.memory_warning(est, 32, 4 * 2**30) == (
        "The weights and training state alone would need about 3.0 GB of memory in training, more than half of this "
        "computer's 4.0 GB: give the largest layers fewer units or filters (a smaller batch size does not help).")
    assert cost.memory_warning(est, 32, 8 * 2**30) is None  # 3.0 GB + 32 MB: fits in half of 8 GB
    assert cost.memory_warning(est, 2048, 8 * 2**30).startswith("A batch of 2048 pictures would need about 5.0 GB")


def test_memory_words():
    assert [cost.memory_words(n) for n in (512, 800 * 1024, 12 * 2**20, 1.5 * 2**30, 16 * 2**30, 3 * 2**40)] == [
        "512 bytes", "800 KB", "12 MB", "1.5 GB", "16 GB", "3072 GB"]
    est = cost.MemoryEstimate(12 * 2**20, 0)
    assert cost.per_picture_words(est) == "about 12 MB of memory per picture in training"
    est = cost.MemoryEstimate(per_picture=int(2.7 * 2**20), fixed=92_000_000 * 16)  # 92 million trained parameters
    assert cost.training_memory_words(est, 32) == ("weights and training state about 1.4 GB, plus about 2.7 MB per "
                                                   "picture (a batch of 32: 86 MB, about 1.5 GB in all)")


def test_this_computers_memory_is_read_without_new_dependencies():
    ram = total_ram()
    assert ram is None or ram > 2**28
    if sys.platform.startswith("linux"):
        assert ram == os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def test_the_default_batch_size_is_the_default_recipes():
    from cnnstudio.engine.train.settings import TrainSettings, default_settings

    assert cost.DEFAULT_BATCH_SIZE == default_settings().batch_size == TrainSettings().batch_size


_PEAK = """
import os, sys
import torch
from cnnstudio.engine.model.build import build_model
from cnnstudio.engine.model.presets import make_preset
torch.set_num_threads(1)
batch = int(sys.argv[1])
model = build_model(make_preset("default", 32, 32, 3), 10).train()
x, y = torch.rand(batch, 3, 32, 32), torch.randint(0, 10, (batch,))
torch.nn.functional.cross_entropy(model(x[:2]), y[:2]).backward()  # lazy set-up counts in the baseline
def status(key):
    return next(int(l.split()[1]) * 1024 for l in open("/proc/self/status") if l.startswith(key))
base = status("VmRSS")
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")  # the peak starts again from here
torch.nn.functional.cross_entropy(model(x), y).backward()
print(status("VmHWM") - base)
"""


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="needs Linux's resettable peak memory")
def test_the_estimate_is_at_or_above_what_pytorch_takes_and_not_far_off():
    """The slope of the peak memory of one training step between two batch sizes, per picture (fresh processes,
    float32 on the CPU), against the estimate: it may be high, by less than half, and is not low by more than the
    measurement's own noise (the slope varies by about 10 % from run to run; measured: 1.05-1.11 x the estimate)."""
    peaks = []
    for batch in (32, 128):
        out = subprocess.run([sys.executable, "-c", _PEAK, str(batch)], capture_output=True, text=True, cwd=REPO,
                             timeout=120)
        assert out.returncode == 0, out.stderr
        peaks.append(int(out.stdout.split()[-1]))
    measured = (peaks[1] - peaks[0]) / 96
    estimate = validate(make_preset("default", 32, 32, 3), 10).memory.per_picture
    assert 0.9 * measured <= estimate < 1.5 * measured, (measured, estimate)


_FEATURE_PASS = """
import sys
import torch
from cnnstudio.engine.model.backbones import make_backbone
from cnnstudio.engine.use.features import fold_batch_norms
torch.set_num_threads(1)
side, how = int(sys.argv[1]), sys.argv[2]
model = make_backbone("mobilenet_v2", 3).eval()  # the weights' values change nothing here
ctx, fmt = torch.no_grad, torch.contiguous_format  # the ordinary trainer's frozen backbone
if how == "features":  # engine/use/features.py's pass
    model = fold_batch_norms(model).to(memory_format=torch.channels_last)
    ctx, fmt = torch.inference_mode, torch.channels_last
x = torch.rand(64, 3, side, side).contiguous(memory_format=fmt)
with ctx():
    model(x[:2])  # lazy set-up counts in the baseline
def status(key):
    return next(int(l.split()[1]) * 1024 for l in open("/proc/self/status") if l.startswith(key))
base = status("VmRSS")
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")  # the peak starts again from here
with ctx():
    model(x)
print(status("VmHWM") - base + x.numel() * 4)  # the batch of pictures is in the estimate
"""


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="needs Linux's resettable peak memory")
def test_a_frozen_backbones_feature_pass_is_estimated_at_or_above_what_pytorch_takes():
    """A batch of 64 pictures through a frozen MobileNetV2 without gradients (fresh processes, float32 on the CPU):
    measured 1.36 x below the estimate for the ordinary trainer's pass on a quiet machine (up to 1.16 x more with
    other programs busy: the reason for the margin) and 2.23 x for the frozen path's (batch norms folded into the
    convolutions); the old estimate, the features only, was a thousandth of it."""
    est = validate(make_preset("mobilenet_v2_transfer", 96, 96, 3).with_input(96, 96, 3), 10).memory
    measured = {}
    for how in ("trainer", "features"):
        out = subprocess.run([sys.executable, "-c", _FEATURE_PASS, "96", how], capture_output=True, text=True,
                             cwd=REPO, timeout=120)
        assert out.returncode == 0, out.stderr
        measured[how] = int(out.stdout.split()[-1]) / 64
    assert measured["trainer"] <= est.per_picture < 1.5 * measured["trainer"], (measured, est.per_picture)
    assert measured["features"] < est.per_picture < 2.5 * measured["features"], (measured, est.per_picture)
