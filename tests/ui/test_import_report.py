"""The import report names each file by its path from the folder imported (elided in the middle; the whole path in
its tooltip), its name when no folder is known: 200 duplicates from one long folder do not all read as the same
cut-off path, and three IMG_0021.jpg from three folders read apart."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

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
    assert "Imported <b>0</b> pictures" in summary and "<b>1</b> duplicate (already" in summary
    dialog = ImportReportDialog(clean, [])
    qtbot.addWidget(dialog)
    assert "Imported <b>2</b> pictures" in dialog.findChild(QLabel, "summary").text()
    assert dialog.table.isHidden() and dialog.width() < 700  # no empty table, no 760 px for one line


def _same_picture_in_three_folders(tmp_path):
    """photos/{apples/2023, apples, leaves, sky}/IMG_0021.jpg: one picture, four files; two folders say another class."""
    photos = tmp_path / "photos"
    for folder in ("apples/2023", "apples", "leaves", "sky"):
        write_image(photos / folder / "IMG_0021.jpg", color=(120, 60, 30), fmt="JPEG")
    write_image(photos / "sky" / "IMG_0022.jpg", color=(20, 60, 230), fmt="JPEG")
    return photos


def test_same_named_files_read_apart_and_label_conflicts_come_first(qtbot, tmp_path):
    """QA finding 4: three rows "IMG_0021.jpg | same content as another file" could not be told apart. Each row
    names the file from the folder imported, its reason whole; the two the importer kept under another class come
    first, in red, and the summary says so."""
    from PySide6.QtGui import QColor

    photos = _same_picture_in_three_folders(tmp_path)
    with Project.create(tmp_path / "p") as p:
        report = import_paths(p, [photos], labels_from_folders=True)
    assert len(report.imported) == 2 and len(report.duplicates) == 3
    dialog = ImportReportDialog(report, [], roots=[photos])
    qtbot.addWidget(dialog)
    dialog.show()
    table = dialog.table
    files = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert files == ["photos/leaves/IMG_0021.jpg", "photos/sky/IMG_0021.jpg", "photos/apples/IMG_0021.jpg"]
    reasons = [table.item(r, 1).text() for r in range(table.rowCount())]
    assert all(r.startswith("same picture as photos/apples/2023/IMG_0021.jpg") for r in reasons)
    assert "“leaves”" in reasons[0] and "“sky”" in reasons[1] and "“leaves”" not in reasons[2]
    red = QColor("#c0392b")
    assert [table.item(r, 0).foreground().color() == red for r in range(3)] == [True, True, False]
    summary = dialog.findChild(QLabel, "summary").text()
    assert "2 pictures were in two folders that give them a different class or split" in summary
    assert table.item(0, 0).toolTip() == str(photos / "leaves" / "IMG_0021.jpg")
    # every reason is whole: its row is as tall as the wrapped words need at the column's width
    fm = table.fontMetrics()
    width = table.columnWidth(1) - 8
    for r in range(table.rowCount()):
        needed = fm.boundingRect(0, 0, width, 10_000, Qt.TextFlag.TextWordWrap, reasons[r]).height()
        assert table.rowHeight(r) >= needed, (r, table.rowHeight(r), needed)
    # and the dialog fits a 1,024 x 614 screen (tests/ui/test_window_fits_small_screen.py)
    assert dialog.width() <= 1024 and dialog.height() <= 614
    hint = dialog.minimumSizeHint()
    assert hint.width() <= 1024 and hint.height() <= 614
    # Tab leaves the table for Close (QA keyboard finding 1: tables trapped Tab)
    assert not table.tabKeyNavigation() and table.accessibleName() == "Files not imported"


def test_a_file_dropped_itself_is_named_by_its_name(qtbot, tmp_path):
    from cnnstudio.ui.data.report_rows import shown_path

    photos = tmp_path / "photos"
    assert shown_path(str(photos / "a" / "b.jpg"), [photos]) == "photos/a/b.jpg"
    assert shown_path(str(tmp_path / "one.jpg"), [tmp_path / "one.jpg"]) == "one.jpg"
    assert shown_path(str(tmp_path / "elsewhere" / "x.txt"), [photos]) == "x.txt"
    assert shown_path("https://example.com/cat.jpg") == "cat.jpg"


def test_what_was_imported_with_a_note_or_passed_over_is_said(qtbot, tmp_path):
    """Nothing is lost without a word: a 2-page TIFF's second page, a hidden picture passed over."""
    from PIL import Image

    scans = tmp_path / "scans"
    scans.mkdir()
    Image.new("RGB", (20, 20), (1, 2, 3)).save(scans / "scan.tif", save_all=True,
                                               append_images=[Image.new("RGB", (20, 20), (200, 2, 3))])
    write_image(scans / ".hidden.png")
    with Project.create(tmp_path / "p") as p:
        report = import_paths(p, [scans])
    dialog = ImportReportDialog(report, [], roots=[scans])
    qtbot.addWidget(dialog)
    summary = dialog.findChild(QLabel, "summary").text()
    assert "scans/scan.tif: a 2-page TIFF: only the first page was imported" in summary
    assert "1 hidden file (.hidden.png) passed over" in summary


def test_pictures_given_their_folders_class_on_a_second_import_are_said(qtbot, tmp_path):
    files = [write_image(tmp_path / "pics" / cls / f"{i}.png", color=(i, 40 * k, 9))
             for k, cls in enumerate(("cat", "dog")) for i in range(2)]
    with Project.create(tmp_path / "p") as p:
        import_paths(p, [tmp_path / "pics"])  # no classes the first time
        report = import_paths(p, [tmp_path / "pics"], labels_from_folders=True)
    dialog = ImportReportDialog(report, [])
    qtbot.addWidget(dialog)
    said = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "4 pictures already in the project got their class from their folder" in said


def test_pictures_back_from_the_trash_came_in_and_are_no_rows_of_files_not_imported(qtbot, tmp_path):
    """QA busy m27: 839 pictures back from the trash were listed under "Why it was not imported" as "was in the
    project's trash: restored". They came in: the summary counts them, the table lists only what did not come in."""
    files = [write_image(tmp_path / "src" / f"p{i}.png", color=(40 * i, 90, 9)) for i in range(4)]
    with Project.create(tmp_path / "p") as p:
        import_paths(p, files)
        p.delete_images(p.ids()[:3])
        report = import_paths(p, [tmp_path / "src"])  # 3 back from the trash, 1 already there
    dialog = ImportReportDialog(report, [], roots=[tmp_path / "src"])
    qtbot.addWidget(dialog)
    summary = dialog.findChild(QLabel, "summary").text()
    assert "<b>3</b> pictures brought back from the trash, <b>1</b> duplicate" in summary
    table = dialog.table
    reasons = [table.item(r, 1).text() for r in range(table.rowCount())]
    assert reasons == ["already in the project"]
    with Project.open(tmp_path / "p") as p:
        p.delete_images(p.ids())
        report = import_paths(p, [tmp_path / "src"])  # all four back: nothing left out, no table
    dialog = ImportReportDialog(report, [], roots=[tmp_path / "src"])
    qtbot.addWidget(dialog)
    assert "<b>4</b> pictures brought back from the trash" in dialog.findChild(QLabel, "summary").text()
    assert dialog.table.rowCount() == 0 and dialog.table.isHidden()
