"""Closing the Export dialog right after its export finished, its 'succeeded' still queued: the export is told as
saved (the file exists), never as cancelled."""

from __future__ import annotations

from cnnstudio.engine.use.export_held import held_model
from cnnstudio.ui.predict.export_dialog import ExportDialog
from tests.engine.test_export_held import NAMES, run_bundle


def test_closing_just_after_the_export_finished_tells_it_saved(qtbot, tmp_path):
    bundle = run_bundle(tmp_path / "runs" / "run-a" / "model", "run-a", 1)
    dialog = ExportDialog(bundle, "proj-model", run_name=NAMES["run-a"], name_of=NAMES.get)
    qtbot.addWidget(dialog)
    dialog.show()
    exported = []
    dialog.exported.connect(exported.append)
    target = tmp_path / "exported" / "model.zip"
    target.parent.mkdir()
    assert dialog.start("bundle", str(target))
    thread = dialog.task.thread
    assert thread.wait(60_000)  # the export finished; no event ran, so its 'succeeded' is still queued
    assert dialog.task.busy and dialog.result is None
    dialog.done(0)  # the user closes the dialog now
    assert target.exists() and held_model(target, "bundle")["run"] == "run-a"
    assert len(exported) == 1 and exported[0] is not None and exported[0].path == target
    assert "Saved" in dialog.message.text() and "cancelled" not in dialog.message.text()
