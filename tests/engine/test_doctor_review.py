"""The data check's summary in plain words (engine/runs/doctor_review.py)."""

from __future__ import annotations

from cnnstudio.engine.runs.doctor import DataReport, Finding
from cnnstudio.engine.runs.doctor_review import method_tip, summary

METHOD = "MobileNetV2 features (96 px, pretrained on ImageNet, cached) with a linear classifier per fold"


def _report(n: int, **kw) -> DataReport:
    findings = [Finding("outlier", (i,), 0.5, "unlike every other picture", key=str(i)) for i in range(n)]
    return DataReport(1797, 33.4, METHOD, ("labels", "outliers"), findings=findings, **kw)


def test_the_summary_says_how_many_in_plain_words():
    report = _report(101)
    said = summary(report, report.findings)
    assert said.startswith("1,797 pictures checked in 33 s. 101 things to look at; many will be fine")
    assert "please look" not in said and "most" not in said  # not "most are fine, please look"
    assert "MobileNetV2" not in said and "fold" not in said  # how: in the tooltip
    assert METHOD in method_tip(report) and "did not see that picture" in method_tip(report)


def test_the_summary_counts_what_is_left_after_fixes():
    report = _report(101, hidden=2, skipped=["outliers: fewer than 20 pictures"])
    said = summary(report, report.findings[1:])
    assert "100 of 101 things still to look at" in said
    assert " 2 findings you kept earlier are not shown." in said
    assert said.endswith("\nOutliers were not checked: fewer than 20 pictures.")
    assert " 1 finding you kept earlier is not shown." in summary(_report(3, hidden=1), [])
    assert "All 101 things looked at: nothing left." in summary(report, [])
    assert "Nothing to look at." in summary(_report(0), [])
    assert summary(_report(1), _report(1).findings).endswith("1 thing to look at; it may well be fine, you decide.")
    assert "in 2 min" in summary(DataReport(10, 125.0, METHOD, ("quality",)), [])


def test_facts_about_the_data_set_are_not_said_to_be_maybe_fine():
    """QA data2: 2 pictures gave "3 things to look at; many will be fine, you decide." for three facts."""
    facts = [Finding("class", (), 1.0, f"fact {i}", what="health", key=f"h{i}") for i in range(3)]
    report = DataReport(2, 1.0, METHOD, ("quality",), findings=facts)
    assert summary(report, facts).endswith("3 things to look at.")
    mixed = _report(1)
    mixed.findings += facts
    assert "many will be fine, you decide." in summary(mixed, mixed.findings)


def test_a_class_size_finding_stays_open_while_the_class_is_still_too_small(tmp_path):
    """QA data2 #2: relabelling a picture out of a class of 9 closed "Class 'circle' has only 9 pictures" although the
    class then had 8. The finding is about the class, not its words: it stays open, in the words of now."""
    import random

    from PIL import Image

    from cnnstudio.engine.runs import doctor
    from cnnstudio.engine.runs.doctor_review import still_open
    from cnnstudio.project import Project, import_paths

    rng = random.Random(0)
    src = tmp_path / "src"
    for name, n in (("circle", 9), ("square", 12)):
        (src / name).mkdir(parents=True)
        for i in range(n):
            Image.new("RGB", (16, 16), tuple(rng.randrange(256) for _ in range(3))).save(src / name / f"{i}.png")
    p = Project.create(tmp_path / "p")
    import_paths(p, [src], labels_from_folders=True)
    report = doctor.check_data(p, kinds=("quality",), use_backbone=False)
    small = [f for f in report.of_kind("class") if "“circle”" in f.reason]
    assert [f.reason for f in small] == ["Class “circle” has only 9 pictures: aim for at least 10, ideally 50 or more."]
    circle, square = p.class_by_name("circle").id, p.class_by_name("square").id
    circles = [r.id for r in p.records(p.ids()) if r.class_id == circle]

    def open_words():
        return [f.reason for f in still_open(p, report) if f.what == "health" and "“circle”" in f.reason]

    p.set_labels(circles[:1], square)  # worse: 8
    assert open_words() == ["Class “circle” has only 8 pictures: aim for at least 10, ideally 50 or more."]
    p.set_labels(circles[:1], circle)  # as it was
    assert open_words() == ["Class “circle” has only 9 pictures: aim for at least 10, ideally 50 or more."]
    assert small[0] in still_open(p, report)
    p.set_labels(circles, square)  # none left (review): still about the class being too small, not fixed
    assert open_words() == ["Class “circle” has no pictures: label some or delete the class."]
    p.set_labels(circles, circle)
    squares = [r.id for r in p.records(p.ids()) if r.class_id == square]
    p.set_labels(squares[:1], circle)  # 10: fixed
    assert open_words() == []


def test_a_check_whose_pictures_were_all_trashed_says_so_not_looked_at():
    """QA: everything trashed read "All 157 things looked at: nothing left."; the sentence is doctor_kept's too."""
    from cnnstudio.engine.runs.doctor_kept import Changes, changed_words

    report = _report(157)
    gone = "Every picture checked has been trashed since this check: there is nothing left to check."
    assert summary(report, [], left=0) == f"1,797 pictures checked in 33 s. {gone}"
    assert changed_words(Changes(trashed=1797)) == gone  # one rule, one sentence
    assert "All 157 things looked at: nothing left." in summary(report, [], left=5)  # some left: looked at
    assert "Nothing to look at." in summary(DataReport(0, 1.0, METHOD, ("quality",)), [], left=0)  # none checked
