"""Real QDragEnterEvent / QDropEvent with file URLs onto the window and the gallery (labelme's e2e idea)."""

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from tests.conftest import write_dataset, write_image


def _mime(paths) -> QMimeData:
    md = QMimeData()
    md.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return md


def drag_enter(widget, paths) -> bool:
    md = _mime(paths)
    event = QDragEnterEvent(QPoint(10, 10),  # the QPoint overload is the one PySide6 exposes
                            Qt.DropAction.CopyAction, md, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


def drop(widget, paths) -> bool:
    """Drag in, then drop, as a real drag does (Qt delivers a drop only after the enter was seen)."""
    drag_enter(widget, paths)
    md = _mime(paths)
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, md, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


def accept_next_dialog(check_box_labels: bool | None = None):
    """Answer the folder-options dialog the drop opens (it is modal)."""
    def answer():
        dialog = QApplication.activeModalWidget()
        if check_box_labels is not None:
            dialog.labels.setChecked(check_box_labels)
        dialog.accept()
    QTimer.singleShot(0, answer)


@pytest.fixture
def opened(window, tmp_path):
    assert window.create_project(tmp_path / "proj")
    window.importer.show_report = True
    return window


@pytest.mark.parametrize("target", ["window", "gallery"])
def test_dropping_images_imports_them(opened, qtbot, tmp_path, target):
    files = [write_image(tmp_path / f"img{i}.png", color=(i * 40, 10, 10)) for i in range(3)]
    widget = opened if target == "window" else opened.workspace.data.gallery.list.viewport()
    assert drag_enter(widget, files)
    with qtbot.waitSignal(opened.importer.finished, timeout=20_000) as blocker:
        assert drop(widget, files)
    report = blocker.args[0]
    assert len(report.imported) == 3
    assert opened.workspace.data.gallery.model.rowCount() == 3
    assert opened.session.project.count() == 3


def test_text_files_and_folders_of_non_images_are_refused(opened, qtbot, tmp_path):
    txt = tmp_path / "notes.txt"
    txt.write_text("hello")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("x")
    (docs / "b.pdf").write_bytes(b"%PDF-1.4")
    for target in (opened, opened.workspace.data.gallery.list.viewport()):
        assert not drag_enter(target, [txt])
        assert not drag_enter(target, [docs])
        assert not drop(target, [txt, docs])
        message = opened.statusBar().currentMessage()
        assert "notes.txt: not an image file" in message and "docs: the folder holds no images" in message
        assert not drag_enter(target, [tmp_path / "missing.png"])
        assert "missing.png: not found" in opened.statusBar().currentMessage()
    assert opened.session.project.count() == 0


def test_dropping_a_folder_asks_for_labels_and_reports_skipped_files(opened, qtbot, tmp_path):
    src = write_dataset(tmp_path / "pets", ("cat", "dog"), per_class=3)
    (src / "cat" / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really")
    accept_next_dialog(check_box_labels=True)
    with qtbot.waitSignal(opened.importer.finished, timeout=20_000) as blocker:
        assert drop(opened, [src])
    report = blocker.args[0]
    assert len(report.imported) == 6
    assert [Path(s["path"]).name for s in report.skipped] == ["broken.jpg"]
    assert {c.name for c in opened.session.project.classes()} == {"cat", "dog"}
    assert opened.workspace.data.classes.tree.topLevelItemCount() == 3  # cat, dog, (unlabelled)
    from cnnstudio.ui.data.import_flow import ImportReportDialog

    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, ImportReportDialog) and w.isVisible()]
    assert dialogs and dialogs[-1].table.rowCount() == 1
    assert "broken.jpg" in dialogs[-1].table.item(0, 0).text()
    dialogs[-1].close()


def test_mixed_drop_imports_images_and_lists_the_rest(opened, qtbot, tmp_path):
    img = write_image(tmp_path / "ok.png")
    txt = tmp_path / "readme.txt"
    txt.write_text("x")
    assert drag_enter(opened, [img, txt])
    with qtbot.waitSignal(opened.importer.finished, timeout=20_000) as blocker:
        drop(opened, [img, txt])
    assert len(blocker.args[0].imported) == 1


def test_a_refused_drop_is_shown_in_the_gallery_until_dismissed(opened, qtbot, tmp_path):
    gallery = opened.workspace.data.gallery
    banner = gallery.banner
    txt = tmp_path / "holiday notes.txt"
    txt.write_text("hello")
    assert not banner.isVisible()
    # the empty project: the drop area where the grid will be
    assert gallery.empty.isVisible()
    assert not drag_enter(gallery.empty, [txt])
    assert banner.isVisible()
    assert "holiday notes.txt — not an image file" in banner.text.text()
    assert "holiday notes.txt: not an image file" in opened.statusBar().currentMessage()  # said there too
    banner.close_button.click()
    assert not banner.isVisible()
    # the grid, once it has pictures
    files = [write_image(tmp_path / f"img{i}.png", color=(i * 40, 10, 10)) for i in range(2)]
    with qtbot.waitSignal(opened.importer.finished, timeout=20_000):
        assert drop(gallery.empty, files)
    assert gallery.list.isVisible() and not banner.isVisible()
    more = [tmp_path / f"n{i}.txt" for i in range(5)]
    for p in more:
        p.write_text("x")
    assert not drop(gallery.list.viewport(), more)
    assert banner.isVisible()
    lines = banner.text.text().splitlines()
    assert "n0.txt — not an image file" in lines and "… and 2 more files" in lines
    assert str(more[4]) in banner.toolTip()  # every file, with its folder, in the tooltip


@pytest.mark.skipif(not __import__("PIL.features").features.check("avif"), reason="this Pillow has no AVIF")
def test_a_dropped_avif_is_imported_as_it_is_from_a_dropped_folder(opened, qtbot, tmp_path):
    """The drop decides by the project's one list of picture names (imaging.IMAGE_EXTENSIONS): an .avif dropped
    alone, or a folder holding only AVIF pictures, is imported as the same file found in a folder is (QA 6)."""
    from PIL import Image

    alone = tmp_path / "IMG_0012.avif"
    Image.new("RGB", (20, 16), (30, 60, 220)).save(alone)
    only_avif = tmp_path / "phone"
    only_avif.mkdir()
    Image.new("RGB", (20, 16), (220, 60, 30)).save(only_avif / "IMG_0100.avif")
    for target in (opened, opened.workspace.data.gallery.empty):
        assert drag_enter(target, [alone]) and drag_enter(target, [only_avif])
    with qtbot.waitSignal(opened.importer.finished, timeout=20_000) as blocker:
        assert drop(opened, [alone])
    assert len(blocker.args[0].imported) == 1 and not blocker.args[0].skipped
    accept_next_dialog(check_box_labels=False)
    with qtbot.waitSignal(opened.importer.finished, timeout=20_000) as blocker:
        assert drop(opened, [only_avif])
    assert len(blocker.args[0].imported) == 1 and opened.session.project.count() == 2
