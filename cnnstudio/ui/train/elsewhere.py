"""Train elsewhere (issue 8) from the GUI: pack the current design and settings into a job for another
machine, and bring a run trained there back home. Both run in a TaskThread with a progress dialog;
the work itself is ``engine.jobs.pack_job`` / ``import_run`` (the same code as ``cnnstudio pack`` /
``cnnstudio import-run``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ..settings import choose_file, last_folder, remember_folder
from ..workers import DialogTask


def _pack(project, out, settings, spec, progress=None, cancel=None):
    from ...engine.runs.jobs import pack_job

    return pack_job(project, out, settings=settings, spec=spec, progress=progress)


def _import(project, path, progress=None, cancel=None):
    from ...engine.runs.jobs import import_run

    if progress:
        progress(0, 0, "Checking the run against this project's data…")
    return import_run(project, path)


class TrainElsewhere(DialogTask):
    packed = Signal(object)  # Path of the job
    imported = Signal(str)  # run id
    failed = Signal(str)

    def __init__(self, workspace, parent: QWidget):
        super().__init__(parent)
        self.workspace = workspace

    # ------------------------------------------------------------------ actions with dialogs
    def pack_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.parent_widget, "Pack a training job for another machine",
                                              str(Path(last_folder("job")) / "training-job.zip"), "Job (*.zip)")
        if path:
            remember_folder("job", Path(path).parent)
            self.pack(Path(path) if path.endswith(".zip") else Path(path + ".zip"))

    def import_dialog(self) -> None:
        path = choose_file(self.parent_widget, "Import a run trained on another machine", "job",
                           "Run or job (*.zip);;All files (*)")
        if path:
            self.import_run(Path(path))

    # ------------------------------------------------------------------ the work
    def pack(self, out: Path) -> bool:
        model = self.workspace.model_page
        train = self.workspace.train_page
        if not model.is_valid():
            self._fail(f"The design cannot be trained yet: {model.reason()}")
            return False
        try:
            settings, spec = train.settings(), model.spec()
        except Exception as e:  # a settings error has a plain message
            self._fail(str(e))
            return False
        return self._start("Packing the job", _pack, self.workspace.session.project, out, settings, spec,
                           done=self._packed)

    def import_run(self, path: Path) -> bool:
        return self._start("Importing the run", _import, self.workspace.session.project, path, done=self._imported)

    def _start(self, title, fn, *args, done) -> bool:
        # packing and importing are short and all-or-nothing: no Cancel
        return self._start_task(fn, *args, title=title, label=title + "…", on_done=done,
                                on_errored=lambda message, tb: self._fail(message), cancellable=False)

    def _packed(self, path) -> None:
        self._close_dialog()
        QMessageBox.information(self.parent_widget, "Job packed",
                                f"The job is in {path}.\n\nCopy it to the other machine and run there:\n"
                                f"    cnnstudio train {Path(path).name}\n(or, with several GPUs: cnnstudio train "
                                f"{Path(path).name} --nproc 4)\n\nThen bring the result back with "
                                "Train ▸ Import Run Trained Elsewhere.")
        self.packed.emit(path)

    def _imported(self, run_id: str) -> None:
        self._close_dialog()
        self.workspace.train_page.runs.refresh()
        self.workspace.train_page.runs_changed.emit()
        QMessageBox.information(self.parent_widget, "Run imported",
                                f"Run {run_id} is now in this project: see it on the Train, Evaluate and Predict steps.")
        self.imported.emit(run_id)

    def _fail(self, message: str) -> None:
        self._close_dialog()
        QMessageBox.warning(self.parent_widget, "Train elsewhere", message)
        self.failed.emit(message)
