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


def test_once_the_file_is_saved_the_button_reads_close_and_says_nothing_false(qtbot, tmp_path):
    """QA (beginner 80, 81): after "Saved … .zip" the button still read Cancel while the export's process ended, and
    pressing it said "Export cancelled; nothing was written." beside a complete file. A real export in a child process;
    the button is pressed the moment the last step says the file is saved (its process has not been heard ending)."""
    bundle = run_bundle(tmp_path / "runs" / "run-a" / "model", "run-a", 1)
    dialog = ExportDialog(bundle, "proj-model", run_name=NAMES["run-a"], name_of=NAMES.get)
    qtbot.addWidget(dialog)
    dialog.show()
    exported, seen = [], []
    dialog.exported.connect(exported.append)
    target = tmp_path / "exported" / "model.zip"
    target.parent.mkdir()

    def step(done, total, message):
        if done == total and not seen:  # after the dialog heard it (connected first), before the thread's end
            seen.append((dialog.task.busy, dialog.close_button.text(), dialog.close_button.toolTip(), message))
            dialog.close_button.click()

    dialog.task.progress.connect(step)
    with qtbot.waitSignal(dialog.exported, timeout=60_000):
        assert dialog.start("bundle", str(target))
    assert seen == [(True, "Close", "", "Saved model.zip")]  # not "Cancel: Stop the export; nothing is written."
    assert not dialog.isVisible() and dialog.thread is None  # Close closed it
    assert target.is_file() and held_model(target, "bundle")["run"] == "run-a"
    assert len(exported) == 1 and exported[0] is not None and exported[0].path == target
    text = dialog.message.text()
    assert "Saved" in text and "cancelled" not in text.lower() and "nothing" not in text
    assert sorted(p.name for p in target.parent.iterdir()) == ["model.zip"]


def test_a_cancel_after_the_file_was_put_in_place_never_says_nothing_was_written(qtbot, tmp_path):
    """A bundle's copy is checked after it is in place: a Cancel then comes too late, and is said so."""
    bundle = run_bundle(tmp_path / "runs" / "run-a" / "model", "run-a", 1)
    dialog = ExportDialog(bundle, "proj-model", run_name=NAMES["run-a"], name_of=NAMES.get)
    qtbot.addWidget(dialog)
    dialog.show()
    target = tmp_path / "exported" / "model.zip"
    target.parent.mkdir()

    def step(done, total, message):
        if message == "Checking the copy" and dialog.close_button.text() == "Cancel":
            dialog.close_button.click()

    dialog.task.progress.connect(step)
    with qtbot.waitSignal(dialog.exported, timeout=60_000):
        assert dialog.start("bundle", str(target))
    assert target.is_file() and dialog.close_button.text() == "Close" and dialog.isVisible()
    text = dialog.message.text()
    assert "nothing was saved" not in text and "nothing was written" not in text
    assert "Saved" in text or text == "Too late to cancel: “model.zip” had already been saved."
    assert sorted(p.name for p in target.parent.iterdir()) == ["model.zip"]  # no temporary file beside it


def test_the_words_of_a_cancelled_export():
    from cnnstudio.ui.predict.export_dialog import cancelled_words

    assert cancelled_words("model.onnx", False, False) == ("Export cancelled: nothing was saved, and no unfinished "
                                                           "file is left.")
    assert cancelled_words("model.onnx", True, False) == ("Export cancelled: “model.onnx” is as it was, and no "
                                                          "unfinished file is left.")
    assert cancelled_words("model.onnx", True, True) == "Too late to cancel: “model.onnx” had already been saved."
