"""Predict > "Add to dataset" (and the Camera tab's "Add this frame"): the Data page's import, for one picture.

The same thread, progress dialog and report as :class:`~cnnstudio.ui.data.import_flow.ImportController`, but the add
is not "the last import" the Data page's health note counts the duplicates of (``import_paths(remembered=False)``):
the page says at once whether the picture was already there. A picture added with a class goes to the training
pictures once the project has splits (:func:`~cnnstudio.project.splits.split_for_added`), so that the next training run
learns from it; :attr:`split` is where the last one went (the page's message says so, :mod:`.add_words`).
"""

from __future__ import annotations

from ...project.splits import split_for_added
from ..data.import_flow import ImportController


class AddToDataset(ImportController):
    def __init__(self, session, parent_widget):
        super().__init__(session, parent_widget)
        self.show_report = False  # the page words the outcome in its status message
        self.words = ("Adding to the dataset", "Adding the picture…")
        self.remembered = False
        self.split: str | None = None  # the split of the picture being (or last) added

    def start(self, paths, rejected=None, labels_from_folders=False, keep_split_folders=True, class_name=None,
              split=None) -> bool:
        """Add ``paths`` as ``class_name``: into the training pictures when the project has splits, else with none."""
        if self.busy:
            return False
        self.split = split_for_added(self.session.project.counts()) if class_name else split
        return super().start(paths, rejected, labels_from_folders, keep_split_folders, class_name, split=self.split)
