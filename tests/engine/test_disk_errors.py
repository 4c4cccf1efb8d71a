"""Training, export and packing on a disk that says no: a failed run with the reason, a resume that finishes,
caches that are only caches, a project folder that vanishes under a running child."""

from __future__ import annotations

import shutil
import threading

import pytest

from cnnstudio.engine.events import EpochEnd, RunFailed, RunFinished
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.runs.child_run import ChildRun
from cnnstudio.project import Project, import_paths, run_records
from tests.disk_helpers import fill_disk, small_disk
from cnnstudio.engine.model.catalog import layer
from cnnstudio.engine.model.spec import ModelSpec
from tests.engine.test_data import tiny_spec, write_pattern_images
from tests.engine.test_runs import settings

WAIT_S = 120


def _project_on(folder, src_root) -> Project:
    src = write_pattern_images(src_root / "src", per_class=20)
    p = Project.create(folder / "MyProject")
    import_paths(p, [src], labels_from_folders=True)
    p.assign_splits((60, 20, 20), seed=0)
    return p


def _checkpoint_heavy_spec() -> ModelSpec:
    """Small enough to train in a second, with checkpoints of a few hundred KB (bigger than what is left free)."""
    return ModelSpec.create(8, 8, 1, [layer("conv2d", out_channels=32, kernel_size=3, padding="same"), layer("relu"),
                                      layer("flatten"), layer("linear", out_features=32)])


def _leftovers(folder) -> list[str]:
    return sorted(str(f.relative_to(folder)) for f in folder.rglob("*")
                  if f.is_file() and (f.name.startswith(".") or f.name.endswith((".tmp", ".part"))))


def test_full_disk_during_training_fails_the_run_then_it_resumes_and_finishes(tmp_path):
    with small_disk(tmp_path / "disk", "8m") as disk:
        p = _project_on(disk, tmp_path)
        run_id = runs.create_run(p, settings(epochs=2), _checkpoint_heavy_spec())
        filler = None
        events = []
        for ev in runs.run(p, run_id):
            events.append(ev)
            if isinstance(ev, EpochEnd) and ev.epoch == 1:
                # another program fills the disk: epoch 2's checkpoint (~500 KB) cannot be written
                filler = fill_disk(disk, leave=150_000)
        last = events[-1]
        assert isinstance(last, RunFailed), last
        assert last.reason.startswith("the disk holding MyProject is full (")
        assert "free some space, then train again — resuming the run goes on from its last checkpoint" \
            in last.reason and not last.details
        folder = run_records.run_dir(p, run_id)
        assert _leftovers(folder) == []
        assert p.integrity_check() == "ok"
        filler.unlink()  # space is back
        info = run_records.get_run(p, run_id)
        assert info.status == "failed" and "is full" in info.summary["error"]
        assert "is full" in (folder / "error.txt").read_text()
        resumed = list(runs.resume(p, run_id))
        assert isinstance(resumed[-1], RunFinished)
        assert [m["epoch"] for m in runs.read_metrics(p, run_id)] == [1, 2]  # one line per epoch
        assert run_records.get_run(p, run_id).status == "finished" and _leftovers(folder) == []
        p.close()


def test_a_cache_that_cannot_be_written_is_passed_over_once(tmp_path):
    with small_disk(tmp_path / "disk", "3m") as disk:
        p = _project_on(disk, tmp_path)
        run_id = runs.create_run(p, settings(epochs=1), tiny_spec())
        shutil.rmtree(p.root / "cache")
        (p.root / "cache").write_bytes(b"")  # the cache folder cannot be made: as on a full or locked disk
        events = list(runs.run(p, run_id))
        assert isinstance(events[-1], RunFinished)
        (p.root / "cache").unlink()
        p.close()


def paused_child(p, run_id: str):
    """``run_id`` trained by a child process started paused, once it says it paused: ``(child, thread, events,
    pause)``; ``pause.clear()`` lets it go on, ``thread`` collects its events into ``events``."""
    stop, pause, paused = threading.Event(), threading.Event(), threading.Event()
    pause.set()
    child = ChildRun(p, run_id, stop=stop, pause=pause, paused=paused)
    events: list = []
    thread = threading.Thread(target=lambda: events.extend(child.events()))
    thread.start()
    assert paused.wait(WAIT_S), "the child never said it paused"
    return child, thread, events, pause


