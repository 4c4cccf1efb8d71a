"""The first "Check data" of a session starts at once (QA: the window froze ~3 s, a click on Model took effect after
it): the check's engine (torch, cleanlab) is imported in its worker thread, not on the GUI thread, and the panel says
"Starting the data check…" meanwhile. Measured in a fresh Python, where nothing of the engine is loaded yet (in the
test process another test may have imported it already)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from cnnstudio.ui.data.check_panel import STARTING

REPO = Path(__file__).resolve().parents[2]
CHILD = r"""
import json, sys, time
from pathlib import Path
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

app = QApplication([])
from cnnstudio.project import Project, import_paths
from cnnstudio.ui.data.check_panel import CheckPanel
from cnnstudio.ui.session import ProjectSession
from tests.conftest import write_dataset

root = Path(sys.argv[1])
project = Project.create(root / "proj")
import_paths(project, [write_dataset(root / "src", ("cat", "dog"), per_class=6)], labels_from_folders=True)
panel = CheckPanel(ProjectSession(project))
loaded = [m for m in ("torch", "cleanlab", "cnnstudio.engine.runs.doctor") if m in sys.modules]
loop, tick = QEventLoop(), []
t0 = time.perf_counter()
QTimer.singleShot(20, lambda: (tick.append(time.perf_counter() - t0), loop.quit()))  # the GUI's next turn
panel.start()
returned, said = time.perf_counter() - t0, panel.summary.text()
loop.exec()
panel.task.ended.connect(lambda *_: loop.quit())
panel._cancel()
loop.exec()  # the check stopped (after its import, in its thread)
print(json.dumps({"loaded": loaded, "returned": returned, "tick": tick[0], "said": said,
                  "imported": "cnnstudio.engine.runs.doctor" in sys.modules}))
"""


def test_the_first_check_leaves_the_window_free_while_its_engine_loads(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path)], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["loaded"] == [] and out["imported"]  # loaded by the check, not before it
    assert out["said"] == STARTING
    assert out["returned"] < 0.5, out  # the import of torch alone takes seconds in a fresh Python
    assert out["tick"] < 0.5, out  # a 20 ms timer fires on time while the engine loads
