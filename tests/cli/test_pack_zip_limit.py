"""``cnnstudio pack`` reads back the job.json of the zip it wrote with the shared bounded reader
(project/zip_reading.py), as every zip the app reads: a member that would unpack to more than a job's description can
hold is refused in one sentence before it is unpacked, never read whole into memory (it read it with zf.read)."""

from __future__ import annotations

import zipfile

import pytest

from cnnstudio.cli.common import CliError
from cnnstudio.cli.remote_cmds import packed_info
from tests.cli.helpers import run
from tests.engine.test_data import make_project


def test_a_job_description_too_large_is_refused_in_one_sentence(tmp_path):
    bomb = tmp_path / "job.zip"  # 48 MB of spaces that deflate to about 50 KB: a real file, a small zip bomb
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("job/job.json", b" " * (48 << 20))
    assert bomb.stat().st_size < 1 << 20
    with pytest.raises(CliError) as e:
        packed_info(bomb)
    assert str(e.value) == ("“job.zip” was not opened: its job/job.json would unpack to 48 MB, more than the 1.0 MB "
                            "a job's description can hold, so it is damaged or not what it says it is")


def test_a_packed_job_is_read_back(tmp_path, capsys):
    make_project(tmp_path / "proj").close()
    code, packed, err = run(capsys, "pack", tmp_path / "proj", "--preset", "classic", "--epochs", "1",
                            "--out", tmp_path / "job.zip", "--json", "--quiet")
    assert code == 0, err
    info = packed_info(tmp_path / "job.zip")
    assert info["run"] == packed["run"] and info["images"] == packed["images"] == 40