def test_project_folder_removed_under_a_child_run_fails_it_with_the_reason(tmp_path):
    p = _project_on(tmp_path, tmp_path)
    run_id = runs.create_run(p, settings(epochs=1), tiny_spec())
    child, thread, events, pause = paused_child(p, run_id)
    shutil.rmtree(p.root)  # the USB stick is pulled
    pause.clear()
    thread.join(WAIT_S)
    assert not thread.is_alive()
    last = events[-1]
    assert isinstance(last, RunFailed), last
    assert last.reason == ("the folder MyProject is gone — it was moved, renamed or its drive removed: put it back "
                           "where it was (or use it where it is now), then train again"), last.reason
    assert child.process.returncode == 0  # the child said it, it did not crash
    p.close()


def _files(folder) -> list[str]:
    return sorted(str(f.relative_to(folder)) for f in folder.rglob("*"))


def test_export_and_pack_onto_a_full_disk_say_so_and_leave_nothing(tmp_path, capsys):
    from cnnstudio.engine.runs.jobs import pack_job
    from cnnstudio.project.disk import DiskError
    from tests.cli.helpers import run

    p = _project_on(tmp_path, tmp_path)
    assert isinstance(list(runs.train(p, settings(epochs=1), _checkpoint_heavy_spec()))[-1], RunFinished)
    with small_disk(tmp_path / "Stick", "3m") as disk:
        filler = fill_disk(disk, leave=100_000)  # the model's weights are ~270 KB
        code, _, err = run(capsys, "export", p.root, "--format", "bundle", "--out", disk / "model.zip")
        assert code == 1 and len(err.strip().splitlines()) == 1
        assert "the disk holding Stick has " in err and "but this export needs about" in err
        code, _, err = run(capsys, "pack", p.root, "--out", disk / "job.zip", "--epochs", "1")
        assert code == 1 and len(err.strip().splitlines()) == 1 and "but a job of 40 pictures needs about" in err
        assert _files(disk) == ["filler.bin"]
        filler.unlink()
        # space is back, then another program fills it while the job is written: one sentence, nothing left over
        state = {}

        def progress(done, total, message):
            if done and not state:
                state["filler"] = fill_disk(disk)

        with pytest.raises(DiskError) as caught:
            pack_job(p, disk / "job.zip", settings(epochs=1), tiny_spec(), progress=progress)
        assert str(caught.value).startswith("the disk holding Stick is full (")
        assert "free some space, then pack the job again — the project was not changed" in str(caught.value)
        assert _files(disk) == ["filler.bin"] and p.integrity_check() == "ok"
        state["filler"].unlink()
        code, _, err = run(capsys, "export", p.root, "--format", "bundle", "--out", disk / "model.zip")
        assert code == 0, err
        assert pack_job(p, disk / "job.zip", settings(epochs=1), tiny_spec()).is_file()
    p.close()


def test_a_run_brought_home_onto_a_full_disk_is_one_sentence_and_leaves_nothing(tmp_path):
    from cnnstudio.engine.runs.jobs import import_run
    from cnnstudio.project.disk import DiskError

    home = _project_on(tmp_path, tmp_path)  # trained "elsewhere": a copy of the project on a big disk
    run_id = list(runs.train(home, settings(epochs=1), _checkpoint_heavy_spec()))[-1].run_id
    home.close()
    with small_disk(tmp_path / "Stick", "3m") as disk:
        shutil.copytree(tmp_path / "MyProject", disk / "MyProject", ignore=shutil.ignore_patterns("runs", "cache"))
        p = Project.open(disk / "MyProject")
        run_records.delete_run(p, run_id, delete_files=False)
        filler = fill_disk(disk, leave=150_000)  # the run's files are ~600 KB
        with pytest.raises(DiskError) as caught:
            import_run(p, tmp_path / "MyProject" / "runs" / run_id)
        assert "the disk holding MyProject has " in str(caught.value) and "this run needs about" in str(caught.value)
        assert not (disk / "MyProject" / "runs" / run_id).exists() and not _leftovers(disk / "MyProject")
        assert run_records.find_run(p, run_id) is None and p.integrity_check() == "ok"
        filler.unlink()
        assert import_run(p, tmp_path / "MyProject" / "runs" / run_id) == run_id
        assert run_records.get_run(p, run_id).status == "finished"
        p.close()
