"""The Predict page opens a model file from elsewhere (a bundle exported by CNN Studio, here or on another computer:
the export dialog promises it): "Open a model file…" in the Model box and on the empty page of a project without a
trained model; the file gets a row of its own, predicts as a run's model does (no Export: it is a file already), and
a file that is no model (a stranger's pickle) is one sentence, nothing run. Real projects, a real trained run, a real
exported zip."""

from __future__ import annotations

import pickle

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from cnnstudio.engine.use.export import export_bundle
from cnnstudio.project import Project
from cnnstudio.project.run_records import MODEL_DIR, run_dir
from cnnstudio.ui.predict.model_choice import OPEN_FILE, OPEN_FILE_TEXT, file_key, file_path, file_row
from tests.ui.test_prediction_view import _new_pictures
from tests.ui.test_training_view import open_trained


class _Evil:
    def __reduce__(self):
        import os

        return (os.system, ("touch pwned",))


def test_the_rows_words():
    key = file_key("/home/ann/Downloads/digits.zip")
    assert file_path(key).name == "digits.zip" and file_path("20261203-1") is None and file_path(None) is None
    assert file_row("/home/ann/Downloads/digits.zip") == ("File: digits.zip (in Downloads)", key)
    assert file_row("/home/ann/exported/manifest.json")[0] == "File: exported (in ann)"  # a bundle folder


def test_a_model_file_predicts_in_a_project_without_a_model(window, qtbot, tmp_path, monkeypatch):
    run_id = open_trained(window, qtbot, tmp_path)
    exported = tmp_path / "shared" / "digits.zip"
    exported.parent.mkdir()
    export_bundle(run_dir(window.session.project, run_id) / MODEL_DIR, exported)
    fresh = Project.create(tmp_path / "fresh")
    fresh.close()
    assert window.open_project(tmp_path / "fresh")
    window.workspace.show_step(5)
    page = window.workspace.predict_page
    assert page.body.currentIndex() == 0  # no model here: the empty page offers the file
    assert page.model_combo.currentText() == "No model yet" and not page.export_button.isEnabled()
    assert OPEN_FILE_TEXT in [b.text() for b in page.body.widget(0).findChildren(type(page.export_button))]

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **kw: ("", ""))
    assert not page.open_model_file()  # cancelled: nothing changes
    assert page.body.currentIndex() == 0

    with qtbot.waitSignal(page.loader.loaded, timeout=30_000):
        assert page.open_model_file(exported)
    assert page.body.currentIndex() == 1 and page.model_combo.currentText() == "File: digits.zip (in shared)"
    assert page.model_combo.itemData(page.model_combo.count() - 1) == OPEN_FILE
    assert not page.export_button.isEnabled() and page.open_button.isEnabled()
    predicted = []
    page.predicted.connect(predicted.append)
    assert page.predict_paths(_new_pictures(tmp_path / "new", 2))
    qtbot.waitUntil(lambda: len(predicted) == 1, timeout=30_000)
    assert page.list.count() == 2 and all(p.label for p in predicted[0])

    evil = tmp_path / "shared" / "model.zip"  # a stranger's pickle named like a model
    evil.write_bytes(pickle.dumps(_Evil()))
    with qtbot.waitSignal(page.loader.failed, timeout=30_000) as failed:
        assert page.open_model_file(evil)
    said = failed.args[1]
    assert said.startswith("The model could not be loaded: ") and "\n" not in said
    assert not (tmp_path / "pwned").exists() and not (window.session.project.root / "pwned").exists()
    # the file that failed leaves the box (its sentence said why), the good one is chosen again and loads
    assert page.model_combo.findData(file_key(evil)) < 0
    assert page.model_combo.currentData() == file_key(exported)
    qtbot.waitUntil(lambda: page.loader.ready(file_key(exported)) is not None, timeout=30_000)
    assert window.statusBar().currentMessage() != said  # the failure of before is no longer news


def test_runs_renamed_or_deleted_elsewhere_are_the_predict_and_evaluate_boxes_rows_again(window, qtbot, tmp_path):
    """QA ("two at once" 6): a run deleted from the command line stayed listed. The window's look for changes made
    elsewhere (ui/elsewhere_watch.py) reaches the built pages' read_again."""
    from cnnstudio.project.run_records import delete_run, rename_run

    run_id = open_trained(window, qtbot, tmp_path)
    window.workspace.show_step(4)
    window.workspace.show_step(5)
    predict, evaluate = window.workspace.predict_page, window.workspace.evaluate_page
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    other = Project.open(window.session.project.root)  # the command line's connection
    try:
        with qtbot.waitSignal(window.changed_elsewhere, timeout=10_000):
            rename_run(other, run_id, "from the command line")
        assert predict.model_combo.findText("from the command line", flags=Qt.MatchFlag.MatchStartsWith) >= 0
        assert evaluate.run_combo.findText("from the command line", flags=Qt.MatchFlag.MatchStartsWith) >= 0
        with qtbot.waitSignal(window.changed_elsewhere, timeout=10_000):
            delete_run(other, run_id)
        assert predict.body.currentIndex() == 0 and evaluate.run_combo.count() == 0
    finally:
        other.close()


def test_a_model_file_that_changed_is_said_as_a_file():
    from cnnstudio.ui.predict.model_choice import file_changed_words

    assert file_changed_words(file_path(file_key("/home/ann/Downloads/digits.zip"))) == (
        "The model file “digits.zip” changed since it was loaded: predicted again with it as it is now.")
