"""What a folder walk finds and says: an unreadable folder, a name that is not UTF-8, links to a folder above, link
loops, system and hidden files; and the same picture twice in one import, named."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from cnnstudio.project import ImageFilter, Project, import_paths
from cnnstudio.project.import_walk import LINK_UP_REASON, LOOP_REASON, collect
from tests.conftest import write_image

REPO = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------------------- an unreadable folder (finding 1)
WALK_AS_NOBODY = """
import json, sys
from cnnstudio.project import Project, import_paths
from cnnstudio.project.import_walk import collect
root = sys.argv[1]
with Project.create(root + "/proj") as project:
    report = import_paths(project, [root + "/src"], labels_from_folders=True)
found, skipped = collect([root + "/src"])  # what prediction walks
print(json.dumps({"imported": len(report.imported), "skipped": report.skipped, "found": len(found),
                  "walk_skipped": skipped}))
"""


def test_an_unreadable_folder_is_skipped_with_its_reason_and_the_rest_comes_in():
    if os.geteuid() == 0 and not shutil.which("setpriv"):
        pytest.skip("running as root, who reads any folder, and setpriv (to run as another user) is not installed")
    with tempfile.TemporaryDirectory() as d:  # not under pytest's own folder, which only root may enter
        root = Path(d)
        root.chmod(0o777)
        write_image(root / "src" / "sky" / "a.png")
        write_image(root / "src" / "sky" / "2023" / "b.png", color=(1, 2, 3))
        (root / "src" / "sky" / "locked").mkdir()
        write_image(root / "src" / "sky" / "locked" / "c.png", color=(4, 5, 6))
        (root / "src" / "sky" / "locked").chmod(0)
        command = [sys.executable, "-c", WALK_AS_NOBODY, str(root)]
        if os.geteuid() == 0:  # as root, chmod 000 blocks nothing: run as nobody
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        done = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
        (root / "src" / "sky" / "locked").chmod(0o755)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    locked = [{"path": str(root / "src" / "sky" / "locked"), "reason": "cannot open the folder: permission denied"}]
    assert out == {"imported": 2, "skipped": locked, "found": 2, "walk_skipped": locked}


# ---------------------------------------------------------------------------- a name that is not UTF-8 (finding 2)
def test_a_latin1_file_name_imports_with_a_name_that_can_be_shown(project: Project, tmp_path):
    folder = tmp_path / "cls"
    folder.mkdir()
    picture = write_image(tmp_path / "x.png").read_bytes()
    with open(os.fsencode(folder) + b"/caf\xe9_latin1.png", "wb") as f:  # as an old ZIP or a FAT disk names it
        f.write(picture)
    report = import_paths(project, [folder], labels_from_folders=False)
    assert not report.skipped and len(report.imported) == 1
    rec = project.image(report.imported[0])
    assert rec.original_name == "caf\ufffd_latin1.png"
    assert rec.source_path == f"{folder}/caf\ufffd_latin1.png"
    assert project.thumbnail_path(rec.id).is_file()
    again = import_paths(project, [folder])  # and again: already there, said in words that can be printed
    assert again.duplicates[0]["path"] == f"{folder}/caf\ufffd_latin1.png"
    json.dumps(again.to_json()).encode("utf-8")


# ---------------------------------------------------------------------------- links (findings 3, 12)
def test_a_link_to_a_folder_above_is_not_followed_and_said(project: Project, tmp_path):
    photos = tmp_path / "photos"
    write_image(photos / "apples" / "a.png")
    write_image(photos / "leaves" / "l.png", color=(0, 90, 0))
    write_image(tmp_path / "elsewhere" / "e.png", color=(7, 7, 7))
    os.symlink("..", photos / "apples" / "folder_loop")  # the sibling class folders, under 'apples'
    os.symlink(".", photos / "apples" / "itself")
    os.symlink(photos, photos / "apples" / "up_absolute")
    os.symlink(tmp_path / "elsewhere", photos / "apples" / "more")  # an unrelated folder: followed as before
    report = import_paths(project, [photos / "apples"], class_name="apples")
    assert sorted(project.image(i).original_name for i in report.imported) == ["a.png", "e.png"]
    assert report.skipped == [{"path": str(photos / "apples" / name), "reason": LINK_UP_REASON}
                              for name in ("folder_loop", "itself", "up_absolute")]
    found, skipped = collect([photos / "apples"])  # prediction walks the same way
    assert sorted(c.path.name for c in found) == ["a.png", "e.png"] and len(skipped) == 3


def test_a_link_loop_is_said_in_plain_words(project: Project, tmp_path):
    d = tmp_path / "links"
    write_image(d / "ok.png")
    os.symlink("loop_b.jpg", d / "loop_a.jpg")
    os.symlink("loop_a.jpg", d / "loop_b.jpg")
    report = import_paths(project, [d])
    assert report.skipped == [{"path": str(d / n), "reason": LOOP_REASON} for n in ("loop_a.jpg", "loop_b.jpg")]
    assert LOOP_REASON == "a link that leads back to itself (a link loop)"


# ---------------------------------------------------------------------------- system and hidden files (finding 9)
def test_system_clutter_and_hidden_files_are_counted_in_one_line_each(project: Project, tmp_path):
    d = tmp_path / "photos" / "apples"
    write_image(d / "a.png")
    (d / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1" + bytes(100))
    (d / "._a.png").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + bytes(100))
    (d / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))
    (d / "desktop.ini").write_text("[.ShellClassInfo]\n")
    write_image(d / ".hidden_real_photo.jpg", color=(1, 1, 1))
    report = import_paths(project, [tmp_path / "photos"])
    assert len(report.imported) == 1 and report.skipped == []  # no "not a picture" rows for the clutter
    assert report.passed_over_lines == [
        "4 system files (._a.png, .DS_Store, desktop.ini …) passed over",
        "1 hidden file (.hidden_real_photo.jpg) passed over: names starting with a dot are hidden on purpose; rename "
        "one without the dot to import it"]
    assert {p["kind"] for p in report.to_json()["passed_over"]} == {"system", "hidden"}


# ---------------------------------------------------------------------------- the same picture twice (finding 4)
@pytest.mark.parametrize("one_transaction", [False, True])
def test_the_same_picture_in_two_class_folders_names_the_one_kept_and_the_conflict(project: Project, tmp_path,
                                                                                   one_transaction):
    photos = tmp_path / "photos"
    leaf = write_image(photos / "leaves" / "IMG_0002.jpg", color=(0, 120, 0))
    (photos / "apples").mkdir()
    os.symlink(leaf, photos / "apples" / "link_to_leaf.jpg")
    write_image(photos / "apples" / "IMG_0021.jpg", color=(200, 0, 0))
    shutil.copy(photos / "apples" / "IMG_0021.jpg", photos / "apples" / "IMG_0021 copy.jpg")
    report = import_paths(project, [photos], labels_from_folders=True, one_transaction=one_transaction)
    kept = {project.image(i).original_name: i for i in report.imported}
    assert report.duplicates == [  # the copy met first is the duplicate: the picture keeps the original's name
        {"path": str(photos / "apples" / "IMG_0021 copy.jpg"), "existing_id": kept["IMG_0021.jpg"],
         "reason": "same picture as photos/apples/IMG_0021.jpg: stored once",
         "same_as": "photos/apples/IMG_0021.jpg"},
        {"path": str(leaf), "existing_id": kept["link_to_leaf.jpg"],
         "reason": "same picture as photos/apples/link_to_leaf.jpg, kept as “apples”; this folder says “leaves”",
         "same_as": "photos/apples/link_to_leaf.jpg", "label_conflict": True}]
    assert project.count(ImageFilter(class_id=project.class_by_name("apples").id)) == 2
