"""The Export dialog over an earlier export (QA 13, 14): the same run's export is replaced, another run's only after
a question naming the run it holds, and a user's own file is refused at once, before the export starts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from cnnstudio.engine.use.export import export
from cnnstudio.engine.use.export_held import held_model
from cnnstudio.ui.predict.export_dialog import ExportDialog
from tests.engine.test_export_held import NAMES, run_bundle


@pytest.fixture
def dialogs(qtbot, tmp_path):
    out = {}
    for key, run_id, seed in (("a", "run-a", 1), ("b", "run-b", 2)):
        bundle = run_bundle(tmp_path / "runs" / run_id / "model", run_id, seed)
        d = ExportDialog(bundle, "proj-model", run_name=NAMES[run_id], name_of=NAMES.get)
        qtbot.addWidget(d)
        d.show()
        out[key] = d
    yield out
    for d in out.values():
        d.done(0)


def _export(qtbot, dialog, fmt, target):
    with qtbot.waitSignal(dialog.exported, timeout=60_000) as blocker:
        assert dialog.start(fmt, str(target))
    assert blocker.args[0] is not None, dialog.message.text()


def test_another_runs_export_is_replaced_only_after_a_question_naming_its_run(qtbot, tmp_path, dialogs):
    a, b = dialogs["a"], dialogs["b"]
    target = tmp_path / "exported" / "model.zip"
    target.parent.mkdir()  # the Save dialog gives a file in a folder that exists
    export(a.bundle_path, "bundle", target)  # run a's export, as an earlier export left it
    _export(qtbot, a, "bundle", target)  # the same run again: replaced without a question
    assert a.question is None and held_model(target, "bundle")["run"] == "run-a"

    assert not b.start("bundle", str(target))  # another run: asked first, nothing started
    box = b.question
    assert box is not None and box.isVisible() and b.thread is None and not b.progress.isVisible()
    assert box.text() == ("model.zip already holds an export of the run “LeNet-5 · 4 epochs”. Replace it with the "
                          "model of the run “Small VGG · 10 epochs”?")
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert b.question is None and b.thread is None
    assert b.message.text() == "<span>Not exported: model.zip was left as it is.</span>"
    assert held_model(target, "bundle")["run"] == "run-a"

    assert not b.start("bundle", str(target))
    replace = b.question.button(QMessageBox.StandardButton.Yes)
    assert replace.text() == "Replace"
    with qtbot.waitSignal(b.exported, timeout=60_000) as blocker:
        qtbot.mouseClick(replace, Qt.MouseButton.LeftButton)
    assert blocker.args[0] is not None and "Saved" in b.message.text()
    assert held_model(target, "bundle")["run"] == "run-b"


def test_a_users_own_file_is_refused_before_the_export_starts(qtbot, tmp_path, dialogs):
    b = dialogs["b"]
    mine = tmp_path / "notes.pt"
    mine.write_text("my notes")
    assert not b.start("torchscript", str(mine))
    # said at once: no child process, no "Step 1 of 3", no question
    assert b.thread is None and b.question is None and not b.progress.isVisible()
    # a refusal, not a failure: what was there is named and kept, and what to do is said, in sentences
    assert b.message.text() == ("<span>Not exported: notes.pt is not a model CNN Studio exported, so it was left as "
                                "it is. Choose another name.</span>")
    assert "failed" not in b.message.text() and "✖" not in b.message.text()
    assert b.export_button.isEnabled() and b.close_button.text() == "Close"
    assert mine.read_text() == "my notes"


def test_a_folder_with_other_files_and_a_name_with_markup_are_refused_in_plain_words(qtbot, tmp_path, dialogs):
    b = dialogs["b"]
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "holiday.jpg").write_bytes(b"not a model")
    assert not b.start("bundle", str(folder))
    assert b.message.text() == ("<span>Not exported: photos is a folder with other files in it, so it was left as it "
                                "is. Choose a new or empty folder.</span>")
    odd = tmp_path / "a<b>&c.zip"
    odd.write_text("mine")
    assert not b.start("bundle", str(odd))
    assert b.message.text() == ("<span>Not exported: a&lt;b&gt;&amp;c.zip is not a model CNN Studio exported, so it "
                                "was left as it is. Choose another name.</span>")
    assert odd.read_text() == "mine" and (folder / "holiday.jpg").read_bytes() == b"not a model"
