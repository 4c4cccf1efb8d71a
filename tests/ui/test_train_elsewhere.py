"""Train elsewhere from the GUI: pack a job from the current design, train it as another machine would
(the CLI on the job zip, in a folder of its own), import the run back through the GUI action."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cnnstudio.project import import_paths
from tests.conftest import write_dataset

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(240)
def test_pack_train_elsewhere_and_import_back(window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    assert window.create_project(tmp_path / "proj")
    p = window.session.project
    import_paths(p, [write_dataset(tmp_path / "src", ("a", "b"), per_class=8)], labels_from_folders=True)
    p.assign_splits((50, 25, 25), seed=0)
    window.session.images_changed.emit()
    window.workspace.train_page.settings_form.epochs.setValue(1)
    window.workspace.train_page.settings_form.batch_size.setValue(4)
    job = tmp_path / "far" / "job.zip"
    job.parent.mkdir()
    with qtbot.waitSignal(window.elsewhere.packed, timeout=60_000):
        assert window.elsewhere.pack(job)
    assert job.is_file()
    qtbot.waitUntil(lambda: not window.elsewhere.busy)
    # "another machine": a separate folder, the CLI, no access to the project needed
    out = subprocess.run([sys.executable, "-m", "cnnstudio", "train", str(job), "--json", "--quiet"],
                         capture_output=True, text=True, cwd=ROOT, timeout=200)
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout)
    run_folder = next(Path(job.parent).glob("*/runs/*/model")).parent
    assert run_folder.name == result["run"]
    shutil.make_archive(str(tmp_path / "run"), "zip", run_folder.parent, run_folder.name)
    with qtbot.waitSignal(window.elsewhere.imported, timeout=60_000) as blocker:
        assert window.elsewhere.import_run(tmp_path / "run.zip")
    assert blocker.args[0] == result["run"]
    qtbot.waitUntil(lambda: not window.elsewhere.busy)
    assert result["run"] in window.workspace.train_page.runs.selected_ids() or \
        window.workspace.train_page.runs.run_info(result["run"]) is not None
