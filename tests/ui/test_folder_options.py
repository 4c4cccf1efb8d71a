"""The folder import's question about train/, val/ and test/ folders is asked only where there are such folders
(QA first-run #10: it was ticked for a folder of digits with none)."""

from __future__ import annotations

from cnnstudio.project.import_walk import has_split_folders
from cnnstudio.ui.data.import_flow import FolderOptionsDialog
from tests.conftest import write_dataset


def test_keep_split_folders_is_offered_only_for_folders_that_have_them(qtbot, tmp_path):
    plain = write_dataset(tmp_path / "digits", ("0", "1"), per_class=2)
    split = tmp_path / "data"
    write_dataset(split / "Train", ("cat",), per_class=2)
    write_dataset(split / "test", ("cat",), per_class=2)
    assert not has_split_folders([plain]) and has_split_folders([split]) and has_split_folders([plain, split])
    assert not has_split_folders([tmp_path / "gone"])
    dialog = FolderOptionsDialog([plain])
    qtbot.addWidget(dialog)
    assert not dialog.splits.isChecked() and dialog.splits.isHidden()
    assert dialog.labels.isChecked()  # sub-folders: their names are the classes
    dialog = FolderOptionsDialog([split])
    qtbot.addWidget(dialog)
    assert dialog.splits.isChecked() and not dialog.splits.isHidden()


def test_the_question_says_sub_folders_in_plain_words(qtbot, tmp_path):
    from PySide6.QtWidgets import QLabel

    one = write_dataset(tmp_path / "pets", ("cat",), per_class=1)
    dialog = FolderOptionsDialog([one])
    qtbot.addWidget(dialog)
    words = [label.text() for label in dialog.findChildren(QLabel)]
    assert "Import pets (also the pictures in folders inside it)" in words
    assert not any("recursive" in w for w in words)
    two = FolderOptionsDialog([one, write_dataset(tmp_path / "more", ("dog",), per_class=1)])
    qtbot.addWidget(two)
    assert "Import pets, more (also the pictures in folders inside them)" in [w.text() for w in two.findChildren(QLabel)]


def test_folder_names_are_ticked_as_classes_where_folders_hold_pictures(qtbot, tmp_path):
    """The window's rule is the CLI hint's (import_walk.class_folders): folders inside train/ count, empty ones
    do not."""
    split = tmp_path / "data"
    write_dataset(split / "train", ("cat",), per_class=1)
    dialog = FolderOptionsDialog([split])
    qtbot.addWidget(dialog)
    assert dialog.labels.isChecked()
    flat = write_dataset(tmp_path / "flat", ("x",), per_class=1) / "x"
    (flat / "empty").mkdir()
    dialog = FolderOptionsDialog([flat])
    qtbot.addWidget(dialog)
    assert not dialog.labels.isChecked()
