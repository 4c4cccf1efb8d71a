"""Importing again a folder whose pictures were in the project's trash (QA: "0 pictures imported, 8 duplicates" while
the count went 81 -> 85): the report says how many came back from the trash and counts only true duplicates, its
"Undo this import" takes the whole change back, and an import undone leaves no "The last import found …" note."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from cnnstudio.project import ImageFilter
from tests.conftest import write_image
from tests.ui.conftest import open_data_page

NOTE = "The last import found"


@pytest.fixture
def data(window, tmp_path):
    open_data_page(window, tmp_path, ("cat", "dog"), per_class=4)  # 4 pictures without a class, from src/x/
    window.importer.show_report = True
    return window


def _import(window, qtbot, paths):
    with qtbot.waitSignal(window.importer.finished, timeout=20_000) as blocker:
        assert window.importer.start(paths, [])
    return blocker.args[0], window.importer.report_dialog


def test_pictures_back_from_the_trash_are_said_and_the_report_undoes_them(data, qtbot, tmp_path):
    p, session = data.session.project, data.session
    back = [write_image(tmp_path / "src" / "x" / f"new{i}.png", color=(250, 40 * i, 7)) for i in range(2)]
    report, dialog = _import(data, qtbot, back)
    dialog.close()
    session.delete_images(report.imported)  # the two new pictures go to the trash
    assert p.count() == 4
    report, dialog = _import(data, qtbot, [tmp_path / "src"])  # all six again: two come back from the trash
    summary = dialog.findChild(QLabel, "summary").text()
    assert ("Imported <b>0</b> pictures, <b>2</b> pictures brought back from the trash, <b>4</b> duplicates "
            "(already there, not stored twice), <b>0</b> skipped") in summary
    assert p.count() == 6
    assert dialog.actions["trash"].text() == "Undo this import (move its 2 pictures to the trash)"
    dialog.actions["trash"].click()  # the import's own step undone
    assert p.count() == 4 and p.count(ImageFilter(trashed=True)) == 2
    assert "Import 2 pictures" in data.redo_action.text()
    data.redo_action.trigger()
    assert p.count() == 6


def test_an_undone_import_is_no_longer_the_last_import_of_the_health_note(data, qtbot, tmp_path):
    health = data.workspace.data.splits.health
    new = write_image(tmp_path / "more" / "new.png", color=(3, 200, 90))
    report, dialog = _import(data, qtbot, [tmp_path / "src", tmp_path / "more"])  # 4 duplicates, 1 new
    dialog.close()
    assert len(report.imported) == 1 and f"{NOTE} 4 duplicate files" in health.text()
    data.undo_action.trigger()
    assert NOTE not in health.text()
    data.redo_action.trigger()
    assert f"{NOTE} 4 duplicate files" in health.text()
    assert new.is_file()


def test_the_health_note_counts_no_picture_back_from_the_trash_as_a_duplicate(data, qtbot, tmp_path):
    p, session = data.session.project, data.session
    session.delete_images(p.ids()[:1])
    _report, dialog = _import(data, qtbot, [tmp_path / "src"])  # 1 back from the trash, 3 already there
    dialog.close()
    assert f"{NOTE} 3 duplicate files" in data.workspace.data.splits.health.text()


def test_undoing_the_last_import_brings_back_the_note_of_the_import_before(data, qtbot, tmp_path):
    health = data.workspace.data.splits.health
    _report, dialog = _import(data, qtbot, [tmp_path / "src"])  # A: 4 duplicates
    dialog.close()
    assert f"{NOTE} 4 duplicate files" in health.text()
    write_image(tmp_path / "more" / "new.png", color=(3, 200, 90))
    again = sorted((tmp_path / "src" / "x").iterdir())[0]
    _report, dialog = _import(data, qtbot, [again, tmp_path / "more"])  # B: 1 new, 1 duplicate
    dialog.close()
    assert f"{NOTE} 1 duplicate file" in health.text()
    data.undo_action.trigger()  # B undone: A is the last import again
    assert f"{NOTE} 4 duplicate files" in health.text()
    data.redo_action.trigger()
    assert f"{NOTE} 1 duplicate file" in health.text()
