"""The import report names each file by its name (its folder in the tooltip): 200 duplicates from one long folder
do not all read as the same cut-off path."""

from __future__ import annotations

from cnnstudio.project import Project, import_paths
from cnnstudio.ui.data.import_flow import ImportReportDialog
from tests.conftest import write_image


def test_duplicates_are_listed_by_file_name_with_the_folder_in_a_tooltip(qtbot, tmp_path):
    deep = tmp_path / "a rather long folder name for holiday pictures" / "2024 summer trip to the seaside" / "camera"
    files = [write_image(deep / f"IMG_{i:04d}.png", color=(i, 80, 80)) for i in range(3)]
    with Project.create(tmp_path / "p") as p:
        import_paths(p, files)
        report = import_paths(p, files)  # the same files again: all duplicates
    assert len(report.duplicates) == 3
    dialog = ImportReportDialog(report, [{"path": str(tmp_path / "notes.txt"), "reason": "not an image file"}])
    qtbot.addWidget(dialog)
    table = dialog.table
    names = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert names == ["notes.txt", "IMG_0000.png", "IMG_0001.png", "IMG_0002.png"]
    tip = table.item(1, 0).toolTip()
    assert "IMG_0000.png" in tip and str(deep) in tip
    assert str(tmp_path) in table.item(0, 0).toolTip()


def test_the_summary_counts_in_words_and_a_clean_import_is_a_small_dialog(qtbot, tmp_path):
    from PySide6.QtWidgets import QLabel

    one = write_image(tmp_path / "one.png")
    with Project.create(tmp_path / "p") as p:
        clean = import_paths(p, [one, write_image(tmp_path / "two.png", color=(9, 9, 9))])
        again = import_paths(p, [one])
    dialog = ImportReportDialog(again, [])
    qtbot.addWidget(dialog)
    summary = dialog.findChild(QLabel, "summary").text()
    assert "<b>0</b> images imported" in summary and "<b>1</b> duplicate (already" in summary
    dialog = ImportReportDialog(clean, [])
    qtbot.addWidget(dialog)
    assert "<b>2</b> images imported" in dialog.findChild(QLabel, "summary").text()
    assert dialog.table.isHidden() and dialog.width() < 700  # no empty table, no 760 px for one line
