"""Near copies with different labels (the QA report's F6) and the check's one progress total (F15), on real digit
pictures, real MobileNetV2 features (or the pixels, where the weights are not installed) and real cleanlab.

A '7' re-saved as JPEG and imported with the class '1': before, the copy was "labelled '1', looks like '7'" (fix:
relabel as 7), the original "labelled '7', looks like '1'" (fix: relabel as 1; the fold classifier had learnt the
copy's label) and the pair a near duplicate: pasting both label fixes swapped the labels. Now one finding says the
same picture has two labels, and offers to give the copy the original's label first.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from cnnstudio.engine.runs import doctor
from cnnstudio.engine.runs.doctor_review import still_open
from cnnstudio.project import Project, import_paths

from .test_doctor import _write_dataset

PROGRESS: list[tuple[int, int, str]] = []


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    root = tmp_path_factory.mktemp("copies")
    _write_dataset(root / "src")
    seven = sorted((root / "src" / "7").glob("7_*.png"))[1]
    buf = io.BytesIO()
    Image.open(seven).convert("RGB").save(buf, "JPEG", quality=90)
    (root / "src" / "1" / "resaved_seven.jpg").write_bytes(buf.getvalue())
    p = Project.create(root / "project")
    import_paths(p, [root / "src"], labels_from_folders=True)
    recs = {r.original_name: r for r in p.records(p.ids())}
    report = doctor.check_data(p, progress=lambda done, total, message: PROGRESS.append((done, total, message)))
    return p, report, recs[seven.name], recs["resaved_seven.jpg"]


def test_near_copies_with_two_labels_are_one_finding(checked):
    _, report, original, copy = checked
    pair = [f for f in report.findings if {original.id, copy.id} & set(f.images)]
    assert [f.kind for f in pair] == ["near_duplicate"], [f.reason for f in pair]  # no label finding for either
    f = pair[0]
    assert f.images == (original.id, copy.id) and f.labels == ("7", "1") and f.suggested == "7"
    assert f.reason.startswith("2 almost identical pictures with two labels: “1” and “7”")  # a JPEG: not exact
    assert "“7”" in f.reason.split("(")[1]  # what the evidence says, in words
    fixes = doctor.fixes_for(f)
    assert [(x.action, x.text, x.images, x.value) for x in fixes] == [
        ("relabel", "Relabel as “7”", (copy.id,), "7"), ("trash", "Trash the other one", (copy.id,), ""),
        ("keep", "Keep them all", (original.id, copy.id), "")]
    assert "labelled “7”" in fixes[1].tip
    js = f.to_json(report.paths)
    assert js["labels"] == ["7", "1"] and js["suggested"] == "7"


def test_relabelling_the_copy_closes_the_finding_and_undo_opens_it(checked):
    p, report, _, copy = checked
    f = next(f for f in report.findings if copy.id in f.images)
    before = p.set_labels([copy.id], p.class_by_name("7").id)
    assert f not in still_open(p, report)
    p.restore_labels(before)
    assert f in still_open(p, report)


def test_other_near_copies_and_labels_are_as_before(checked):
    _, report, original, copy = checked
    same = [f for f in report.of_kind("near_duplicate") if not f.labels]
    assert same and all(f.suggested == "" for f in same)  # copy.jpg and its '7', one label: no label words
    assert [x.action for x in doctor.fixes_for(same[0])] == ["trash", "keep"]


def test_progress_has_one_total_and_never_goes_back(checked):
    totals = {t for _, t, _ in PROGRESS}
    assert totals == {100}
    done = [d for d, _, _ in PROGRESS]
    assert done == sorted(done) and done[-1] == 100
    assert any("comparing" in m for _, _, m in PROGRESS)
    assert any(m.startswith("checking each label against") for _, _, m in PROGRESS)


def test_the_cli_says_it_once_with_one_command(checked, capsys):
    from cnnstudio.cli import main

    p, _, original, copy = checked
    code = main(["doctor", str(p.root)])
    text, err = capsys.readouterr()
    assert code == 0
    counts = [line.split(": ")[1].split()[0] for line in err.splitlines() if line.startswith("Checking the pictures")]
    percents = [int(c.rstrip("%")) for c in counts]
    assert percents and percents == sorted(percents) and percents[-1] == 100, err  # one total: never goes back
    lines = text.splitlines()
    mentions = [n for n, line in enumerate(lines) if "pictures:" in line and f"#{copy.id} " in line]
    assert len(mentions) == 1, text
    at = mentions[0]
    assert "two labels" in lines[at - 1]
    assert lines[at + 1].strip() == f"fix: cnnstudio label {p.root} --class 7 {copy.id}"


def test_the_fixes_of_a_leak_with_two_labels_and_of_grey_pictures():
    leak = doctor.Finding("leak", (3, 8), 0.99, "r", suggested="dog", splits=("train", "test"), labels=("dog", "cat"))
    assert [(x.action, x.text, x.images) for x in doctor.fixes_for(leak)] == [
        ("same_split", "Move to the training split", (8,)), ("relabel", "Relabel as “dog”", (8,)),
        ("keep", "Leave them where they are", (3, 8))]
    grey = doctor.Finding("quality", (4, 5, 6, 7, 8, 9), 0.5, "6 pictures are black and white", what="grey")
    assert [(x.action, x.text, x.images) for x in doctor.fixes_for(grey)] == [
        ("trash", "Trash all 6", (4, 5, 6, 7, 8, 9)), ("keep", "Keep them", (4, 5, 6, 7, 8, 9))]
