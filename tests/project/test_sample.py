"""The bundled sample project (project/sample.py): made once, split with the groups of copies its caller finds kept in
one split; a making that was stopped is finished the next time the sample is opened."""

from __future__ import annotations

import threading

import pytest

from cnnstudio.project import Project
from cnnstudio.project.sample import STOPPED, SampleStopped, open_sample_project
from cnnstudio.resources import sample_dataset_dir


def _two_per_class(project: Project, progress, stop) -> list[list[int]]:
    """Stands in for the engine's search for copies: the first two pictures of each class are "copies"."""
    by_class: dict[int, list[int]] = {}
    for r in project.records(project.ids()):
        by_class.setdefault(r.class_id, []).append(r.id)
    return [ids[:2] for ids in by_class.values()]


def test_the_sample_is_split_with_the_groups_found_kept_in_one_split(tmp_path):
    asked = []

    def find(project, progress, stop):
        asked.append(project.count())
        return _two_per_class(project, progress, stop)

    p = open_sample_project(sample_dataset_dir(), tmp_path / "sample", find_groups=find)
    assert asked == [1797]  # looked for once every picture is in
    split = {r.id: r.split for r in p.records(p.ids())}
    groups = _two_per_class(p, None, None)
    assert len(groups) == 10 and all(split[a] == split[b] is not None for a, b in groups)
    p.close()
    again = open_sample_project(sample_dataset_dir(), tmp_path / "sample", find_groups=find)
    assert asked == [1797] and again.count() == 1797  # made once: opened as it is
    again.close()


def test_a_stopped_making_closes_the_sample_and_is_finished_when_opened_again(tmp_path):
    stop = threading.Event()

    def find_then_stop(project, progress, s):
        stop.set()  # the user presses Cancel while the copies are looked for
        return []

    with pytest.raises(SampleStopped, match=STOPPED):
        open_sample_project(sample_dataset_dir(), tmp_path / "sample", find_groups=find_then_stop, stop=stop)
    half = Project.open(tmp_path / "sample")
    assert half.count() == 1797 and half.meta("split_settings") is None  # nothing was split
    half.close()
    p = open_sample_project(sample_dataset_dir(), tmp_path / "sample", find_groups=_two_per_class)
    assert p.count() == 1797 and p.meta("split_settings") is not None
    assert all(r.split is not None for r in p.records(p.ids()))
    p.close()
