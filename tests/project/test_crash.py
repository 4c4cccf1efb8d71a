"""Kill -9 in the middle of an import and of a burst of labelling, many times over.

After each kill the database passes ``PRAGMA integrity_check``, every action the child reported as
committed is there, and there is no row without its file and no file without its row.
"""

import random
import signal
import subprocess
import sys
from pathlib import Path

from cnnstudio.project import ImageFilter, Project, import_paths
from tests.conftest import write_dataset, write_image

CHILD = Path(__file__).with_name("crash_child.py")
ROOT = Path(__file__).resolve().parents[2]


def _start(*args) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, str(CHILD), *map(str, args)], stdout=subprocess.PIPE, text=True,
                            cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert proc.stdout.readline().strip() == "ready"
    return proc


def _kill_after(proc: subprocess.Popen, lines: int) -> list[str]:
    """Wait for ``lines`` committed lines, SIGKILL the child while it works on, and return every
    "committed" line it managed to write before it died (the pipe keeps them)."""
    got = []
    for _ in range(lines):
        line = proc.stdout.readline()
        if not line or line.startswith("done"):
            break
        got.append(line)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    got += proc.stdout.read().splitlines()
    proc.stdout.close()
    return [ln.split(maxsplit=1)[1].strip() if len(ln.split()) > 1 else "" for ln in got
            if ln.startswith("committed")]


def _check_consistent(project: Project) -> None:
    assert project.integrity_check() == "ok"
    con = project._con()
    rows = {r[0] for r in con.execute("SELECT file FROM images")}
    files = {str(p.relative_to(project.root)) for p in (project.root / "images").rglob("*") if p.is_file()}
    assert rows == files, f"rows without files: {rows - files}, files without rows: {files - rows}"
    assert con.execute("SELECT COUNT(*) FROM pending_files").fetchone()[0] == 0


def test_kill_during_import_many_times(tmp_path):
    src = tmp_path / "src"
    for i in range(240):
        write_image(src / f"img_{i:03d}.png", color=(i, 255 - i, (i * 7) % 256), size=(48, 48))
    Project.create(tmp_path / "p").close()
    rng = random.Random(1)
    committed: set[int] = set()
    for round_ in range(8):
        proc = _start("import", tmp_path / "p", src, 12)
        for line in _kill_after(proc, rng.randint(0, 3)):
            committed.update(int(x) for x in line.split(",") if x)
        with Project.open(tmp_path / "p") as project:  # recovery runs on open
            _check_consistent(project)
            present = set(project.ids())
            assert committed <= present, f"round {round_}: lost committed images {committed - present}"
            for iid in committed:
                assert project.image_path(iid).is_file()
    with Project.open(tmp_path / "p") as project:  # and the import can be finished afterwards
        report = import_paths(project, [src])
        assert project.count() == 240
        assert len(report.imported) + len(report.duplicates) == 240
        _check_consistent(project)


def test_kill_during_labelling_many_times(tmp_path):
    with Project.create(tmp_path / "p") as project:
        import_paths(project, [write_dataset(tmp_path / "src", ("a", "b", "c"), per_class=10)],
                     labels_from_folders=True)
        ids = project.ids()
        classes = [c.id for c in project.classes()]
    rng = random.Random(2)
    for _ in range(10):
        with Project.open(tmp_path / "p") as project:
            start = {i: project.image(i).class_id for i in ids}
        proc = _start("label", tmp_path / "p")
        steps = [int(s) for s in _kill_after(proc, rng.randint(1, 40))]

        def state_after(n_steps: int) -> dict:
            state = dict(start)
            for step in range(n_steps):
                cls = classes[(step * 7 + 3) % len(classes)]
                state[ids[step % len(ids)]] = cls
                state[ids[(step + 1) % len(ids)]] = cls
            return state

        last = steps[-1] + 1 if steps else 0
        with Project.open(tmp_path / "p") as project:
            _check_consistent(project)
            now = {i: project.image(i).class_id for i in ids}
            # every reported action is there; at most the one in flight may also be there
            assert now in (state_after(last), state_after(last + 1))
            assert project.count(ImageFilter()) == 30
