"""Train elsewhere: pack a job, train it with no access to the project, bring the run home safely."""

from __future__ import annotations

import json
import os
import shutil
import stat
import zipfile
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from cnnstudio.engine.runs import job_archive, lifecycle as runs
from cnnstudio.engine.model.catalog import layer
from cnnstudio.engine.events import RunFinished, RunStarted
from cnnstudio.engine.runs.job_archive import JobError
from cnnstudio.engine.runs.jobs import import_run, pack_job, train_job
from cnnstudio.engine.data.preprocess import Preprocess
from cnnstudio.engine.train.settings import TrainSettings
from cnnstudio.engine.model.spec import ModelSpec
from cnnstudio.project import Project
from cnnstudio.project import run_records
from tests.engine.test_data import make_project

PP = Preprocess(height=8, width=8, channels=1, normalization="dataset")


def plain_spec() -> ModelSpec:
    """No BatchNorm, no dropout: several processes compute exactly what one does (see test_distributed)."""
    return ModelSpec.create(8, 8, 1, [layer("conv2d", out_channels=4, kernel_size=3, padding="same"), layer("relu"),
                                      layer("max_pool2d", kernel_size=2, stride=2), layer("flatten")])


def job_settings(**kw) -> TrainSettings:
    base = dict(epochs=2, batch_size=8, lr=0.05, optimizer="sgd", schedule="constant", threads=1, preprocess=PP)
    base.update(kw)
    return TrainSettings(**base)


def make_job(tmp_path: Path, out_name: str = "job.zip", **settings) -> tuple[Path, Path]:
    """(project folder, job path): a 40-image project (24 train / 8 val / 8 test) and its packed job."""
    with make_project(tmp_path / "proj") as project:
        out = pack_job(project, tmp_path / out_name, job_settings(**settings), plain_spec())
    return tmp_path / "proj", out


def weights(run_folder: Path) -> dict[str, torch.Tensor]:
    return load_file(str(run_folder / "model" / "model.safetensors"))


def test_job_trains_without_the_project_then_comes_home(tmp_path):
    proj_dir, job = make_job(tmp_path)
    with zipfile.ZipFile(job) as zf:
        names = zf.namelist()
        info = json.loads(zf.read("job/job.json"))
    assert info["format"] == "cnnstudio-job" and info["images"] == 40 and info["classes"] == ["bottom", "top"]
    assert "job/project.db" in names and "job/README.txt" in names
    assert sum(n.startswith("job/images/") and not n.endswith("/") for n in names) == 40
    assert not any("cache/thumbs" in n or n.endswith("-wal") for n in names)
    readme = zipfile.ZipFile(job).read("job/README.txt").decode()
    assert "cnnstudio train job.zip" in readme and "--nproc-per-node 4" in readme and "import-run" in readme

    # another machine: a fresh folder, and the project is gone
    away = tmp_path / "elsewhere"
    away.mkdir()
    shutil.move(job, away / "job.zip")
    hidden = tmp_path / "hidden-proj"
    proj_dir.rename(hidden)
    shutil.rmtree(tmp_path / "proj-src")  # the pictures it was imported from, too
    events = list(train_job(away / "job.zip"))
    assert isinstance(events[-1], RunFinished), events[-1]
    started = next(e for e in events if isinstance(e, RunStarted))
    assert (started.train_images, started.val_images, started.epochs) == (24, 8, 2)
    run_folder = away / "job" / "runs" / info["run"]
    assert {p.name for p in run_folder.iterdir()} >= {"config.json", "dataset.json", "metrics.jsonl", "model",
                                                       "evaluation.json", "checkpoint", "run.json"}
    assert json.loads((run_folder / "run.json").read_text())["status"] == "finished"
    with pytest.raises(JobError, match="already been trained"):
        next(train_job(away / "job.zip"))  # the unpacked folder is reused, and knows it is done

    # home again
    hidden.rename(proj_dir)
    run_json = json.loads((run_folder / "run.json").read_text())
    (run_folder / "run.json").write_text(json.dumps({**run_json, "name": "two\nlines"}))  # an older version's name
    with Project.open(proj_dir) as project:
        run_id = import_run(project, run_folder)
        assert run_id == info["run"]
        r = run_records.get_run(project, run_id)
        assert r.name == "two lines"  # made one line, not refused
        assert r.status == "finished" and r.summary["test_accuracy"] == events[-1].test_accuracy
        assert r.summary["best_epoch"] == events[-1].best_epoch and r.data_fingerprint == info["fingerprint"]
        assert [m["epoch"] for m in runs.read_metrics(project, run_id)] == [1, 2]  # the curves
        assert runs.data_changed(project, run_id) is False
        # dataset.json now names this project's image ids and files: evaluation works here
        ds = json.loads((proj_dir / "runs" / run_id / "dataset.json").read_text())
        records = {r.sha256: r for r in project.records([i["id"] for i in ds["images"]])}
        assert all(records[i["sha256"]].file == i["file"] for i in ds["images"])
        _, ev = runs.evaluate_run(project, run_id, "test", save=False)
        assert ev.accuracy == pytest.approx(events[-1].test_accuracy)
        assert run_records.best_run(project).id == run_id
        with pytest.raises(JobError, match="already in this project"):
            import_run(project, run_folder)


