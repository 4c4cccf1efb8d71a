"""Pictures pasted on the Predict page (Ctrl+V of a picture, not of files): written as PNG files into a temporary
folder of their own, outside every project (a project open for viewing only is never written, and no project fills
with pasted pictures), and deleted when the list is cleared or the page closes. A pasted picture added to the dataset
is copied in by the import, so deleting the pasted file takes nothing from the project."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path


class PastedPictures:
    def __init__(self):
        self.folder: Path | None = None  # made at the first paste
        self._n = 0

    def new_path(self) -> Path:
        """Where the next pasted picture is written (its folder made)."""
        if self.folder is None or not self.folder.is_dir():
            self.folder = Path(tempfile.mkdtemp(prefix="cnnstudio-pasted-"))
        self._n += 1
        return self.folder / f"pasted-{time.strftime('%Y%m%d-%H%M%S')}-{self._n:03d}.png"

    def clear(self) -> None:
        """Delete the pasted pictures (the list that showed them was cleared, or the page closes)."""
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
