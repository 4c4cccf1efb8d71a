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
