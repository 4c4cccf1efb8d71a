"""Import: the awkward-file corpus, duplicates, labels from folders, progress, cancel."""

import io
import os
import struct
import threading
import zlib
from pathlib import Path

import pytest
from PIL import Image

from cnnstudio.project import ImageFilter, Project, import_paths
from cnnstudio.project.imaging import open_normalised
from tests.conftest import write_dataset, write_image


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def make_bomb_png(path: Path, side=30_000) -> Path:
    """A real decompression-bomb shape: a tiny file whose header claims side x side pixels."""
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1000)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", idat)
                     + _png_chunk(b"IEND", b""))
    return path


def make_corpus(d: Path) -> dict[str, str | None]:
    """Write every awkward case; return {file name: None if it must import, else a word of the reason}."""
    d.mkdir(parents=True, exist_ok=True)
    expect: dict[str, str | None] = {}
    # EXIF orientation 6 = rotate 90: stored 40x20, shown 20x40
    im = Image.new("RGB", (40, 20), (10, 200, 10))
    exif = Image.Exif()
    exif[0x0112] = 6
    im.save(d / "exif_rotated.jpg", exif=exif.tobytes())
    expect["exif_rotated.jpg"] = None
    Image.new("CMYK", (20, 20), (0, 255, 255, 0)).save(d / "cmyk.jpg")
    expect["cmyk.jpg"] = None
    Image.new("I;16", (20, 20), 40000).save(d / "sixteen_bit.png")
    expect["sixteen_bit.png"] = None
    p = Image.new("P", (20, 20), 1)
    p.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    p.save(d / "palette_transparent.png", transparency=0)
    expect["palette_transparent.png"] = None
    Image.new("LA", (20, 20), (100, 128)).save(d / "grey_alpha.png")
    expect["grey_alpha.png"] = None
    Image.new("RGBA", (20, 20), (0, 0, 255, 0)).save(d / "transparent.png")
    expect["transparent.png"] = None
    frames = [Image.new("RGB", (20, 20), c) for c in ((255, 0, 0), (0, 0, 255))]
    frames[0].save(d / "animated.gif", save_all=True, append_images=frames[1:], duration=100, loop=0)
    expect["animated.gif"] = None
    write_image(d / "plain.webp", size=(20, 20), fmt="WEBP")
    expect["plain.webp"] = None
    write_image(d / "tiny.bmp", color=(1, 2, 3), size=(3, 3))
    expect["tiny.bmp"] = None
    write_image(d / "grey.tiff", mode="L", color=(77,), size=(9, 9))
    expect["grey.tiff"] = None
    # refused
    buf = io.BytesIO()
    Image.effect_noise((200, 200), 50).convert("RGB").save(buf, "JPEG", quality=90)
    (d / "truncated.jpg").write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    expect["truncated.jpg"] = "truncated"
    buf = io.BytesIO()
    Image.effect_noise((64, 64), 50).save(buf, "PNG")
    (d / "truncated.png").write_bytes(buf.getvalue()[:-200])
    expect["truncated.png"] = "truncated"
    (d / "empty.jpg").write_bytes(b"")
    expect["empty.jpg"] = "empty"
    (d / "notes.txt").write_text("shopping list: milk, eggs\n")
    expect["notes.txt"] = "text file"
    (d / "disguised.png").write_text("I am text with an image name\n")
    expect["disguised.png"] = "text file"
    (d / "page.html").write_text("<!DOCTYPE html><html><body><img src=x.png></body></html>")
    expect["page.html"] = "HTML"
    (d / "drawing.svg").write_text('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" '
                                   'height="10"><rect width="10" height="10"/></svg>')
    expect["drawing.svg"] = "SVG"
    (d / "random.bin").write_bytes(os.urandom(300) + b"\xff\xfe")
    expect["random.bin"] = "not a picture"
    make_bomb_png(d / "bomb.png")
    expect["bomb.png"] = "900 megapixels (30,000 x 30,000), more than CNN Studio opens"
    (d / "folder.jpg").mkdir()
    expect["folder.jpg"] = "folder named like an image"
    os.symlink(d / "does_not_exist.png", d / "broken_link.png")
    expect["broken_link.png"] = "broken link"
    return expect


