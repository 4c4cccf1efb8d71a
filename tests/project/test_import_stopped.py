"""An import the app never finished (killed with SIGKILL half-way: QA, 512 of 800 came in and nothing was said) is said
once at the next opening — how many pictures came in, and that importing the same folder again brings in the rest —
by ``cnnstudio info`` and the window's open notice alike (project/import_marker.py; the window's:
tests/ui/test_import_stopped_notice.py). Real project folders, real
SQLite, a real child process killed with SIGKILL."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from cnnstudio.project import Project, import_paths
from cnnstudio.project.import_marker import MARKER, mark, take_stopped_import
from tests.cli.helpers import run
from tests.disk_helpers import write_noise_images

REPO = Path(__file__).resolve().parents[2]
KILLER = """
import os, signal, sys
from cnnstudio.project import Project, import_paths
project = Project.open(sys.argv[1])
def progress(done, total, message):
    if done >= 100:  # the first chunk of 64 is in
        os.kill(os.getpid(), signal.SIGKILL)
import_paths(project, [sys.argv[2]], labels_from_folders=True, progress=progress, workers=1)
"""


def killed_import(base: Path) -> tuple[Path, Path]:
    """A project whose import of 120 pictures was killed (SIGKILL) after its first chunk, and the folder imported."""
    src = write_noise_images(base / "photos", 60, 8)
    Project.create(base / "proj").close()
    child = subprocess.run([sys.executable, "-c", KILLER, str(base / "proj"), str(src)], cwd=REPO, timeout=120,
                           env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True)
    assert child.returncode == -signal.SIGKILL, child.stderr
    return base / "proj", src


@pytest.fixture(scope="module")
def killed(tmp_path_factory) -> tuple[Path, Path]:
    return killed_import(tmp_path_factory.mktemp("killed"))


@pytest.fixture
def project(killed, tmp_path) -> Path:
    shutil.copytree(killed[0], tmp_path / "proj")
    return tmp_path / "proj"


def _came_in(root: Path) -> int:
    with Project.open(root, read_only=True) as p:
        return p.count()


def test_the_next_opening_says_once_how_many_came_in_and_to_import_the_folder_again(project, killed):
    n = _came_in(project)
    assert 64 <= n < 120
    with Project.open(project) as p:
        said = take_stopped_import(p)
        assert said.startswith(f"the import of 120 pictures from “{killed[1]}” started ")
        assert said.endswith(f"was stopped before it finished and {n} came in: import “{killed[1]}” again to bring "
                             "in the rest (the pictures already in are skipped as duplicates)")
    with Project.open(project) as p:  # said once: the marker went with it
        assert take_stopped_import(p) == "" and p.meta(MARKER) is None
        report = import_paths(p, [killed[1]], labels_from_folders=True)  # what the sentence promises
        assert len(report.imported) == 120 - n and len(report.duplicates) == n and p.count() == 120


def test_cnnstudio_info_says_it_in_one_sentence_then_not_again(project, killed, capsys):
    n = _came_in(project)
    code, out, _ = run(capsys, "info", project)
    assert code == 0
    lines = [line for line in out.splitlines() if "stopped" in line]
    assert len(lines) == 1 and lines[0].startswith("The import of 120 pictures from ")
    assert f"and {n} came in: import “{killed[1]}” again" in lines[0] and lines[0].endswith(".")
    code, out, _ = run(capsys, "info", project, "--json")
    assert code == 0 and "stopped_import" not in out


def test_an_import_that_ends_any_normal_way_leaves_no_marker(tmp_path):
    src = write_noise_images(tmp_path / "src", 40, 8)
    with Project.create(tmp_path / "proj") as p:
        seen: list[str | None] = []

        def progress(done, total, message):
            seen.append(p.meta(MARKER))
            if done == 10:
                raise RuntimeError("the window went")

        with pytest.raises(RuntimeError):
            import_paths(p, [src], progress=progress, workers=1)
        assert seen[1] is not None and "\"candidates\": 80" in seen[1]  # written before the first picture
        assert p.meta(MARKER) is None  # an error
        report = import_paths(p, [src], cancel=lambda: p.count() >= 64, workers=1)
        assert report.cancelled and p.meta(MARKER) is None  # Cancel
        import_paths(p, [src])
        assert p.meta(MARKER) is None and p.count() == 80  # finished
    with Project.open(tmp_path / "proj") as p:
        assert take_stopped_import(p) == ""


def test_an_import_under_way_elsewhere_is_not_said_stopped(tmp_path):
    """The marker of a process still there (another window, a command importing now) is an import under way."""
    with Project.create(tmp_path / "proj") as p:
        mark(p, [str(tmp_path / "photos")], 800)
    with Project.open(tmp_path / "proj", read_only=True) as p:
        assert take_stopped_import(p) == ""
    with Project.open(tmp_path / "proj") as p:
        assert take_stopped_import(p) == "" and p.meta(MARKER) is not None  # not cleared either
