"""Where the Predict page's save dialog for a folder's predictions starts (Qt-free): a file named for the folder
("holiday predictions.csv", :func:`cnnstudio.engine.use.predict.results_path`) in the folder results were saved to last
time while it is still there, else in the project's folder; never among the pictures nor beside them (the user's own
photos). :func:`.folder_panel.csv_start` hands it the folder the settings remember."""

from __future__ import annotations

import os
from pathlib import Path

Place = str | os.PathLike | None


def results_start(folder: str | os.PathLike, last: Place, project_root: Place, home: str | os.PathLike) -> Path:
    """The CSV offered for ``folder``'s predictions: in ``last`` (where results went before; None when nothing is
    remembered), else in ``project_root`` (None for a project that cannot be written to), else in ``home``; the first
    of them that is still a folder."""
    from ...engine.use.predict import results_path

    where = next((Path(p) for p in (last, project_root) if p and Path(p).is_dir()), Path(home))
    return results_path(folder, where)
