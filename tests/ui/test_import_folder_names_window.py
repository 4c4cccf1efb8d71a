"""The import window with class folders whose names cannot be class names: the folder is listed with the skipped,
the rest comes in, folders that are one class are said; an import that stops says how many pictures it kept, from
the project (it said "Pictures imported before this stay in the project" when there were none)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMessageBox

from cnnstudio.project import importer
from cnnstudio.project.errors import ProjectError
from tests.conftest import write_image
from tests.ui.conftest import open_data_page


def _pictures(folder, n, start):
    return [write_image(folder / f"{i}.png", color=((start + i) % 256, 77, (start * 3 + i) % 256)) for i in range(n)]


def _import(window, qtbot, paths, **options):
    with qtbot.waitSignal(window.importer.finished, timeout=20_000) as blocker:
        assert window.importer.start(paths, [], **options)
    return blocker.args[0]


def test_a_bad_class_folder_is_listed_with_the_skipped_and_the_rest_comes_in(window, qtbot, tmp_path):
    open_data_page(window, tmp_path, ("cat", "dog"), per_class=1)
    window.importer.show_report = True
    pics = tmp_path / "pics"
    _pictures(pics / ("x" * 200), 2, 10)
    _pictures(pics / "Bird", 2, 20)
    _pictures(pics / "bird", 1, 30)
    report = _import(window, qtbot, [pics], labels_from_folders=True)
    dialog = window.importer.report_dialog
    assert len(report.imported) == 3
    table = dialog.table
    reasons = [table.item(r, 1).text() for r in range(table.rowCount())]
    assert any(r.startswith("the folder name “xxxx") and "at most 100 characters" in r for r in reasons), reasons
    summary = dialog.findChild(QLabel, "summary").text()
    assert "<b>2</b> skipped" in summary
    assert "Folders “Bird” and “bird” were taken as one class “Bird”" in summary
    dialog.close()


def _said(monkeypatch):
    said = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: said.append(text))
    return said


def test_an_import_that_stops_before_a_picture_says_none_stayed(window, qtbot, tmp_path, monkeypatch):
    open_data_page(window, tmp_path, ("cat",), per_class=1)
    said = _said(monkeypatch)
    _pictures(tmp_path / "more", 2, 40)
    assert _import(window, qtbot, [tmp_path / "more"], class_name="y" * 101) is None
    assert said == ["The import stopped: a class name can be at most 100 characters.\n\nNo picture was imported: "
                    "the project was not changed."]


def test_an_import_that_stops_part_way_says_how_many_pictures_stayed(window, qtbot, tmp_path, monkeypatch):
    open_data_page(window, tmp_path, ("cat",), per_class=1)
    before = window.session.project.count()
    said = _said(monkeypatch)
    monkeypatch.setattr(importer, "CHUNK_FILES", 3)  # three pictures a chunk, the second chunk fails
    monkeypatch.setattr(importer, "CHUNK_SECONDS", 60)
    real, calls = importer._insert_rows, []

    def second_fails(*args, **kwargs):  # a failure the import does not expect, after the first chunk is in
        calls.append(1)
        if len(calls) == 2:
            raise ProjectError("something went wrong")
        return real(*args, **kwargs)

    monkeypatch.setattr(importer, "_insert_rows", second_fails)
    _pictures(tmp_path / "more", 7, 50)
    assert _import(window, qtbot, [tmp_path / "more"]) is None
    assert window.session.project.count() == before + 3
    assert said == ["The import stopped: something went wrong.\n\nThe 3 pictures imported before this stay in the "
                    "project."]