def test_awkward_corpus_each_file_has_the_expected_outcome(project, tmp_path):
    expect = make_corpus(tmp_path / "corpus")
    report = import_paths(project, [tmp_path / "corpus"])
    skipped = {Path(s["path"]).name: s["reason"] for s in report.skipped}
    imported = {project.image(i).original_name: project.image(i) for i in report.imported}
    for name, reason in expect.items():
        if reason is None:
            assert name in imported, f"{name} should import, got: {skipped.get(name)}"
        else:
            assert name in skipped, f"{name} should be refused"
            assert reason.lower() in skipped[name].lower(), (name, skipped[name])
    assert len(imported) + len(skipped) == len(expect)
    # normalised on the way in and on every read
    assert (imported["exif_rotated.jpg"].width, imported["exif_rotated.jpg"].height) == (20, 40)
    assert open_normalised(project.root / imported["exif_rotated.jpg"].file).size == (20, 40)
    assert open_normalised(project.root / imported["cmyk.jpg"].file).mode == "RGB"
    sixteen = open_normalised(project.root / imported["sixteen_bit.png"].file)
    assert sixteen.mode == "L"
    pal = open_normalised(project.root / imported["palette_transparent.png"].file)
    assert pal.mode == "RGB" and pal.getpixel((0, 0)) == (255, 0, 0)  # index 1 is opaque red
    clear = open_normalised(project.root / imported["transparent.png"].file)
    assert clear.getpixel((0, 0)) == (255, 255, 255)  # fully transparent -> white background
    assert open_normalised(project.root / imported["animated.gif"].file).getpixel((0, 0)) == (255, 0, 0)
    assert open_normalised(project.root / imported["grey_alpha.png"].file).mode == "L"
    # nothing half-imported: one file per row, no stray files
    _assert_consistent(project)


def _assert_consistent(project: Project) -> None:
    con = project._con()
    rows = {r[0] for r in con.execute("SELECT file FROM images")}
    files = {str(p.relative_to(project.root)) for p in (project.root / "images").rglob("*")
             if p.is_file() and ".incoming" not in p.parts}
    assert rows == files
    assert con.execute("SELECT COUNT(*) FROM pending_files").fetchone()[0] == 0


def test_same_bytes_twice_is_a_duplicate_not_a_second_copy(project, tmp_path):
    a = write_image(tmp_path / "a.png")
    b = tmp_path / "sub" / "b_copy.png"
    b.parent.mkdir()
    b.write_bytes(a.read_bytes())
    report = import_paths(project, [a, b])
    assert len(report.imported) == 1 and len(report.duplicates) == 1
    again = import_paths(project, [tmp_path])
    assert len(again.imported) == 0 and len(again.duplicates) == 2
    assert again.duplicates[0]["reason"] == "already in the project"
    assert len(list((project.root / "images").rglob("*.png"))) == 1
    name = project.image(report.imported[0]).file
    assert Path(name).stem == __import__("hashlib").sha256(a.read_bytes()).hexdigest()


def _duplicate_note(project) -> list[str]:
    from cnnstudio.project.health import dataset_warnings

    return [w.text for w in dataset_warnings(project) if "duplicate" in w.text]


def test_one_picture_added_again_is_not_the_last_import_the_health_note_counts(project, tmp_path):
    write_dataset(tmp_path / "data", per_class=3)
    first = import_paths(project, [tmp_path / "data"], labels_from_folders=True)
    assert len(first.imported) == 6 and not first.duplicates and not _duplicate_note(project)
    picture = next((tmp_path / "data" / "cat").iterdir())
    # Predict's "Add to dataset" of a picture already there: said at once, no lasting "last import" note
    added = import_paths(project, [picture], class_name="cat", remembered=False)
    assert not added.imported and len(added.duplicates) == 1 and project.count() == 6
    assert not _duplicate_note(project)
    # a real import's duplicates are noted, and an add from Predict (new or not) leaves that note as it was
    again = import_paths(project, [picture])
    assert len(again.duplicates) == 1
    assert _duplicate_note(project) == ["The last import found 1 duplicate file: each was stored once."]
    new = write_image(tmp_path / "new.png", color=(1, 2, 3))
    assert len(import_paths(project, [new], class_name="dog", remembered=False).imported) == 1
    assert len(import_paths(project, [picture], class_name="cat", remembered=False).duplicates) == 1
    assert _duplicate_note(project) == ["The last import found 1 duplicate file: each was stored once."]
    clean = import_paths(project, [write_image(tmp_path / "other.png", color=(9, 9, 9))])
    assert clean.imported and not _duplicate_note(project)  # the user's next import without duplicates clears it


