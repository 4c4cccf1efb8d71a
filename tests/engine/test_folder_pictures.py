"""The one rule of which files predicting a folder tries, and the sentence for a folder with none (the window asks it
before its save dialog; the CLI's collect_images walks the same way). Real folders, real files."""

from __future__ import annotations

from cnnstudio.engine.use.folder_pictures import no_pictures_sentence
from cnnstudio.engine.use.predict import collect_images
from tests.conftest import write_image


def test_an_empty_folder_has_one_sentence(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert no_pictures_sentence(empty) == "“empty” has no pictures to predict."
    (empty / "sub" / "deeper").mkdir(parents=True)
    (empty / ".thumbnails").mkdir()  # a hidden folder: not a hidden file
    assert no_pictures_sentence(empty) == "“empty” has no pictures to predict (looked in its sub-folders too)."
    write_image(empty / ".a.png")
    write_image(empty / "sub" / ".b.png")
    (empty / ".DS_Store").write_bytes(b"\0")  # system clutter: not counted
    assert no_pictures_sentence(empty) == ("“empty” has no pictures to predict (looked in its sub-folders too); "
                                           "2 hidden files (a name starting with a dot) were passed over.")
    assert collect_images([empty]) == ([], [])  # the CLI's walk finds nothing either


def test_a_folder_with_a_file_to_try_has_none(tmp_path):
    folder = tmp_path / "f"
    write_image(folder / "a" / "b" / "deep.png")
    assert no_pictures_sentence(folder) == ""
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "readme.txt").write_text("not a picture")  # tried, and reported with its reason, as the CLI does
    assert no_pictures_sentence(notes) == ""
    assert collect_images([notes])[0] == [notes / "readme.txt"]
