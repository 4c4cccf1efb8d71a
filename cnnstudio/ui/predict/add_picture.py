"""Predict > "Add to dataset" (and the Camera tab's "Add this frame"): the Data page's import, for one picture.

The same thread, progress dialog and report as :class:`~cnnstudio.ui.data.import_flow.ImportController`, but the add
is not "the last import" the Data page's health note counts the duplicates of (``import_paths(remembered=False)``):
the page says at once whether the picture was already there.
"""

from __future__ import annotations

from pathlib import Path

from ...project import import_paths
from ..data.import_flow import ImportController


class AddToDataset(ImportController):
    def __init__(self, session, parent_widget):
        super().__init__(session, parent_widget)
        self.show_report = False  # the page words the outcome in its status message

    def start(self, paths: list[Path], rejected: list[dict] | None = None, labels_from_folders=False,
              keep_split_folders=True, class_name: str | None = None) -> bool:
        if self.busy:
            return False
        self._rejected = list(rejected or [])
        return self._start_task(import_paths, self.session.project, paths, title="Adding to the dataset",
                                label="Adding the picture…", on_done=self._on_done, on_errored=self._on_errored,
                                labels_from_folders=labels_from_folders, keep_split_folders=keep_split_folders,
                                class_name=class_name, remembered=False)
