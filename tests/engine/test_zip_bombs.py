"""Zips from outside whose members unpack to far more than they may (QA transfer 4): a run brought home and a packed
job are refused in one sentence from the zip's directory, before anything is unpacked (project/zip_reading.py, the one
rule; the model bundle's own case is in test_bundle.py)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from cnnstudio.engine.runs import job_archive
from cnnstudio.engine.runs.job_archive import JobError
from cnnstudio.engine.runs.jobs import RUN_JSON_LIMIT, import_run
from tests.engine.test_data import make_project


def bomb(path: Path, member: str, size: int, others: dict[str, bytes] | None = None) -> Path:
    """A real zip whose ``member`` is ``size`` zero bytes, deflated (a megabyte at a time: never held whole)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in (others or {}).items():
            zf.writestr(name, data)
        info = zipfile.ZipInfo(member)
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as f:
            for _ in range(size >> 20):
                f.write(bytes(1 << 20))
    assert path.stat().st_size < size // 500
    return path


def test_a_run_brought_home_whose_file_is_a_zip_bomb_is_refused_before_unpacking(tmp_path):
    size = RUN_JSON_LIMIT + (8 << 20)  # just over what a run's file may hold: 520 MB of zeros, about half a megabyte
    z = bomb(tmp_path / "result.zip", "run/dataset.json", size, {"run/config.json": b"{}"})
    with make_project(tmp_path / "proj") as project:
        with pytest.raises(JobError) as e:
            import_run(project, z)
        assert str(e.value) == ("“result.zip” was not opened: its run/dataset.json would unpack to 520 MB, more than "
                                "the 512 MB a run's file can hold, so it is damaged or not what it says it is")
        assert not list((tmp_path / "proj" / "runs").iterdir())  # nothing unpacked, not even a temporary folder


def test_a_packed_job_whose_job_file_is_a_zip_bomb_is_refused_before_unpacking(tmp_path):
    z = bomb(tmp_path / "job.zip", "job/job.json", 48 << 20)
    with pytest.raises(JobError) as e:
        job_archive.open_job(z)
    assert str(e.value) == ("“job.zip” was not opened: its job/job.json would unpack to 48 MB, more than the 1.0 MB a "
                            "job's description can hold, so it is damaged or not what it says it is")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["job.zip"]


def test_unpacking_refuses_a_member_over_its_limit_before_writing_anything(tmp_path):
    z = bomb(tmp_path / "m.zip", "run/model/model.safetensors", 48 << 20, {"run/config.json": b"{}"})
    with pytest.raises(JobError, match="^“m.zip” was not opened: its run/model/model.safetensors would unpack to 48 MB, "
                                      "more than the 10 MB a test allows"):
        job_archive.safe_extract(z, tmp_path / "out", limit=lambda parts: (10 << 20, "a test allows"))
    assert not (tmp_path / "out").exists()
    # members left out are not limited: only what is unpacked is
    job_archive.safe_extract(z, tmp_path / "out", only=lambda parts: parts[-1] == "config.json",
                             limit=lambda parts: (10 << 20, "a test allows"))
    assert [p.name for p in (tmp_path / "out").rglob("*") if p.is_file()] == ["config.json"]
