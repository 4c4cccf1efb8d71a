import random

import pytest

from cnnstudio.project import ImageFilter, import_paths, parse_ratios
from cnnstudio.project.splits import (AUTO_SPLIT, labelled_unsplit, needs_auto_split, stratified_assignment,
                                      target_counts)
from tests.conftest import write_dataset


def test_parse_ratios_accepts_percentages_and_fractions():
    assert parse_ratios("70,15,15") == pytest.approx((0.7, 0.15, 0.15))
    assert parse_ratios((0.8, 0.1, 0.1)) == pytest.approx((0.8, 0.1, 0.1))
    assert parse_ratios((100, 0, 0)) == parse_ratios((1, 0, 0)) == (1.0, 0.0, 0.0)
    # within rounding: thirds written with one decimal, or three decimals
    assert parse_ratios("33.3,33.3,33.3") == parse_ratios((0.333, 0.333, 0.333)) == pytest.approx((1 / 3,) * 3)
    assert sum(parse_ratios("33.4,33.3,33.3")) == pytest.approx(1.0)
    for bad in ("70,30", "a,b,c", "-1,1,1", "0,0,0", "0,50,50"):
        with pytest.raises(ValueError):
            parse_ratios(bad)


@pytest.mark.parametrize("ratios, said", [("80,20,20", "ratios add up to 120, not 100"),
                                          ((70, 15, 14), "ratios add up to 99, not 100"),
                                          ("1,1,1", "ratios add up to 3, not 100"),
                                          ((0.7, 0.2, 0.2), "ratios add up to 1.1, not 1"),
                                          ("0,0,0", "ratios add up to 0, not 100")])
def test_parse_ratios_refuses_a_sum_that_is_not_whole_never_scaling_it(ratios, said):
    with pytest.raises(ValueError) as e:
        parse_ratios(ratios)
    assert str(e.value).startswith(said + ": give three ") and ". " not in str(e.value)  # one sentence


def test_percentages_say_so_and_then_only_a_sum_of_100_is_whole():
    assert parse_ratios((70, 15, 15), percent=True) == parse_ratios((70, 15, 15))
    with pytest.raises(ValueError, match="add up to 1, not 100"):
        parse_ratios((1, 0, 0), percent=True)
    assert parse_ratios((1, 0, 0)) == (1.0, 0.0, 0.0)  # without: fractions, 100 % train


def test_every_saved_and_built_in_ratio_is_still_accepted(project, tmp_path):
    """What callers give parse_ratios: the auto split's percentages, the fractions assign_splits saves in
    split_settings (read back by the Data page), the defaults."""
    import json

    assert parse_ratios(AUTO_SPLIT) == pytest.approx((0.7, 0.15, 0.15))
    import_paths(project, [write_dataset(tmp_path / "src", ("a", "b"), per_class=9)], labels_from_folders=True)
    for ratios in ((34, 33, 33), (50, 25, 25), (100, 0, 0), (50, 50, 0), (1 / 3, 1 / 3, 1 / 3)):
        project.assign_splits(ratios, seed=0)
        saved = json.loads(project.meta("split_settings"))["ratios"]
        assert parse_ratios(saved) == pytest.approx(parse_ratios(ratios))
    assert parse_ratios(project.assign_splits.__defaults__[0]) == pytest.approx((0.7, 0.15, 0.15))


def test_target_counts_keep_a_training_image():
    assert target_counts(20, (70, 15, 15)) == {"train": 14, "val": 3, "test": 3}
    assert target_counts(1, (10, 45, 45))["train"] == 1
    assert target_counts(2, (10, 45, 45))["train"] >= 1


def test_assignment_is_seeded_and_complete():
    a = stratified_assignment(list(range(100)), {}, (70, 15, 15), random.Random("1"))
    b = stratified_assignment(list(range(100)), {}, (70, 15, 15), random.Random("1"))
    c = stratified_assignment(list(range(100)), {}, (70, 15, 15), random.Random("2"))
    assert a == b and a != c
    assert sorted(a.values()).count("val") == 15 and list(a.values()).count("test") == 15


def _split_counts(project, class_id):
    return {s: project.count(ImageFilter(class_id=class_id, split=s)) for s in ("train", "val", "test")}


def test_project_split_is_stratified_per_class(project, tmp_path):
    import_paths(project, [write_dataset(tmp_path / "src", ("a", "b"), per_class=20)], labels_from_folders=True)
    counts = project.assign_splits((70, 15, 15), seed=0)
    assert counts == {"train": 28, "val": 6, "test": 6}
    for c in project.classes():
        assert _split_counts(project, c.id) == {"train": 14, "val": 3, "test": 3}


