"""The scoring batch (evaluation, prediction) is capped by memory: a pass of two pictures' shapes on the meta device measures what
one picture takes at the peak (engine/model/cost.peak_values / inference_bytes), a batch keeps within the
memory's share, a batch the caller gives is kept, and a smaller batch scores alike."""

from __future__ import annotations

import torch
from torch import nn

from cnnstudio.engine.data.preprocess import Preprocess
from cnnstudio.engine.model.cost import INFERENCE_MARGIN, inference_bytes, peak_values
from cnnstudio.engine.use import batching
from cnnstudio.engine.use.batching import CPU_EVAL_BATCH, fitting_batch, memory_budget, scoring_batch
from cnnstudio.engine.use.evaluate import predict_logits


def _net() -> nn.Module:
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(256, 3))


def test_the_peak_counts_the_tensors_alive_at_once():
    # 1 x 8 x 8 picture (64), the convolution's 4 x 8 x 8 (256) and the ReLU's (256) are alive together
    assert peak_values(_net()[:2], torch.zeros(1, 1, 8, 8)) == 64 + 256 + 256
    inplace = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(inplace=True))
    assert peak_values(inplace, torch.zeros(1, 1, 8, 8)) == 64 + 256  # in place: no new tensor
    net = _net().train()
    assert inference_bytes(net, (1, 8, 8)) == round(peak_values(net[:2], torch.zeros(2, 1, 8, 8)) / 2 * 4
                                                          * INFERENCE_MARGIN)
    assert net.training  # measured in eval mode, given back as it was


def test_a_batch_keeps_within_the_memory_it_may_use():
    assert fitting_batch(256, 10_000_000, 1_000_000_000) == 100
    assert fitting_batch(256, 10_000_000, 5_000_000) == 1  # one picture over the budget: still one at a time
    assert fitting_batch(256, 1_000, 1_000_000_000) == 256
    assert fitting_batch(256, 10_000_000, None) == 256  # the system does not say: as before
    budget = memory_budget("cpu")
    assert budget is not None and 0 < budget < 2 ** 50


def test_the_scoring_batch_of_a_big_model_follows_this_computers_memory():
    from torchvision.models import mobilenet_v2

    model = mobilenet_v2(weights=None, num_classes=2)  # no weights: nothing to download, the shapes are the point
    shape = (3, 224, 224)
    per_picture = inference_bytes(model, shape)
    assert 4_000_000 < per_picture < 40_000_000  # megabytes a picture (measured 7-12 MB): the reason for the cap
    expected = min(CPU_EVAL_BATCH, max(1, memory_budget("cpu") // per_picture))
    assert scoring_batch(model, shape, "cpu", CPU_EVAL_BATCH) == expected
    assert scoring_batch(model, shape, "cpu", CPU_EVAL_BATCH, requested=300) == 300  # the caller's stays
    assert scoring_batch(_net(), (1, 8, 8), "cpu", CPU_EVAL_BATCH) == CPU_EVAL_BATCH  # a small net: unchanged


def test_a_smaller_batch_scores_alike():
    torch.manual_seed(0)
    net = _net()
    images = torch.randint(0, 256, (7, 1, 8, 8), dtype=torch.uint8)
    pp = Preprocess(channels=1, height=8, width=8)
    whole = predict_logits(net, images, pp, batch_size=None)
    assert torch.allclose(whole, predict_logits(net, images, pp, batch_size=3), atol=1e-6)
    assert batching.batch_for("cpu", CPU_EVAL_BATCH) == CPU_EVAL_BATCH
