"""A new project's empty Data page offers the File menu's imports as buttons (reachable by Tab), besides the drop
area, and still fits a small screen; the dataset health names File > Import too."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from cnnstudio.project.health import dataset_warnings

SMALL_SCREEN = (1024, 614)


def test_the_empty_gallery_offers_import_buttons(window, qtbot, tmp_path, monkeypatch):
    from PIL import Image
    from PySide6.QtWidgets import QFileDialog

    asked = []  # the system's file dialogs stand in for the user's choice: a cancelled folder, two pictures
    pictures = [tmp_path / "pics" / f"{i}.png" for i in range(2)]
    pictures[0].parent.mkdir()
    for i, path in enumerate(pictures):
        Image.new("RGB", (12, 10), (40 * i, 90, 160)).save(path)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **kw: asked.append("folder") or "")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        lambda *a, **kw: asked.append("files") or ([str(p) for p in pictures], ""))
    assert window.create_project(tmp_path / "new")
    page = window.workspace.data
    empty = page.gallery.empty
    window.resize(*SMALL_SCREEN)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    assert QApplication.focusWidget() is empty.import_files  # a new project starts at its first import button
    assert empty.isVisible() and empty.text.text() == "Drop pictures or folders here"
    files, folder = empty.import_files, empty.import_folder
    assert (files.text(), folder.text()) == ("Import pictures… (Ctrl+I)", "Import a folder… (Ctrl+Shift+I)")
    assert files.isVisible() and folder.isVisible()
    with qtbot.waitSignal(page.import_folder_requested):
        folder.click()  # File > Import Folder… asks for a folder (cancelled here)
    assert asked == ["folder"]
    # by keyboard: Tab from the size slider goes to the buttons (the hidden grid is passed over)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    page.gallery.size_slider.setFocus()
    qtbot.keyClick(page.gallery.size_slider, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is files
    qtbot.keyClick(files, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is folder
    # the buttons take no room the small screen lacks
    hint = window.minimumSizeHint()
    assert hint.width() <= SMALL_SCREEN[0] and hint.height() <= SMALL_SCREEN[1], hint
    with qtbot.waitSignal(window.importer.finished, timeout=30_000):
        files.click()  # File > Import Images…: the two pictures come in
    assert asked == ["folder", "files"] and window.session.project.count() == 2


def test_empty_project_health_mentions_file_import(tmp_path):
    from cnnstudio.project import Project

    with Project.create(tmp_path / "p") as p:
        (warning,) = dataset_warnings(p)
    assert "drop pictures or folders onto the window" in warning.text and "File > Import Images… (Ctrl+I) or File > Import Folder… (Ctrl+Shift+I)" in warning.text