def test_resplit_keeps_test_unless_asked(project, tmp_path):
    import_paths(project, [write_dataset(tmp_path / "src", ("a",), per_class=20)], labels_from_folders=True)
    project.assign_splits((70, 15, 15), seed=0)
    test_before = set(project.ids(ImageFilter(split="test")))
    project.assign_splits((50, 25, 25), seed=9)
    test_after = set(project.ids(ImageFilter(split="test")))
    assert test_before <= test_after  # kept, and topped up to the new ratio
    assert len(test_after) == 5 and len(project.ids(ImageFilter(split="val"))) == 5
    project.assign_splits((70, 15, 15), seed=1, resplit_test=True)
    assert len(project.ids(ImageFilter(split="test"))) == 3


def test_split_folders_are_kept(project, tmp_path):
    src = tmp_path / "dl"
    write_dataset(src / "train", ("cat", "dog"), per_class=4)
    write_dataset(src / "validation", ("cat", "dog"), per_class=2, size=(13, 13))
    write_dataset(src / "test", ("cat", "dog"), per_class=2, size=(14, 14))
    report = import_paths(project, [src], labels_from_folders=True)
    assert len(report.imported) == 16
    assert {c.name for c in project.classes()} == {"cat", "dog"}
    assert project.count(ImageFilter(split="train")) == 8
    assert project.count(ImageFilter(split="val")) == 4
    assert project.count(ImageFilter(split="test")) == 4
    project.assign_splits((34, 33, 33), seed=0)  # folder splits survive an automatic re-split
    assert project.count(ImageFilter(split="train")) == 8
    project.assign_splits((34, 33, 33), seed=0, resplit_folder_splits=True, resplit_test=True)
    assert project.count(ImageFilter(split="train")) != 8


def test_unlabelled_images_get_no_split(project, tmp_path):
    import_paths(project, [write_dataset(tmp_path / "src", ("a",), per_class=5)])
    assert project.assign_splits() == {"train": 0, "val": 0, "test": 0}


def test_manual_split_and_undo(project, tmp_path):
    ids = import_paths(project, [write_dataset(tmp_path / "src", ("a",), per_class=3)],
                       labels_from_folders=True).imported
    before = project.set_split(ids[:2], "test")
    assert project.count(ImageFilter(split="test")) == 2
    project.restore_splits(before)
    assert project.count(ImageFilter(split="test")) == 0


def test_split_before_training_rule():
    # counts as Project.counts() gives them: class id (None: unlabelled) -> split (None: none) -> images
    assert needs_auto_split({1: {None: 3}, 2: {None: 1}})
    assert not needs_auto_split({1: {None: 3, "train": 1}})  # something is split: the user's choice stands
    assert not needs_auto_split({None: {"test": 1}, 2: {None: 1}})  # an unlabelled picture's split counts too
    assert not needs_auto_split({None: {None: 5}})  # nothing labelled
    assert not needs_auto_split({})
    assert labelled_unsplit({None: {None: 5}, 1: {None: 2, "val": 1}, 2: {None: 1}}) == 3


def test_a_picture_added_with_a_class_goes_to_train_once_the_project_has_splits(project, tmp_path):
    from cnnstudio.project.splits import split_for_added
    from tests.conftest import write_image

    import_paths(project, [write_dataset(tmp_path / "pets", ("cat", "dog"), per_class=4)], labels_from_folders=True)
    assert split_for_added(project.counts()) is None  # nothing split: the split before training takes it
    unsplit = import_paths(project, [write_image(tmp_path / "a.png", color=(1, 2, 3))], class_name="cat",
                           split=split_for_added(project.counts()))
    assert [r.split for r in project.records(unsplit.imported)] == [None]
    project.assign_splits((50, 25, 25))
    train = project.count(ImageFilter(split="train"))
    assert split_for_added(project.counts()) == "train"
    added = import_paths(project, [write_image(tmp_path / "b.png", color=(9, 8, 7))], class_name="dog",
                         split=split_for_added(project.counts()))
    assert [(r.split, r.split_source) for r in project.records(added.imported)] == [("train", "auto")]
    assert project.count(ImageFilter(split="train")) == train + 1
    plain = import_paths(project, [write_image(tmp_path / "c.png", color=(4, 4, 4))], class_name="dog")
    assert [r.split for r in project.records(plain.imported)] == [None]  # no split unless asked for
    with pytest.raises(ValueError):
        import_paths(project, [tmp_path / "c.png"], split="training")


def test_split_for_added_counts_only_splits():
    from cnnstudio.project.splits import split_for_added

    assert split_for_added({}) is None
    assert split_for_added({1: {None: 5}, None: {None: 2}}) is None
    assert split_for_added({1: {None: 5, "val": 1}}) == "train"
    assert split_for_added({None: {"test": 1}}) == "train"
