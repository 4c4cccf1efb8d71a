"""A run's peak memory on its graphics card is in its RunFinished event (GiB); a CPU run has none (null in JSON)."""

from __future__ import annotations

import math

from cnnstudio.engine.events import RunFinished, event_from_json, event_to_json
from cnnstudio.engine.train.trainer import fit
from tests.engine.test_trainer import settings, toy_data, toy_model


def test_a_cpu_run_has_no_gpu_memory_figure():
    end = list(fit(toy_model(), toy_data(), settings(epochs=1, device="cpu")))[-1]
    assert isinstance(end, RunFinished) and math.isnan(end.peak_gpu_memory_gb)
    d = event_to_json(end)
    assert d["peak_gpu_memory_gb"] is None
    assert math.isnan(event_from_json(d).peak_gpu_memory_gb)


def test_the_figure_travels_as_json_and_an_older_sender_has_none():
    ev = RunFinished("r", 3, 2, 0.9, 12.0, 800.0, peak_gpu_memory_gb=3.25)
    assert event_to_json(ev)["peak_gpu_memory_gb"] == 3.25 and event_from_json(event_to_json(ev)) == ev
    older = {k: v for k, v in event_to_json(ev).items() if k != "peak_gpu_memory_gb"}
    assert math.isnan(event_from_json(older).peak_gpu_memory_gb)


def test_a_cpu_runs_summary_says_null_for_the_cards_memory(tmp_path):
    """The stored summary always has the key: null off a CUDA card (a figure from a card is a number there)."""
    from cnnstudio.engine.runs import lifecycle as runs
    from cnnstudio.project import run_records
    from tests.engine.test_data import make_project, tiny_spec
    from tests.engine.test_runs import settings as run_settings

    project = make_project(tmp_path / "proj")
    try:
        fin = list(runs.train(project, run_settings(epochs=1, device="cpu"), tiny_spec()))[-1]
        assert isinstance(fin, RunFinished)
        summary = run_records.get_run(project, fin.run_id).summary
        assert "peak_gpu_memory_gb" in summary and summary["peak_gpu_memory_gb"] is None
    finally:
        project.close()
