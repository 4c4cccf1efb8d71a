"""The last data check kept in the project (engine/runs/doctor_kept.py): written whole, read back the same, what
changed since counted (the check's own fixes not), findings about pictures gone or replaced left out, a damaged or
foreign file ignored, a project that cannot be written said in one sentence."""

from __future__ import annotations

import io
import json
import shutil

import pytest
from PIL import Image

from cnnstudio.engine.runs.doctor import check_data
from cnnstudio.engine.runs.doctor_kept import (KEPT_FILE, changed_since, changed_words, checked_words, keep_report,
                                               load_report)
from cnnstudio.engine.runs.doctor_review import fixes_for, still_open
from cnnstudio.project import Project, import_paths
from cnnstudio.resources import sample_dataset_dir


def _checked_project(tmp_path):
    """A project of 20 sample digits in train, a re-saved copy of one in test (a leak) and a black picture (unusable),
    checked without the label check (seconds)."""
    src = tmp_path / "src"
    for c in ("0", "1"):
        (src / c).mkdir(parents=True)
        for f in sorted((sample_dataset_dir() / c).glob("*.png"))[:10]:
            shutil.copy(f, src / c / f.name)
    Image.new("L", (28, 28), 0).save(src / "0" / "black.png")
    buf = io.BytesIO()
    Image.open(sorted((src / "1").glob("*.png"))[0]).convert("RGB").save(buf, "JPEG", quality=70)
    (src / "1" / "copy.jpg").write_bytes(buf.getvalue())
    p = Project.create(tmp_path / "proj")
    import_paths(p, [src], labels_from_folders=True)
    recs = {r.original_name: r for r in p.records(p.ids())}
    p.set_split(list(r.id for r in recs.values()), "train")
    p.set_split([recs["copy.jpg"].id], "test")
    report = check_data(p, ("duplicates", "leaks", "quality"), use_backbone=False)
    return p, recs, report


@pytest.fixture
def checked(tmp_path):
    p, recs, report = _checked_project(tmp_path)
    yield p, recs, report
    p.close()


def test_a_kept_check_reads_back_the_same(checked):
    p, recs, report = checked
    assert {f.kind for f in report.findings} >= {"leak", "quality"}
    assert keep_report(p, report) == ""
    assert (p.root / KEPT_FILE).is_file() and not list(p.root.glob(f".{KEPT_FILE}*"))  # no temporary file left
    back = load_report(p)
    assert back is not None
    assert back.findings == report.findings and back.seen == report.seen
    assert back.pictures == {i: (h[:16], c, s) for i, (h, c, s) in report.pictures.items()}
    assert (back.images, back.method, back.kinds, back.hidden) == (report.images, report.method, report.kinds,
                                                                   report.hidden)
    assert back.class_ids == report.class_ids and abs(back.checked_at - report.checked_at) < 1e-6
    assert still_open(p, back) == still_open(p, report) == report.findings
    assert changed_since(p, back) == changed_since(p, report) == 0
    assert checked_words(back).startswith("Checked ") and checked_words(back).endswith(".")


def test_what_changed_since_is_counted_but_not_the_checks_own_fixes(checked):
    p, recs, report = checked
    keep_report(p, report)
    leak = next(f for f in report.findings if f.kind == "leak")
    move = next(x for x in fixes_for(leak) if x.action == "same_split")
    p.set_split(list(move.images), move.value)  # the check's own fix: known to it
    assert changed_since(p, load_report(p)) == 0
    assert leak not in still_open(p, load_report(p))  # fixed: it does not come back
    others = [r for n, r in recs.items() if n not in ("copy.jpg", "black.png")
              and all(r.id not in f.images for f in report.findings)]
    p.set_split([others[0].id], "val")  # moved elsewhere
    p.set_labels([others[1].id], None)  # relabelled
    p.delete_images([others[2].id])  # removed
    src = p.root.parent / "more"
    src.mkdir()
    Image.new("RGB", (28, 28), (200, 10, 10)).save(src / "red.png")
    import_paths(p, [src])  # added
    assert changed_since(p, load_report(p)) == 4
    assert changed_words(4) == "4 pictures changed since this check; press Check again to include them."
    assert changed_words(2, "run cnnstudio doctor P again") == ("2 pictures changed since this check; run cnnstudio "
                                                               "doctor P again to include them.")
    assert changed_words(1).endswith("include it.") and changed_words(0) == ""