def test_reimporting_a_trashed_image_brings_it_back(project, tmp_path):
    a = write_image(tmp_path / "a.png")
    (iid,) = import_paths(project, [a]).imported
    project.delete_images([iid])
    report = import_paths(project, [a])
    assert report.duplicates and project.count() == 1


def test_labels_from_folders_and_class_option(project, tmp_path):
    src = write_dataset(tmp_path / "pets", ("cat", "dog"), per_class=2)
    write_image(src / "cat" / "nested" / "deep.png", color=(1, 1, 1))
    write_image(src / "loose.png", color=(2, 2, 2))
    report = import_paths(project, [src], labels_from_folders=True)
    assert sorted(report.classes_created) == ["cat", "dog"]
    cat = project.class_by_name("cat").id
    assert project.count(ImageFilter(class_id=cat)) == 3  # nested folders belong to the top one
    assert project.count(ImageFilter(class_id=-1)) == 1
    other = write_image(tmp_path / "x" / "y.png", color=(3, 3, 3))
    import_paths(project, [other], class_name="bird")
    assert project.count(ImageFilter(class_id=project.class_by_name("bird").id)) == 1


def test_without_labels_from_folders_images_are_unlabelled(project, tmp_path):
    import_paths(project, [write_dataset(tmp_path / "pets", ("cat",), per_class=2)])
    assert project.classes() == [] and project.count(ImageFilter(class_id=-1)) == 2


def test_progress_is_reported_and_cancel_keeps_what_finished(project, tmp_path):
    src = write_dataset(tmp_path / "many", ("a",), per_class=300, size=(32, 32))
    calls = []
    cancel = threading.Event()

    def progress(done, total, message):
        calls.append((done, total))
        if done == 100:
            cancel.set()

    report = import_paths(project, [src], progress=progress, cancel=cancel, workers=2)
    assert report.cancelled
    assert calls[0] == (0, 300)
    assert 100 <= len(report.imported) < 300
    assert project.count() == len(report.imported)
    _assert_consistent(project)
    rest = import_paths(project, [src])  # import again: the rest comes in, the first part are duplicates
    assert len(rest.imported) + len(rest.duplicates) == 300 and project.count() == 300


def test_hidden_files_are_passed_over_and_missing_path_reported(project, tmp_path):
    write_image(tmp_path / "d" / ".hidden.png")
    write_image(tmp_path / "d" / "shown.png", color=(9, 9, 9))
    report = import_paths(project, [tmp_path / "d", tmp_path / "missing.png"])
    assert len(report.imported) == 1
    assert report.skipped == [{"path": str(tmp_path / "missing.png"), "reason": "file not found"}]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file, so permissions cannot be tested as root")
def test_unreadable_file_is_reported(project, tmp_path):
    f = write_image(tmp_path / "locked.png")
    f.chmod(0)
    report = import_paths(project, [f])
    assert "permission" in report.skipped[0]["reason"]


def test_fifo_is_refused_without_blocking(project, tmp_path):
    os.mkfifo(tmp_path / "pipe.png")
    report = import_paths(project, [tmp_path])
    assert report.skipped and "not a regular file" in report.skipped[0]["reason"]


def test_import_report_json_shape(project, tmp_path):
    make_corpus(tmp_path / "c")
    out = import_paths(project, [tmp_path / "c"]).to_json()
    assert set(out) >= {"imported", "duplicates", "skipped", "cancelled"}
    assert all(set(s) == {"path", "reason"} for s in out["skipped"])


def test_a_picture_over_what_cnn_studio_opens_is_refused_in_our_words_only(tmp_path):
    """14,000 x 14,000 (196 megapixels) is over twice Pillow's warning size: Pillow refused it in its own English
    ("could be decompression bomb DOS attack"), and warned on stderr below that; now one sentence of ours."""
    import subprocess
    import sys

    bomb = make_bomb_png(tmp_path / "huge.png", side=14_000)
    code = ("import sys; from cnnstudio.project.imaging import decode, ImageRejected\n"
            "try:\n    from pathlib import Path; decode(Path(sys.argv[1]).read_bytes())\nexcept ImageRejected as e:\n    print(e)\n")
    done = subprocess.run([sys.executable, "-W", "default", "-c", code, str(bomb)], capture_output=True, text=True)
    assert done.stdout == ("this picture is 196 megapixels (14,000 x 14,000), more than CNN Studio opens (358 megapixels "
                           "for a JPEG, 179 for other kinds): save a smaller copy\n")
    assert done.stderr == ""
