"""The split's progress dialog (ui/data/split_task.py): titled "Splitting the pictures", its first sentence kept with
each step's whole sentence under it; Cancel says the caller's own words (``cancelled_words``: the Train page's
"Training did not start: …"), the Split panel's by default; nothing is split either way."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from cnnstudio.engine.runs.split_groups import COMPARING, READING
from cnnstudio.project import import_paths
from cnnstudio.ui.data.split_task import LOOKING, STOPPED_WORDS, TITLE
from tests.conftest import write_dataset

TRAIN_WORDS = "Training did not start: you stopped the split (nothing was changed)."


def _open(window, tmp_path):
    """More pictures than one chunk of the search (300 > split_groups.CHUNK): Cancel lands while it reads them."""
    assert window.create_project(tmp_path / "proj")
    import_paths(window.session.project, [write_dataset(tmp_path / "src", ("a", "b"), per_class=150)],
                 labels_from_folders=True)
    window.session.images_changed.emit()
    return window.workspace.data.splits.copies


def _cancelled(finder, qtbot, **words) -> list[str]:
    said, then = [], []
    assert finder.find(then.append, said.append, **words)
    dialog = finder.dialog
    assert dialog.windowTitle() == TITLE == "Splitting the pictures" and dialog.labelText() == LOOKING
    dialog.findChild(QPushButton).click()  # its Cancel button
    qtbot.waitUntil(lambda: bool(said or then), timeout=60_000)
    qtbot.waitUntil(lambda: not finder.busy and not finder._ending, timeout=60_000)
    assert then == []
    return said


def test_the_dialog_keeps_its_sentence_and_cancel_says_the_callers_words(window, tmp_path, qtbot):
    finder = _open(window, tmp_path)
    before = window.session.project.split_snapshot()
    assert _cancelled(finder, qtbot, cancelled_words=TRAIN_WORDS) == [TRAIN_WORDS]
    assert _cancelled(finder, qtbot) == [STOPPED_WORDS]  # the Split panel's own
    assert window.session.project.split_snapshot() == before

    seen, labels = [], []
    first = "Before training: splitting your pictures into train, validation and test…"
    assert finder.find(seen.append, seen.append, first_words=first)
    finder.thread.progress.connect(lambda *_: labels.append(finder.dialog.labelText()) if finder.dialog else None)
    qtbot.waitUntil(lambda: bool(seen) and not finder.busy and not finder._ending, timeout=60_000)
    assert len(seen) == 1 and isinstance(seen[0], list)  # the groups, handed on: not a stopped search's words
    assert labels and set(labels) <= {f"{first}\n{READING}", f"{first}\n{COMPARING}"}  # the first sentence kept
