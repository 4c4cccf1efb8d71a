"""Pictures imported after the first split have no split, and training leaves them out (project/left_out.py): one
rule and one sentence for the Data page and ``cnnstudio train``; and the imbalance note counts what training uses."""

from __future__ import annotations

from cnnstudio.project import Project, import_paths
from cnnstudio.project.health import LEFT_OUT, SPLIT_NOW, dataset_warnings
from cnnstudio.project.left_out import CLI_FIX, left_out, left_out_words
from tests.conftest import write_dataset


def _project(tmp_path, per_class=10) -> Project:
    p = Project.create(tmp_path / "p")
    import_paths(p, [write_dataset(tmp_path / "src", ("cat", "dog"), per_class=per_class)], labels_from_folders=True)
    return p


def test_nothing_is_left_out_before_the_first_split_then_new_pictures_are(tmp_path):
    p = _project(tmp_path)
    assert left_out(p.counts()) == 0  # training divides them all first
    p.assign_splits()
    assert left_out(p.counts()) == 0
    import_paths(p, [write_dataset(tmp_path / "more", ("cat",), per_class=15, size=(13, 13))],
                 labels_from_folders=True)
    assert left_out(p.counts()) == 15
    (w,) = [w for w in dataset_warnings(p) if w.about == LEFT_OUT]
    assert w.fix == SPLIT_NOW and w.in_app == left_out_words(15)
    p.assign_splits()  # what Split does: each gets one, the test pictures stay
    assert left_out(p.counts()) == 0 and not [w for w in dataset_warnings(p) if w.about == LEFT_OUT]


def test_the_health_counts_the_labelled_pictures_in_no_split_not_the_unsplit_less_the_unlabelled(tmp_path):
    """Split pictures whose class was cleared are not left out for want of a split: the health says the count the Train
    page, the import report and ``cnnstudio train`` say (it said 1 for 4 while 3 split pictures had no class)."""
    p = _project(tmp_path)
    p.assign_splits()
    p.set_labels([r.id for r in p.records(p.ids()) if r.split == "train"][:3], None)
    import_paths(p, [write_dataset(tmp_path / "more", ("cat",), per_class=4, size=(13, 13))],
                 labels_from_folders=True)
    assert left_out(p.counts()) == 4
    (w,) = [w for w in dataset_warnings(p) if w.about == LEFT_OUT]
    assert w.text == left_out_words(4)


def test_the_words_say_one_as_one_and_each_surface_its_step():
    assert left_out_words(800, CLI_FIX) == (
        "800 labelled pictures have no split yet, so training leaves them out: run 'cnnstudio split' to give them one "
        "(it keeps your test pictures where they are; the others may move between training and validation).")
    assert left_out_words(1).startswith("1 labelled picture has no split yet, so training leaves it out: press "
                                        "'Split' to give it one (")


def test_the_imbalance_note_counts_the_training_pictures_once_there_is_a_split(tmp_path):
    p = _project(tmp_path, per_class=20)
    p.assign_splits()
    trained = {c: n for c, n in ((c.name, p.counts()[c.id]["train"]) for c in p.classes())}
    import_paths(p, [write_dataset(tmp_path / "more", ("cat",), per_class=60, size=(13, 13))],
                 labels_from_folders=True)  # 80 cats against 20 dogs, but 60 cats are in no split: not trained on
    assert not [w for w in dataset_warnings(p) if w.about == "imbalance"]
    p.set_split([r.id for r in p.records(p.ids()) if r.split is None], "train")
    (w,) = [w for w in dataset_warnings(p) if w.about == "imbalance"]
    cats = trained["cat"] + 60
    assert w.text.startswith(f"Strong imbalance: “cat” has {cats} training pictures, “dog” only {trained['dog']}.")
