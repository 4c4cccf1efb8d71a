"""The Model page's "Open…" and "Save as…": a design as a JSON file (a model spec), in the folder designs were opened
from or saved to last. A file that is not a usable design, or a folder that cannot be written, is said in a message
box in plain words (:mod:`~cnnstudio.engine.model.design_file_words`: "“bad.json” is not a design file saved by CNN
Studio…"; a disk that says no in the project's one sentence for it); the page's design is left as it was."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from ...engine.model.design_file_words import open_words, save_words
from ..sentence import sentence
from ..settings import choose_file, last_folder, remember_folder

FILTER = "Model design (*.json)"


def open_design(page) -> None:
    """Ask for a design file and show it on ``page`` (one undo step: :meth:`~.designer.ModelPage.load_spec`)."""
    from ...engine.errors import EngineError

    path = choose_file(page, "Open a model design", "design", FILTER)
    if not path:
        return
    try:
        page.load_spec(path)
    except EngineError as e:
        QMessageBox.warning(page, "Cannot open this design", open_words(path, e))


def save_design(page) -> None:
    """Ask where to save ``page``'s design and write it there."""
    from ...engine.errors import EngineError

    start = str(Path(last_folder("design")) / "model.json")
    path = QFileDialog.getSaveFileName(page, "Save the model design", start, FILTER)[0]
    if not path:
        return
    remember_folder("design", Path(path).parent)
    try:
        page.save_spec(path)
    except OSError as e:
        QMessageBox.warning(page, "Cannot save the design", save_words(path, e))
    except EngineError as e:
        QMessageBox.warning(page, "Cannot save the design", sentence(str(e)))