def test_findings_about_pictures_gone_are_dropped(checked):
    p, recs, report = checked
    keep_report(p, report)
    black = recs["black.png"].id
    p.delete_images([black])
    back = load_report(p)
    assert all(black not in f.images for f in still_open(p, back))
    assert any(black in f.images for f in back.findings)  # kept, so the count of what was looked at stays honest
    # the picture deleted for good and its id used again by another picture: its findings are not about that one
    data = json.loads((p.root / KEPT_FILE).read_text())
    for row in data["pictures"]:
        if row[0] == black:
            row[1] = "0" * 16
    (p.root / KEPT_FILE).write_text(json.dumps(data))
    assert all(black not in f.images for f in load_report(p).findings)


@pytest.mark.parametrize("text", ["{not json", "[]", '{"format": "something else", "version": 1}',
                                  '{"format": "cnnstudio data check", "version": 99}',
                                  '{"format": "cnnstudio data check", "version": 1, "findings": [{"kind": 3}]}',
                                  "\udcff"])
def test_a_damaged_or_foreign_file_is_ignored(project, text):
    (project.root / KEPT_FILE).write_bytes(text.encode("utf-8", "surrogateescape"))
    assert load_report(project) is None


def test_a_project_that_cannot_be_written_says_so_in_one_sentence(checked, tmp_path):
    p, _recs, report = checked
    (p.root / KEPT_FILE).mkdir()  # something in the way: the rename fails as on a full disk
    (p.root / KEPT_FILE / "x").write_text("")
    said = keep_report(p, report)
    assert said.startswith("The results were not kept: ") and said.endswith(".")
    assert said.count(". ") == 0 and said.count("for next time") == 1 and not list(p.root.glob(f".{KEPT_FILE}*"))
    p.close()
    with Project.open(tmp_path / "proj", read_only=True) as viewing:
        said = keep_report(viewing, report)
        assert said.startswith("The results were not kept: ") and "read-only" in said


def test_what_changed_is_counted_once_a_picture_by_kind_never_more_than_there_are(checked):
    """QA: "3,000 pictures changed" with 2,999 there, "2,911" with 1,500, a split alone "1,500 changed", and all
    trashed: nothing said but "All 157 things looked at: nothing left"."""
    p, recs, report = checked
    keep_report(p, report)
    plain = [r for n, r in recs.items() if n not in ("copy.jpg", "black.png")
             and all(r.id not in f.images for f in report.findings)]
    p.set_split([r.id for r in plain], "val")  # a split alone: moved, not changed
    moved = changed_since(p, load_report(p))
    assert (moved.added, moved.changed, moved.moved, moved.trashed) == (0, 0, len(plain), 0)
    assert changed_words(moved) == (f"{len(plain)} pictures moved to another split since this check; press Check "
                                    "again to include them.")
    p.set_labels([plain[0].id], None)  # moved and relabelled: one picture, counted once
    both = changed_since(p, load_report(p))
    assert (both.changed, both.moved) == (1, len(plain) - 1) and both == len(plain)
    everything = p.ids()
    p.delete_images(everything)  # all trashed, then as many new pictures imported
    src = p.root.parent / "again"
    src.mkdir()
    for k in range(3):
        Image.new("RGB", (28, 28), (200, 10 * k, 10)).save(src / f"red{k}.png")
    import_paths(p, [src])
    after = changed_since(p, load_report(p))
    assert (after.added, after.changed + after.moved, after.left) == (3, 0, 3)
    assert after.added + after.changed + after.moved <= after.left
    assert changed_words(after).startswith("3 pictures added and ")
    assert changed_words(after).endswith(" trashed since this check; press Check again to bring it up to date.")
    p.delete_images(p.ids())
    gone = changed_since(p, load_report(p))
    assert gone.left == 0 and gone.trashed == len(report.pictures)
    assert changed_words(gone) == ("Every picture checked has been trashed since this check: there is nothing left "
                                   "to check.")
