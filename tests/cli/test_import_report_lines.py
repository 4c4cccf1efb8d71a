"""`cnnstudio import` without --json lists what its report holds: the same picture twice (label conflicts first),
notes on imported pictures, system and hidden files counted; a name that is not UTF-8 prints and lists."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PIL import Image

from tests.cli.helpers import run
from tests.conftest import write_image

REPO = Path(__file__).resolve().parents[2]


def test_plain_import_lists_duplicates_notes_and_what_was_passed_over(tmp_path, capsys):
    photos = tmp_path / "photos"
    leaf = write_image(photos / "leaves" / "IMG_0002.jpg", color=(0, 120, 0))
    write_image(photos / "apples" / "IMG_0001.jpg", color=(120, 0, 0))
    os.symlink(leaf, photos / "apples" / "link_to_leaf.jpg")
    pages = [Image.new("RGB", (20, 20), c) for c in ("red", "blue")]
    pages[0].save(photos / "apples" / "scan.tif", save_all=True, append_images=pages[1:])
    (photos / "apples" / ".DS_Store").write_bytes(bytes(64))
    (photos / "apples" / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))
    assert run(capsys, "new", tmp_path / "p")[0] == 0
    code, out, err = run(capsys, "import", tmp_path / "p", photos, "--labels-from-folders", "--quiet")
    assert code == 0, err
    assert out.splitlines() == [
        "Imported 3 pictures, 1 duplicate, 0 skipped.",
        "3 pictures are in no split yet: training divides the ones with a class first, or divide them now with "
        f"cnnstudio split {tmp_path / 'p'}",
        f"  label conflict {leaf}: same picture as photos/apples/link_to_leaf.jpg, kept as “apples”; this folder says "
        "“leaves”",
        f"  note {photos / 'apples' / 'scan.tif'}: a 2-page TIFF: only the first page was imported",
        "  2 system files (.DS_Store, Thumbs.db) passed over"]


def test_a_name_that_is_not_utf8_imports_and_prints(tmp_path):
    src = tmp_path / "odd"
    src.mkdir()
    picture = write_image(tmp_path / "x.png").read_bytes()
    with open(os.fsencode(src) + b"/caf\xe9.png", "wb") as f:
        f.write(picture)
    (src / "broken.png").write_text("not a picture")
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "utf-8:strict"}  # a UTF-8 terminal

    def cnnstudio(*argv):
        return subprocess.run([sys.executable, "-m", "cnnstudio", *map(str, argv)], capture_output=True, text=True,
                              encoding="utf-8", env=env, cwd=tmp_path)

    assert cnnstudio("new", tmp_path / "p").returncode == 0
    done = cnnstudio("import", tmp_path / "p", src, "--quiet")
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert done.stdout.splitlines()[0] == "Imported 1 picture, 0 duplicates, 1 skipped."
    listed = cnnstudio("images", tmp_path / "p")
    assert listed.stdout.split()[-1] == "caf\ufffd.png"
    again = cnnstudio("import", tmp_path / "p", src, "--quiet", "--json")  # every retry works the same
    assert again.returncode == 0 and '"path": "' + str(src) + '/caf\ufffd.png"' in again.stdout
