"""QA: the data check called two exact copies of a picture (one PNG saved again) "2 almost identical pictures".
A set of near copies is "the same picture twice" when its files have the same bytes or the same pixels
(near_copies.identical), and "almost identical" only when they differ (a JPEG saved again). Real files, a real check."""

from __future__ import annotations

import io
import shutil

from PIL import Image, PngImagePlugin

from cnnstudio.engine.runs import doctor
from cnnstudio.engine.runs.near_copies import copies_words, identical
from cnnstudio.project import Project, import_paths
from cnnstudio.resources import sample_dataset_dir


def _resaved_png(src, dst):
    """The same pixels in another file: other bytes (a text chunk)."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "saved again")
    Image.open(src).save(dst, pnginfo=info)
    assert dst.read_bytes() != src.read_bytes()


def test_identical_means_the_same_pixels(tmp_path):
    src = sorted((sample_dataset_dir() / "7").glob("*.png"))[0]
    same, other_format = tmp_path / "same.png", tmp_path / "same.bmp"
    _resaved_png(src, same)
    Image.open(src).save(other_format)
    assert identical([src, same]) and identical([src, same, other_format])
    jpeg = tmp_path / "again.jpg"
    Image.open(src).convert("RGB").save(jpeg, "JPEG", quality=90)
    assert not identical([src, jpeg])
    Image.open(src).resize((20, 20)).save(tmp_path / "small.png")
    assert not identical([src, tmp_path / "small.png"])
    (tmp_path / "broken.png").write_bytes(b"not a picture")
    assert not identical([src, tmp_path / "broken.png"])


def test_the_words_say_identical_only_of_identical_pictures():
    assert copies_words(2, True) == "the same picture twice"
    assert copies_words(3, True) == "3 identical pictures"
    assert copies_words(2, False) == "2 almost identical pictures"


def test_the_check_calls_an_exact_copy_the_same_picture_and_a_jpeg_copy_almost(tmp_path):
    src = tmp_path / "src"
    for c in ("1", "7"):
        (src / c).mkdir(parents=True)
        for f in sorted((sample_dataset_dir() / c).glob("*.png"))[:20]:
            shutil.copy(f, src / c / f.name)
    sevens, ones = sorted((src / "7").glob("*.png")), sorted((src / "1").glob("*.png"))
    _resaved_png(sevens[0], src / "7" / "exact_copy.png")
    buf = io.BytesIO()
    Image.open(ones[3]).convert("RGB").save(buf, "JPEG", quality=70)
    (src / "1" / "jpeg_copy.jpg").write_bytes(buf.getvalue())
    p = Project.create(tmp_path / "p")
    import_paths(p, [src], labels_from_folders=True)
    recs = {r.original_name: r for r in p.records(p.ids())}
    p.set_split([r.id for r in recs.values()], "train")
    p.set_split([recs["exact_copy.png"].id, recs["jpeg_copy.jpg"].id], "test")
    report = doctor.check_data(p, kinds=("duplicates", "leaks"))
    leaks = {recs[n].id: f for n in ("exact_copy.png", "jpeg_copy.jpg") for f in report.of_kind("leak")
             if recs[n].id in f.images}
    assert leaks[recs["exact_copy.png"].id].reason.startswith("the same picture twice in train and test: "), leaks
    assert leaks[recs["jpeg_copy.jpg"].id].reason.startswith("2 almost identical pictures in train and test: ")
    p.close()
