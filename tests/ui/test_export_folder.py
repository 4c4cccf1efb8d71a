"""The Export dialog offers its file in the folder the last export went to (the home folder at first), so a second
export does not start over in the home folder (ui/predict/export_dialog.py with ui/settings.py's last_folder)."""

from __future__ import annotations

from pathlib import Path

from cnnstudio.ui.predict.export_dialog import ExportDialog
from tests.engine.test_export_held import NAMES, run_bundle


def _dialog(qtbot, bundle) -> ExportDialog:
    d = ExportDialog(bundle, "proj-model", run_name=NAMES["run-a"], name_of=NAMES.get)
    qtbot.addWidget(d)
    return d


def test_the_next_export_is_offered_where_the_last_one_went(qtbot, tmp_path):
    bundle = run_bundle(tmp_path / "runs" / "run-a" / "model", "run-a", 1)
    first = _dialog(qtbot, bundle)
    assert first.path.text() == str(Path.home() / "proj-model.zip")  # nothing exported yet
    target = tmp_path / "exported" / "model.zip"
    target.parent.mkdir()
    with qtbot.waitSignal(first.exported, timeout=60_000) as blocker:
        assert first.start("bundle", str(target))
    assert blocker.args[0] is not None and target.is_file(), first.message.text()
    first.done(0)
    assert _dialog(qtbot, bundle).path.text() == str(target.parent / "proj-model.zip")
