"""A project.db whose pages after the first are damaged reads its header and its list of tables, then fails on its
rows once open: the store says it as the damaged database it is (DamagedProjectError, the same sentence as a damaged
header, for the window and the command line alike) and lets go of the half-opened file, so no connection to it is
left open. Real project folders, real SQLite, the real command in a child process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cnnstudio.project import Project, import_paths
from cnnstudio.project.db_backup import BACKUP_NAME
from cnnstudio.project.errors import DamagedProjectError
from tests.disk_helpers import write_noise_images
from tests.project.test_put_back import _damage_a_page

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def damaged(tmp_path):
    with Project.create(tmp_path / "proj") as p:
        import_paths(p, [write_noise_images(tmp_path / "src", 2, 8)], labels_from_folders=True)
    _damage_a_page(tmp_path / "proj" / "project.db")
    return tmp_path / "proj"


def _open_files(root: Path) -> list[str]:
    """This process's open files inside ``root`` (Linux: /proc/self/fd)."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(root)):
            found.append(target)
    return found


def test_a_damaged_page_is_the_stores_damaged_database_and_no_connection_is_left(damaged):
    db = damaged / "project.db"
    with pytest.raises(DamagedProjectError) as raised:  # its traceback (the failed opening's frames) kept alive
        Project.open(damaged)
    assert str(raised.value).startswith(f"{db} is damaged: it cannot be read as a project database: CNN Studio kept "
                                        f"a copy of it from ")
    assert BACKUP_NAME in str(raised.value) and raised.value.__cause__ is None
    assert _open_files(damaged) == []  # the half-opened project closed its connection
    os.rename(db, damaged / "aside.db")  # the file can be set aside whole, with no write-ahead log of its own
    assert sorted(f.name for f in damaged.iterdir() if f.name.startswith(("project.db", "aside"))) == [
        "aside.db", BACKUP_NAME]


def test_the_command_line_says_the_same_one_sentence(damaged):
    with pytest.raises(DamagedProjectError) as raised:
        Project.open(damaged)
    proc = subprocess.run([sys.executable, "-m", "cnnstudio", "info", str(damaged)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode != 0 and proc.stdout == ""
    assert "Traceback" not in proc.stderr and "malformed" not in proc.stderr
    (line,) = proc.stderr.strip().splitlines()  # one line, one sentence
    assert str(raised.value) in line
