"""File > Import Images… and Import Folder…, and pictures dropped onto the window: the paths chosen, then the import
(a folder asks first whether its names are classes: :class:`.import_flow.FolderOptionsDialog`). Without an open
project, a new one is offered first. The main window's menu items call these with itself; the chosen paths go to its
``import_paths``, which a drop calls too."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from ...project import IMAGE_EXTENSIONS
from ..settings import last_folder, remember_folder
from .import_flow import FolderOptionsDialog
from .writing_controls import ADD_PICTURES, refused


def choose_files(window) -> None:
    """File > Import Images…: the files chosen in the system's dialog."""
    patterns = " ".join(f"*{e}" for e in sorted(IMAGE_EXTENSIONS))
    files = QFileDialog.getOpenFileNames(window, "Import images", last_folder("import"),
                                         f"Images ({patterns});;All files (*)")[0]
    if files:
        remember_folder("import", Path(files[0]).parent)
        window.import_paths([Path(f) for f in files], [])


def choose_folder(window) -> None:
    """File > Import Folder…: the folder chosen in the system's dialog."""
    folder = QFileDialog.getExistingDirectory(window, "Import a folder of images", last_folder("import"))
    if folder:
        remember_folder("import", Path(folder).parent)
        window.import_paths([Path(folder)], [])


def import_paths(window, paths: list[Path], rejected: list[dict], ask: bool = True) -> bool:
    """Import dropped or chosen paths into ``window``'s project; folders ask whether their names are labels."""
    if window.session is None:
        if QMessageBox.question(window, "No project open",
                                "Images go into a project. Create a new project for them?") \
                != QMessageBox.StandardButton.Yes:
            return False
        window.new_project_dialog()
        if window.session is None:
            return False
    why = refused(window.session.project, ADD_PICTURES)
    if why:  # pictures dropped on a project open for viewing only: why nothing comes in (writing_controls)
        window.statusBar().showMessage(why, 8000)
        return False
    folders = [p for p in paths if p.is_dir()]
    labels, splits = False, True
    if folders and ask:
        dialog = FolderOptionsDialog(folders, window)
        if dialog.exec() != FolderOptionsDialog.DialogCode.Accepted:
            return False
        labels, splits = dialog.labels.isChecked(), dialog.splits.isChecked()
    if window.importer.busy:
        window.statusBar().showMessage("An import is already running: wait for it or cancel it.", 5000)
        return False
    return window.importer.start(paths, rejected, labels_from_folders=labels, keep_split_folders=splits)
