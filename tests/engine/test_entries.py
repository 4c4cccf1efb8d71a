"""The one definition of the classes a run trains on (engine/data/entries.trained_class_ids), as the run's
entries and the Model page's output layer both use it."""

from __future__ import annotations

from cnnstudio.engine.data.entries import dataset_entries, trained_class_ids
from tests.engine.test_data import make_project


def test_trained_class_ids_counts_labelled_pictures_in_the_splits_only():
    counts = {1: {"train": 3, None: 2}, 2: {None: 5}, 3: {"test": 1}, None: {"train": 7}, 4: {"val": 0}}
    assert trained_class_ids(counts) == {1, 3}
    assert trained_class_ids(counts, ("train",)) == {1}
    assert trained_class_ids({}) == set()


def test_the_entries_of_a_run_use_the_same_classes(tmp_path):
    p = make_project(tmp_path / "proj", classes=("a", "b", "c"), per_class=4)
    try:
        c = p.class_by_name("c")
        c_ids = [r.id for r in p.records(p.ids()) if r.class_id == c.id]
        p.set_split(c_ids, None)  # c's pictures are labelled but in no split: a run does not train on c
        p.add_class("empty")
        used = trained_class_ids(p.counts())
        names, entries = dataset_entries(p)
        assert used == {p.class_by_name("a").id, p.class_by_name("b").id}
        assert names == [cl.name for cl in p.classes() if cl.id in used] == ["a", "b"]
        assert {e.label_name for e in entries} == {"a", "b"}
        p.delete_images([e.id for e in entries if e.label_name == "b"])  # trashed: not counted
        assert trained_class_ids(p.counts()) == {p.class_by_name("a").id}
        assert dataset_entries(p)[0] == ["a"]
    finally:
        p.close()
