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


def test_hold_out_validation_is_stratified_seeded_and_keyed_by_content():
    from cnnstudio.engine.data.entries import Entry, hold_out_validation

    entries = [Entry(i, f"{i * 7919 % 1000:064d}", f"f{i}", 0 if i < 20 else 1, "a" if i < 20 else "b", "train")
               for i in range(24)] + [Entry(100, "f" * 64, "t", 0, "a", "test")]
    out, held = hold_out_validation(entries, seed=0)
    assert len(held) == 3 and all(i < 20 for i in held)  # 15 % of 20 = 3 of class a; class b has only 4
    assert {e.id for e in out if e.split == "val"} == held and next(e for e in out if e.id == 100).split == "test"
    renumbered = [Entry(e.id + 1000, e.sha256, e.file, e.label, e.label_name, e.split) for e in reversed(entries)]
    _, held2 = hold_out_validation(renumbered, seed=0)
    assert {i - 1000 for i in held2} == held  # the same pictures, whatever their ids and order
    assert hold_out_validation(entries, seed=1)[1] != held
    with_val = entries + [Entry(200, "e" * 64, "v", 1, "b", "val")]
    assert hold_out_validation(with_val)[1] == frozenset()
