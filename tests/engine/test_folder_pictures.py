"""The one rule of which files predicting a folder tries, and the sentence for a folder with none (the window asks it
before its save dialog; the CLI's collect_images walks the same way). Real folders, real files."""

from __future__ import annotations

import os
import sys

from cnnstudio.engine.use.folder_pictures import files_to_try, no_pictures_sentence, walk_for_prediction
from cnnstudio.project import Project
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


_LISTED: list[str] | None = None  # the folders os.scandir lists while a test records (Python's own audit event)


def _record(event, args):
    if event == "os.scandir" and _LISTED is not None:
        _LISTED.append(os.fspath(args[0]))


sys.addaudithook(_record)  # a hook cannot be removed: it records only while _LISTED is a list


def test_a_folder_with_a_picture_first_is_answered_after_one_listing(tmp_path):
    """The window asks on its GUI thread: a folder holding a file itself costs one listing, not a walk of the whole
    tree (a network share, 100,000 files)."""
    global _LISTED
    folder = tmp_path / "photos"
    write_image(folder / "a.png")
    for i in range(40):
        sub = folder / f"sub{i:02}"
        sub.mkdir()
        for j in range(10):
            (sub / f"note{j}.txt").write_text("not a picture")
    _LISTED = []
    try:
        assert no_pictures_sentence(folder) == ""
        listed = _LISTED
    finally:
        _LISTED = None
    assert listed == [str(folder)]
    walker = files_to_try(folder)
    assert next(walker) == folder / "a.png"  # the rest is not read until asked for
    assert sum(1 for _ in walker) == 400


def test_the_lazy_walk_tries_what_the_whole_walk_tries_in_its_order(tmp_path):
    folder = tmp_path / "mixed"
    (folder / ".hidden").mkdir(parents=True)
    write_image(folder / ".hidden" / "x.png")  # a hidden folder: passed over
    write_image(folder / ".a.png")
    (folder / ".DS_Store").write_bytes(b"\0")
    Project.create(folder / "a_project").close()  # another project: refused, its files not tried
    write_image(folder / "b" / "c" / "deep.png")
    (folder / "b" / "up").symlink_to(folder)  # a link to a folder above: not followed
    (folder / "b" / "readme.txt").write_text("tried, and reported with its reason")
    (folder / "d").symlink_to(folder / "b" / "c")  # the same folder twice: walked once
    write_image(folder / "z.jpg")
    whole = [c.path for c in walk_for_prediction([folder]).candidates]
    assert list(files_to_try(folder)) == whole == [folder / "b" / "c" / "deep.png", folder / "b" / "readme.txt",
                                                   folder / "z.jpg"]
    assert list(files_to_try(folder / "a_project")) == [] and list(files_to_try(tmp_path / "none")) == []
