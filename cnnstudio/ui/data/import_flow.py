"""Importing from the GUI: what a drop accepts, the options for folders, the progress dialog with
cancel (the import runs in a TaskThread), the import's step on the Data page's undo stack (one per import that
changed something, even cancelled part-way: :class:`~cnnstudio.ui.import_command.ImportCommand`), and the report
afterwards (:mod:`.import_report`)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from ...project import ImportReport, import_paths
from ...project.import_words import kept_words
from ...project.importer import LAST_IMPORT_DUPLICATES
from ...project.import_walk import class_folders, has_split_folders, quick_scan
from ..import_command import ImportCommand
from ..sentence import sentence
from ..session import ProjectSession
from ..workers import DialogTask
from .import_report import ImportReportDialog


def sort_drop(urls: list[QUrl]) -> tuple[list[Path], list[dict]]:
    """Split dropped URLs into paths worth importing and rejected ones (with a reason each)."""
    accepted, rejected = [], []
    for url in urls:
        if not url.isLocalFile():
            rejected.append({"path": url.toString(), "reason": "not a local file (download it first)"})
            continue
        path = Path(url.toLocalFile())
        reason = quick_scan(path)
        if reason is None:
            accepted.append(path)
        else:
            rejected.append({"path": str(path), "reason": reason})
    return accepted, rejected


class FolderOptionsDialog(QDialog):
    """Asked when folders are imported: take labels from folder names? keep train/val/test folders?"""

    def __init__(self, folders: list[Path], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Import folders")
        has_sub = bool(class_folders(folders))  # folders holding pictures (inside train/ val/ test/ too)
        self.labels = QCheckBox("Use folder names as class labels (pets/cat/1.jpg → class “cat”)")
        self.labels.setChecked(has_sub)
        self.splits = QCheckBox("Keep the split of train/, val/ and test/ folders")
        self.splits.setChecked(has_split_folders(folders))  # asked only where there are such folders
        self.splits.setVisible(self.splits.isChecked())
        names = ", ".join(f.name for f in folders[:3]) + (" …" if len(folders) > 3 else "")
        lay = QVBoxLayout(self)
        inside = "them" if len(folders) > 1 else "it"
        lay.addWidget(QLabel(f"Import {names} (also the pictures in folders inside {inside})"))
        lay.addWidget(self.labels)
        lay.addWidget(self.splits)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)


class ImportController(DialogTask):
    """Runs one import at a time in a thread, with a progress dialog and Cancel."""

    finished = Signal(object)  # ImportReport
    report_opened = Signal(object, object)  # the ImportReportDialog shown, its ImportReport: the Data page's offers

    def __init__(self, session: ProjectSession, parent_widget: QWidget):
        super().__init__(parent_widget)
        self.session = session
        self.show_report = True
        self.report_dialog: ImportReportDialog | None = None  # the last import's report
        self.last_report: ImportReport | None = None
        # what the progress dialog says, and whether the import is "the last import" the Data page's health
        # note counts the duplicates of (Predict's one-picture add is not: see ui/predict/add_picture.py)
        self.words = ("Importing", "Looking for pictures…")
        self.remembered = True

    def start(self, paths: list[Path], rejected: list[dict] | None = None, labels_from_folders=False,
              keep_split_folders=True, class_name: str | None = None, split: str | None = None) -> bool:
        """Import ``paths`` in a thread (``import_paths``'s options; ``split``: the split of pictures whose folder
        names none, see :func:`~cnnstudio.project.splits.split_for_added`)."""
        if self.busy:
            return False
        self._rejected = list(rejected or [])
        self._roots = list(paths)  # the report names each file from these
        self._note_before = self.session.project.meta(LAST_IMPORT_DUPLICATES) or ""  # its undo puts it back
        self._count_before = self.session.project.count()  # what an import that stops is said to have kept
        title, label = self.words
        return self._start_task(import_paths, self.session.project, paths, title=title, label=label,
                                on_done=self._on_done, on_errored=self._on_errored,
                                labels_from_folders=labels_from_folders, keep_split_folders=keep_split_folders,
                                class_name=class_name, remembered=self.remembered, split=split)

    def _on_progress(self, done: int, total: int, message: str) -> None:
        super()._on_progress(done, max(total, 1), f"Importing {done:,} of {total:,}\n{message}")

    def _on_done(self, report: ImportReport) -> None:
        self.last_report = report
        undoable = bool(report.changed)
        if undoable:  # one undo step for the whole import (its first redo does nothing: the import ran)
            self.session.guard.push(self.session.undo_stack, ImportCommand(self.session, report, self._note_before))
        self.session.images_changed.emit()
        self.session.classes_changed.emit()
        if self.dialog is not None:
            self.dialog.close()
        if self.show_report:
            self.report_dialog = ImportReportDialog(report, self._rejected, self.parent_widget, roots=self._roots,
                                                    undoable=undoable)
            self.report_opened.emit(self.report_dialog, report)
            self.report_dialog.open()
        self.finished.emit(report)  # not busy any more (DialogTask._deliver): the next import may start

    def _on_errored(self, message: str, tb: str) -> None:
        if self.dialog is not None:
            self.dialog.close()
        from PySide6.QtWidgets import QMessageBox

        said_kept = " kept" in message or "not changed" in message  # a DiskError says what was kept itself
        gone = self.session.project.gone_error() is not None  # the project folder went: nothing is said kept
        n = None if said_kept or gone else self._kept()
        kept = "" if n is None else "\n\n" + kept_words(n)
        QMessageBox.critical(self.parent_widget, "Import failed", sentence(f"The import stopped: {message}") + kept)
        self.session.images_changed.emit()
        self.finished.emit(None)

    def shutdown(self) -> None:
        """The project closes (the window asked first: ui/quit_question.py): the import stops, the pictures it
        brought in so far stay, and its progress window goes with it."""
        super().shutdown()
        self._close_dialog()

    def _kept(self) -> int | None:
        """How many pictures the project has more than before the import: what the import that stopped kept; None:
        the project cannot be read now (nothing is said of what it kept)."""
        try:
            return max(0, self.session.project.count() - self._count_before)
        except Exception:
            return None

