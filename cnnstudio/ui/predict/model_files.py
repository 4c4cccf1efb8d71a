"""The Predict page's model files from elsewhere, a part of :class:`.predict_page.PredictPage` (as
:class:`.folder_predicting.FolderPredicting` is): the Model box's last row, "Open a model file…", asks for a CNN Studio
bundle (a .zip, or a bundle folder's manifest.json: :data:`.model_choice.MODEL_FILE_FILTER`); the file gets a row of
its own (:func:`.model_choice.file_row`), kept while the page lives, and is chosen; the loader reads it as ``cnnstudio
predict --model`` does (nothing in it ever runs). Cancelled, the row chosen before stays chosen. Export is for a
run's model only: a model file is one already."""

from __future__ import annotations

from pathlib import Path

from ..settings import choose_file
from .model_choice import MODEL_FILE_FILTER, OPEN_FILE, file_path, file_row

EXPORT_TIP = "Save the model as a file for other computers and programs."
IS_A_FILE_TIP = "This model is a file already: copy the file to use it elsewhere."


class ModelFiles:
    """Uses the page's ``model_combo``, ``export_button``, ``loader``, ``refresh_runs``, ``_chosen_run``,
    ``_model_changed``, ``_load_chosen`` and ``_model_ready``;
    keeps the files opened in ``_files`` and the row chosen before in ``_choice``."""

    _files: list[Path]
    _choice: object = None
    _before_file: object = None  # the row chosen before the file opened last

    def _model_chosen(self) -> None:
        """A row of the Model box was picked: its model predicts; the last row opens a model file first."""
        if self.model_combo.currentData() == OPEN_FILE:
            self.open_model_file()
            return
        self._choice = self.model_combo.currentData()
        self._can_export()
        self._model_changed()

    def open_model_file(self, path: str | Path | None = None) -> bool:
        """Predict with a model file from elsewhere (a CNN Studio bundle: .zip, or a bundle folder's manifest.json),
        asked for when ``path`` is None: a row of its own in the Model box, chosen. Cancelled: the row before stays
        chosen. Loading it is the loader's (its sentence when it cannot be read: it never runs code)."""
        path = path or choose_file(self, "Open a model file", "model", MODEL_FILE_FILTER)
        if not path:
            i = self.model_combo.findData(self._choice)
            self.model_combo.setCurrentIndex(i if i >= 0 else 0)
            return False
        path = Path(path).absolute()
        self._before_file = self._choice  # chosen again if this file cannot be loaded
        if path not in self._files:
            self._files.append(path)
        self.refresh_runs()
        self.model_combo.setCurrentIndex(self.model_combo.findData(file_row(path)[1]))
        self._choice = self.model_combo.currentData()
        self._can_export()
        self._model_changed()
        return True

    def _can_export(self) -> None:
        """Export is for a run's model; a model file is one already."""
        is_file = file_path(self._chosen_run()) is not None
        self.export_button.setEnabled(self._chosen_run() is not None and not is_file)
        self.export_button.setToolTip(IS_A_FILE_TIP if is_file else EXPORT_TIP)

    def _forget_file(self, key: str | None) -> bool:
        """A model file that could not be loaded leaves the Model box (its sentence says why), and the row chosen
        before it is chosen and loaded again. False for a run's model (its row stays: it may be trained again)."""
        chosen = file_path(key)
        if chosen is None or chosen not in self._files:
            return False
        self._files.remove(chosen)
        self.refresh_runs()
        i = self.model_combo.findData(self._before_file)
        self.model_combo.setCurrentIndex(i if i >= 0 else 0)
        self._choice = self.model_combo.currentData()
        self._can_export()
        self._load_chosen()
        key = self._chosen_run()
        if key is not None and self.loader.ready(key) is not None:
            self._model_ready(key)  # loaded already: what waited is predicted now, the failure is no longer news
        return True
