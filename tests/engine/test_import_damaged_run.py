"""A run brought home whose trained model or checkpoint is damaged, or a pickle in disguise, is refused in one sentence
and nothing is imported (the rule prediction and evaluation use: use/bundle.load_bundle); a project run's damaged
model is named as the user knows it, with the way out. Real jobs trained on a tiny project."""

from __future__ import annotations

import os
import shutil

import pytest
import torch

from cnnstudio.engine.events import RunFinished
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.runs.job_archive import JobError
from cnnstudio.engine.runs.jobs import import_run, train_job
from cnnstudio.engine.use.bundle import BundleError
from cnnstudio.project import Project, run_records
from tests.cli.helpers import run
from tests.engine.test_jobs import make_job


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("job")
    proj_dir, job = make_job(tmp, epochs=1)
    assert isinstance(list(train_job(job))[-1], RunFinished)
    return proj_dir, next((tmp / "job" / "runs").iterdir())


def _copy(trained, tmp_path):
    proj_dir, run_folder = trained
    shutil.copytree(proj_dir, tmp_path / "proj")
    shutil.copytree(run_folder, tmp_path / run_folder.name)
    return tmp_path / "proj", tmp_path / run_folder.name


class Marker:
    def __reduce__(self):
        return (print, ("unpickled!",))


def _nothing_imported(proj_dir) -> bool:
    with Project.open(proj_dir) as p:
        return run_records.list_runs(p) == [] and not any(f for f in (proj_dir / "runs").iterdir())


def test_a_pickle_in_place_of_the_model_is_refused_and_nothing_is_imported(trained, tmp_path, capsys):
    proj_dir, folder = _copy(trained, tmp_path)
    torch.save({"x": Marker()}, folder / "model" / "model.safetensors")
    with Project.open(proj_dir) as p:
        with pytest.raises(JobError) as e:
            import_run(p, folder)
    assert str(e.value) == (f"run {folder.name} was not imported, because its trained model is damaged: it was changed "
                            "or only partly copied")
    assert _nothing_imported(proj_dir)
    code, out, err = run(capsys, "import-run", proj_dir, folder)
    assert code != 0 and "was not imported, because its trained model is damaged" in err
    assert len(err.strip().splitlines()) == 1 and "unpickled!" not in out + err
    assert _nothing_imported(proj_dir)


def test_a_damaged_checkpoint_is_refused(trained, tmp_path):
    proj_dir, folder = _copy(trained, tmp_path)
    os.truncate(folder / "checkpoint" / "last.safetensors", 1000)
    with Project.open(proj_dir) as p:
        with pytest.raises(JobError, match=f"run {folder.name} was not imported, because its checkpoint "
                                           "last.safetensors is damaged"):
            import_run(p, folder)
    assert _nothing_imported(proj_dir)


def test_a_whole_run_is_imported_and_a_damaged_model_of_a_project_run_says_the_way_out(trained, tmp_path):
    proj_dir, folder = _copy(trained, tmp_path)
    with Project.open(proj_dir) as p:
        run_id = import_run(p, folder)
        assert run_records.get_run(p, run_id).status == "finished"
        model = run_records.run_dir(p, run_id) / "model" / "model.safetensors"
        model.write_bytes(model.read_bytes()[:-8] + b"\0" * 8)
        with pytest.raises(BundleError) as e:
            runs.load_run_bundle(p, run_id)
    assert str(e.value) == (f"the trained model of run {run_id} is damaged (it was changed or only partly copied): "
                            "train it again, or delete the run")
