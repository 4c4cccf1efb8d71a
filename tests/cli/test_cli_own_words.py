"""The terminal's own words: a run that failed on a picture ends with its one sentence (no "check the images of this
run" tacked on), and a pickle is refused without naming the window's Export. Real projects, real files."""

from __future__ import annotations

import pytest
import torch

from cnnstudio.project import Project
from tests.cli.helpers import run
from tests.engine.test_data import make_project


def test_a_run_that_failed_on_a_picture_says_one_sentence(tmp_path, capsys):
    with make_project(tmp_path / "proj") as p:
        p.image_path(p.ids()[0]).write_bytes(b"not a picture any more")  # damaged on disk (one deleted by hand is
        # refused before a run is made: tests/engine/test_missing_files_training.py)
    code, out, err = run(capsys, "train", tmp_path / "proj", "--preset", "lenet5", "--epochs", "1")
    assert code == 1, out + err
    failed = next(line for line in out.splitlines() if line.startswith("Run "))
    assert "cannot be read" in failed and "check the images of this run" not in out
    assert failed.count(". ") <= 1  # the sentence, and its way out after one full stop


def test_a_pickle_is_refused_in_the_terminals_words(tmp_path, capsys):
    evil = tmp_path / "model.pt"
    torch.save({"w": torch.zeros(2)}, evil)
    with make_project(tmp_path / "proj"):
        pass
    picture = next((tmp_path / "proj" / "images").rglob("*.png"))
    code, out, err = run(capsys, "predict", evil, picture)
    assert code != 0 and "it was not opened" in err
    assert "Export or" not in err and "CNN Studio's export writes" in err
    with Project.open(tmp_path / "proj") as p:
        assert p.count() > 0


@pytest.mark.parametrize("fmt, name", [("torchscript", "m.pt"), ("bundle", "m.zip")])
def test_export_refuses_a_damaged_model_before_any_progress(tmp_path, capsys, fmt, name):
    from cnnstudio.engine.runs import lifecycle as runs
    from cnnstudio.project import run_records
    from tests.engine.test_data import tiny_spec
    from tests.engine.test_runs import settings

    with make_project(tmp_path / "proj") as p:
        run_id = list(runs.train(p, settings(epochs=1), tiny_spec()))[-1].run_id
        model = run_records.run_dir(p, run_id) / "model" / "model.safetensors"
        model.write_bytes(model.read_bytes()[:-8] + b"\0" * 8)
    code, out, err = run(capsys, "export", tmp_path / "proj", "--run", run_id, "--format", fmt,
                         "--out", tmp_path / name)
    assert code != 0 and "Exporting" not in err
    assert err.strip() == (f"cnnstudio: error: the trained model of run {run_id} is damaged (it was changed or only "
                           "partly copied): train it again, or delete the run")
    assert not (tmp_path / name).exists()
