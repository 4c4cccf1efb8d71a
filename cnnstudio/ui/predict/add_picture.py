"""Predict > "Add to dataset" (and the Camera tab's "Add this frame"): the Data page's import, for one picture.

The same thread, progress dialog and report as :class:`~cnnstudio.ui.data.import_flow.ImportController`, but the add
is not "the last import" the Data page's health note counts the duplicates of (``import_paths(remembered=False)``):
the page says at once whether the picture was already there.
"""

from __future__ import annotations

from ..data.import_flow import ImportController


class AddToDataset(ImportController):
    def __init__(self, session, parent_widget):
        super().__init__(session, parent_widget)
        self.show_report = False  # the page words the outcome in its status message
        self.words = ("Adding to the dataset", "Adding the picture…")
        self.remembered = False
