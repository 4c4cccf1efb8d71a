"""`cnnstudio import --labels-from-folders` with a folder whose name cannot be a class: that folder is skipped with
its reason, the rest imported; folders that are one class are said; `class add/rename/merge` take "café" typed
and "café" from a Mac (NFD) for one name."""

from __future__ import annotations

import os
import unicodedata

from tests.cli.helpers import run
from tests.conftest import write_dataset, write_image

NFC, NFD = unicodedata.normalize("NFC", "café"), unicodedata.normalize("NFD", "café")


def test_a_bad_class_folder_is_skipped_with_its_reason_and_the_rest_imported(tmp_path, capsys):
    pics = write_dataset(tmp_path / "pics", classes=("Cat", "cat"), per_class=2)
    for i, name in enumerate(("z" * 150, os.fsdecode(b"caf\xe9"))):
        write_image(pics / name / "1.png", color=(9, 9 + i, 90))
    q = tmp_path / "q"
    assert run(capsys, "new", q)[0] == 0
    code, out, err = run(capsys, "import", q, pics, "--quiet", "--labels-from-folders")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Imported 4 pictures, 0 duplicates, 2 skipped."
    assert ("Folders “Cat” and “cat” were taken as one class “Cat” (class names are the same whatever their "
            "capitals).") in lines
    assert any(line.startswith(f"  skipped {pics / ('z' * 150)}: the folder name “{'z' * 40}…” cannot be a class "
                               "name: a class name can be at most 100 characters") for line in lines), out
    assert any(line.startswith(f"  skipped {pics}/caf\ufffd: the folder name “caf\ufffd” cannot be a class name")
               for line in lines), out
    code, listing, _ = run(capsys, "class", "list", q, "--json")
    assert code == 0 and "Cat" in str(listing) and "caf" not in str(listing)


def test_class_commands_take_a_composed_and_a_decomposed_name_for_one(tmp_path, capsys):
    q = tmp_path / "q"
    assert run(capsys, "new", q)[0] == 0
    assert run(capsys, "class", "add", q, NFC)[0] == 0
    code, _out, err = run(capsys, "class", "add", q, NFD)
    assert code != 0 and "already exists" in err
    assert run(capsys, "class", "add", q, "tea")[0] == 0
    code, _out, err = run(capsys, "class", "rename", q, "tea", NFD)
    assert code != 0 and "already exists" in err
    code, out, err = run(capsys, "class", "merge", q, "tea", NFD)
    assert code == 0, err
    assert f"into “{NFC}”" in out
