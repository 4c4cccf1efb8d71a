"""The data check's progress (QA: the bar said "100%" while "Checking each label against models trained without
it…" still ran, and said no count): only its last event reaches the total, when the report is made, and each step's
words carry that step's own count ("looking for near copies (40 of 120)", "… (3 of 5)")."""

from __future__ import annotations

import re
import shutil

from cnnstudio.engine.events import DataProgress
from cnnstudio.engine.runs.doctor import SCALE, counted_steps, iter_check
from cnnstudio.project import Project, import_paths
from cnnstudio.resources import sample_dataset_dir


def _drain(gen):
    events = []
    while True:
        try:
            events.append(next(gen))
        except StopIteration as done:
            return events, done.value


def test_the_check_reaches_its_total_only_at_its_end_and_counts_each_step(tmp_path):
    src = tmp_path / "src"
    for c in ("0", "1"):
        (src / c).mkdir(parents=True)
        for f in sorted((sample_dataset_dir() / c).glob("*.png"))[:12]:
            shutil.copy(f, src / c / f.name)
    with Project.create(tmp_path / "proj") as p:
        import_paths(p, [src], labels_from_folders=True)
        events, report = _drain(iter_check(p, ("labels", "duplicates", "quality"), folds=3))
    progress = [e for e in events if isinstance(e, DataProgress)]
    assert "labels" in report.kinds and report.images == 24
    assert progress[-1].done == progress[-1].total == SCALE  # the end, and only there
    assert all(e.total == SCALE and e.done < SCALE for e in progress[:-1]), [(e.done, e.message) for e in progress]
    said = [e.message for e in progress]
    assert any(m.startswith("looking for near copies (") for m in said), said
    labels = [m for m in said if m.startswith("checking each label")]
    assert labels and all(re.search(r"\d of \d", m) for m in labels), labels  # which round of how many
    assert said[-2] == said[-1] == "putting the findings together"  # after the labels' last round


def test_a_step_already_counting_or_in_shares_is_not_counted_again():
    def step():
        yield DataProgress(0, 1, "loading the pretrained model")
        yield DataProgress(3, 3_000, "decoding pictures")
        yield DataProgress(2, 5, "round 2 of 5")
        yield DataProgress(40, SCALE, "training")
        return "done"

    events, value = _drain(counted_steps(step()))
    assert value == "done"
    assert [e.message for e in events] == ["loading the pretrained model", "decoding pictures (3 of 3,000)",
                                           "round 2 of 5", "training"]
