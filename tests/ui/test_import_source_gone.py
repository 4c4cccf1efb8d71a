"""The import report of a source folder deleted mid-import: one row for the folder, not one per file."""

from __future__ import annotations

import shutil

from PySide6.QtWidgets import QLabel

from cnnstudio.project import Project, import_paths
from cnnstudio.ui.data.import_flow import ImportReportDialog
from tests.disk_helpers import write_noise_images


def test_the_report_has_one_row_for_a_folder_that_disappeared(qtbot, tmp_path):
    src = write_noise_images(tmp_path / "holiday", 20, 8)

    def progress(done, total, _message):
        if done == 10 and src.exists():
            shutil.rmtree(src)

    with Project.create(tmp_path / "P") as p:
        report = import_paths(p, [src], labels_from_folders=True, progress=progress, workers=1)
    dialog = ImportReportDialog(report, [], roots=[src])
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 0).text() == "holiday"
    n = len(report.imported)
    assert dialog.table.item(0, 1).text().startswith(f"this folder disappeared during the import: {n} pictures were "
                                                     f"imported, the other {40 - n} files were not found")
    assert "<b>" + str(40 - n) + "</b> skipped" in dialog.findChild(QLabel, "summary").text()  # files, not rows