def test_job_folder_default_recipe_and_preset(tmp_path):
    with make_project(tmp_path / "proj") as project:
        before = project.summary()
        folder = pack_job(project, tmp_path / "jobdir")  # default recipe, a folder
        assert project.summary() == before and run_records.list_runs(project) == []  # the project is unchanged
        preset_job = pack_job(project, tmp_path / "p.zip", job_settings(), preset="classic")
        with pytest.raises(JobError, match="already exists"):
            pack_job(project, tmp_path / "p.zip", job_settings(), preset="classic")
    info = job_archive.read_job(folder)
    cfg = json.loads((folder / "runs" / info["run"] / "config.json").read_text())
    assert cfg["preset"] == "default" and cfg["settings"]["epochs"] == 0 and cfg["settings"]["optimizer"] == "adamw"
    assert job_archive.is_job(folder) and job_archive.is_job(preset_job) and not job_archive.is_job(tmp_path / "proj")
    with zipfile.ZipFile(preset_job) as zf:
        run = json.loads(zf.read("p/job.json"))["run"]
        assert json.loads(zf.read(f"p/runs/{run}/config.json"))["preset"] == "classic"


def test_import_refuses_a_run_trained_on_other_data(tmp_path):
    proj_dir, job = make_job(tmp_path, epochs=1)
    assert isinstance(list(train_job(job))[-1], RunFinished)
    run_folder = next((tmp_path / "job" / "runs").iterdir())
    with Project.open(proj_dir) as project:
        ids = sorted(project.ids())
        top, bottom = project.class_by_name("top"), project.class_by_name("bottom")
        first = project.image(ids[0])
        project.set_labels([ids[0]], bottom.id if first.class_id == top.id else top.id)  # relabelled
        project.delete_images(ids[1:4])  # three gone
        with pytest.raises(JobError) as err:
            import_run(project, run_folder)
        message = str(err.value)
        assert "trained on 40 images" in message and "3 of them are not among this project" in message
        assert "1 has another label here (relabelled)" in message
        assert run_records.list_runs(project) == [] and not (proj_dir / "runs" / run_folder.name).exists()


def _zip_with(path: Path, members: dict[str, bytes], link: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        if link:
            info = zipfile.ZipInfo(link)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")
    return path


@pytest.mark.parametrize("bad", ["../evil.txt", "/tmp/evil-abs.txt", "run/../../evil.txt", "C:/evil.txt", "link"])
def test_zip_members_that_escape_are_refused(tmp_path, bad):
    good = {"run/config.json": b"{}", "run/dataset.json": b"{}"}
    if bad == "link":
        z = _zip_with(tmp_path / "bad.zip", good, link="run/model/evil")
    else:
        z = _zip_with(tmp_path / "bad.zip", {**good, bad: b"pwned"})
    with make_project(tmp_path / "proj") as project:
        with pytest.raises(JobError, match="refused"):
            import_run(project, z)
        assert not list((tmp_path / "proj" / "runs").iterdir())  # nothing unpacked, not even a temp folder
    with pytest.raises(JobError, match="refused"):
        job_archive.safe_extract(z, tmp_path / "out")
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/evil-abs.txt").exists()


def test_import_a_zipped_run_leaves_pickles_behind(tmp_path):
    proj_dir, job = make_job(tmp_path, epochs=1)
    list(train_job(job))
    run_folder = next((tmp_path / "job" / "runs").iterdir())
    (run_folder / "model" / "evil.pkl").write_bytes(b"\x80\x04cos\nsystem\n.")  # never opened, never copied
    z = tmp_path / "result.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for f in run_folder.rglob("*"):
            if f.is_file():
                zf.write(f, f"{run_folder.name}/{f.relative_to(run_folder).as_posix()}")
    with Project.open(proj_dir) as project:
        run_id = import_run(project, z, name="from the GPU box")
        assert run_records.get_run(project, run_id).name == "from the GPU box"
    home = proj_dir / "runs" / run_id
    assert not (home / "model" / "evil.pkl").exists() and (home / "model" / "model.safetensors").is_file()
    assert torch.equal(weights(home)["layers.0.weight"], weights(run_folder)["layers.0.weight"])


def test_bringing_a_zipped_run_home_reads_its_directory_once(tmp_path, monkeypatch):
    """The zip's directory is read and checked once, for the space it needs and for the unpacking."""
    proj_dir, job = make_job(tmp_path, epochs=1)
    list(train_job(job))
    run_folder = next((tmp_path / "job" / "runs").iterdir())
    z = tmp_path / "result.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for f in run_folder.rglob("*"):
            if f.is_file():
                zf.write(f, f"{run_folder.name}/{f.relative_to(run_folder).as_posix()}")
    opened: list[Path] = []
    real_init = zipfile.ZipFile.__init__

    def counting_init(self, file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)):
            opened.append(Path(file))
        real_init(self, file, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "__init__", counting_init)
    with Project.open(proj_dir) as project:
        run_id = import_run(project, z)
    assert opened.count(z) == 1
    assert torch.equal(weights(proj_dir / "runs" / run_id)["layers.0.weight"], weights(run_folder)["layers.0.weight"])


def test_unpacking_twice_reuses_the_folder_and_refuses_strangers(tmp_path):
    _, job = make_job(tmp_path, epochs=1)
    a, info = job_archive.open_job(job)
    b, _ = job_archive.open_job(job)
    assert a == b == tmp_path / "job" and (a / "project.db").is_file() and info["run"]
    shutil.rmtree(a)
    a.mkdir()
    (a / "notes.txt").write_text("mine")
    with pytest.raises(JobError, match="not this job"):
        job_archive.open_job(job)
    assert (a / "notes.txt").read_text() == "mine"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".unpack")]
    os.remove(job)
