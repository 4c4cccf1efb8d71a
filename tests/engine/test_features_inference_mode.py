"""Computing a frozen backbone's features runs without gradients, but only while computing: the code that reads
its progress events, in the same thread, keeps PyTorch's gradients between them."""

from __future__ import annotations

import pytest
import torch

from cnnstudio.engine.events import DataProgress
from cnnstudio.engine.use.features import iter_features

from .test_data import make_project


@pytest.fixture
def proj(tmp_path):
    p = make_project(tmp_path / "proj", per_class=3, side=12)
    yield p
    p.close()


def test_the_caller_keeps_gradients_between_progress_events(proj):
    pics = [(r.sha256, r.file) for r in proj.records(proj.ids())][:5]
    gen = iter_features(proj.root, pics, size=32, batch=2)
    seen = 0
    try:
        while True:
            ev = next(gen)
            assert isinstance(ev, DataProgress)
            seen += 1
            assert not torch.is_inference_mode_enabled()
            w = torch.nn.Parameter(torch.ones(2))
            assert (w * 2).requires_grad  # the caller's own training still works here
    except StopIteration as done:
        feats = done.value
    assert seen >= 3 and feats.vectors.shape[0] == 5 and feats.cached == 0
