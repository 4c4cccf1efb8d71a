"""A run that fails on an error nobody foresaw (a bug) says "training failed" once: the reason is the error itself,
and the window ("Training failed: …") and the terminal put the words in front. A real module that raises."""

from __future__ import annotations

import torch

from cnnstudio.engine.events import RunFailed
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.model.build import build_from_json
from tests.engine.test_data import make_project, tiny_spec
from tests.engine.test_runs import settings


class Broken(torch.nn.Module):
    def __init__(self, inner: torch.nn.Module):
        super().__init__()
        self.inner = inner

    def forward(self, x):
        raise ValueError("boom")


def broken_builder(spec_json, n):
    spec, model = build_from_json(spec_json, n)
    return spec, Broken(model)


def test_a_bug_says_training_failed_once(tmp_path):
    with make_project(tmp_path / "proj") as p:
        run_id = runs.create_run(p, settings(epochs=1), tiny_spec())
        last = list(runs.run(p, run_id, builder=broken_builder))[-1]
    assert isinstance(last, RunFailed)
    assert last.reason == "ValueError: boom" and "bug in CNN Studio" in last.advice and "ValueError" in last.details
