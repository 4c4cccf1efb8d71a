"""The Predict page's "Predict a folder…", a part of :class:`.predict_page.PredictPage` (as
:class:`.drop_list.PredictDrop` is): the folder and where its CSV goes are asked
(:func:`.folder_panel.ask_folder_and_csv`), the chosen model is awaited while it loads (the button is off meanwhile),
then the "Folder" tab (:class:`.folder_panel.FolderPanel`) predicts it in its thread. A model that cannot be loaded is
said on that tab, and the folder waits no more; nor does it once the page closes
(:meth:`FolderPredicting.forget_waiting`, which turns the button back on)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from .folder_panel import ask_folder_and_csv
from .model_choice import LOADING, NO_MODEL


class FolderPredicting:
    """Uses the page's ``folder_panel``, ``folder_button``, ``tabs``, ``loader``, ``session``, ``gradcam``, ``list``,
    ``batch_done`` and its ``_chosen_run``, ``_load_chosen``, ``load_predictor`` and ``_show_row``."""

    _folder_waiting: tuple[Path, Path | None] | None = None  # a folder to predict once the model is there
    _folder_csv: Path | None = None  # the CSV the folder being predicted goes into

    @property
    def folder_csv(self) -> Path | None:
        """While a folder is predicted (``folder_panel.busy``): the CSV it is written to (None: no file). Quitting
        says it will hold only the pictures predicted so far (ui/quit_words.folder_prediction)."""
        return self._folder_csv

    def _folder_dialog(self) -> None:
        chosen = ask_folder_and_csv(self, self.session.project)
        if chosen is not None:
            self.predict_folder(*chosen)

    def predict_folder(self, folder: Path, csv_path: Path | None) -> bool:
        """Predict every picture in ``folder`` into the "Folder" tab (and ``csv_path``), once the model is loaded;
        ``batch_done`` follows."""
        if self.folder_panel.busy or self._folder_waiting is not None:
            return False
        run_id = self._chosen_run()
        if run_id is None:
            QMessageBox.warning(self, "No model to predict with", NO_MODEL)
            return False
        self.tabs.setCurrentIndex(1)
        self.folder_button.setEnabled(False)
        if self.loader.ready(run_id) is None:
            self._folder_waiting = (folder, csv_path)
            self.folder_panel.status.setText(LOADING)
            self._load_chosen()
            return True
        return self._start_folder(folder, csv_path)

    def _folder_model_ready(self) -> None:
        """The chosen model is loaded: the folder that waited for it is predicted."""
        if self._folder_waiting is not None:
            (folder, csv_path), self._folder_waiting = self._folder_waiting, None
            self._start_folder(folder, csv_path)

    def _folder_model_failed(self, said: str) -> None:
        """The chosen model could not be loaded: a folder that waited for it waits no more, the tab says why."""
        if self._folder_waiting is not None:
            self._folder_waiting = None
            self.folder_button.setEnabled(True)
            self.folder_panel.status.setText(said)

    def forget_waiting(self) -> None:
        """A folder waiting for its model waits no more (the project closes): the button it turned off is on again
        and the tab no longer says the model is loading."""
        if self._folder_waiting is not None:
            self._folder_waiting = None
            self.folder_button.setEnabled(True)
            if self.folder_panel.status.text() == LOADING:
                self.folder_panel.status.setText("")

    def _start_folder(self, folder: Path, csv_path: Path | None) -> bool:
        from ...engine.errors import EngineError

        try:
            predictor = self.load_predictor(folder=True)  # the page's model, or its copy on a graphics card
        except (EngineError, RuntimeError, OSError) as e:
            self.folder_button.setEnabled(True)
            QMessageBox.warning(self, "No model to predict with", str(e))
            return False
        self._folder_csv = csv_path
        return self.folder_panel.start(predictor, folder, csv_path)

    def _batch_done(self, result) -> None:
        self.folder_button.setEnabled(True)
        self.batch_done.emit(result)
        if self.gradcam.isChecked():
            self._show_row(self.list.currentRow())
