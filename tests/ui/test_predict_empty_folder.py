""""Predict a folder…" on a folder with no pictures says so in one sentence right after the folder is chosen: no save
dialog, no CSV written, nothing predicted (the rule is the CLI's: engine/use/folder_pictures.py). A folder whose only
picture is in a sub-folder is predicted as before. Real trained project, real files, real Qt (the two file dialogs
and the message box answered by the test)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from tests.ui.test_prediction_view import _new_pictures, _trained


def _answer_dialogs(monkeypatch, folder, csv_path):
    asked: dict[str, list] = {"save": [], "said": []}
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: asked["save"].append(a) or (str(csv_path), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a: asked["said"].append(text))
    return asked


def test_an_empty_folder_is_said_before_the_save_dialog(window, qtbot, tmp_path, monkeypatch):
    page = _trained(window, qtbot, tmp_path)
    empty = tmp_path / "empty"
    (empty / "inside").mkdir(parents=True)  # a sub-folder, itself empty
    (empty / ".hidden.png").write_bytes(b"")  # hidden: passed over, as the importer passes it over
    csv_path = tmp_path / "g_empty.csv"
    asked = _answer_dialogs(monkeypatch, empty, csv_path)
    qtbot.mouseClick(page.folder_button, Qt.MouseButton.LeftButton)
    assert asked["said"] == ["“empty” has no pictures to predict (looked in its sub-folders too); 1 hidden file "
                             "(a name starting with a dot) was passed over."]
    assert asked["save"] == [] and not csv_path.exists()
    assert page.folder_panel.thread is None and page.folder_button.isEnabled()


def test_a_picture_in_a_sub_folder_is_predicted_as_before(window, qtbot, tmp_path, monkeypatch):
    page = _trained(window, qtbot, tmp_path)
    folder = tmp_path / "batch"
    _new_pictures(folder / "inside", 1)
    csv_path = tmp_path / "results.csv"
    asked = _answer_dialogs(monkeypatch, folder, csv_path)
    with qtbot.waitSignal(page.folder_panel.done, timeout=60_000) as done:
        qtbot.mouseClick(page.folder_button, Qt.MouseButton.LeftButton)
    assert asked["said"] == [] and len(asked["save"]) == 1
    assert len(done.args[0].predictions) == 1 and csv_path.is_file()
