"""Split keeps copies of a picture in one split (project/split_together.py, splits.stratified_assignment's groups):
a group goes as a unit, stratified per class with the ratios as before, a group with a kept picture takes its split,
one whose kept pictures differ stays and is said; seeded, and without groups the draw it always was."""

from __future__ import annotations

import random

import pytest

from cnnstudio.project import ImageFilter, import_paths
from cnnstudio.project.split_together import Together, draw_splits, group_splits, together, together_words
from cnnstudio.project.splits import choose_validation, stratified_assignment, target_counts
from tests.conftest import write_dataset

RATIOS = (0.7, 0.15, 0.15)


def _old_draw(free, ratios, rng):
    """The draw before groups: shuffle, the first for test, the next for validation, the rest train."""
    target = target_counts(len(free), ratios)
    order = list(free)
    rng.shuffle(order)
    return {**{i: "test" for i in order[:target["test"]]},
            **{i: "val" for i in order[target["test"]:target["test"] + target["val"]]},
            **{i: "train" for i in order[target["test"] + target["val"]:]}}


def test_without_groups_the_draw_is_the_one_it_always_was():
    free = list(range(1, 58))
    for seed in range(5):
        assert stratified_assignment(free, {}, RATIOS, random.Random(seed)) == \
            _old_draw(free, RATIOS, random.Random(seed))
        assert choose_validation({1: free}, 0.15, seed) == sorted(
            (lambda ids: (random.Random(f"{seed}:1").shuffle(ids), ids)[1])(list(free))[:round(0.15 * 57)])


def test_a_group_shares_one_split_and_the_class_keeps_its_ratios():
    free = list(range(1, 101))
    groups = [[i, i + 1] for i in range(1, 60, 2)]  # 30 pairs and 40 single pictures
    for seed in range(20):
        out = stratified_assignment(free, {}, RATIOS, random.Random(seed), groups)
        assert set(out) == set(free)
        assert all(out[a] == out[b] for a, b in groups)
        counts = {s: sum(1 for v in out.values() if v == s) for s in ("train", "val", "test")}
        target = target_counts(100, RATIOS)
        assert all(abs(counts[s] - target[s]) <= 1 for s in counts), counts  # a pair is within one picture


def test_groups_that_share_a_picture_are_one_group():
    out = stratified_assignment(list(range(1, 21)), {}, RATIOS, random.Random(3), [[1, 2], [2, 3], [7, 8, 9]])
    assert out[1] == out[2] == out[3] and out[7] == out[8] == out[9]


def test_a_group_with_a_kept_picture_takes_its_split():
    fixed = {100: "test", 101: "train"}
    out = stratified_assignment(list(range(1, 21)), fixed, RATIOS, random.Random(0), [[5, 100], [6, 7, 101]])
    assert out[5] == "test" and out[6] == out[7] == "train"
    assert 100 not in out and 101 not in out  # kept pictures are not moved


def test_a_group_kept_in_two_splits_stays_so_and_is_said():
    fixed = {100: "test", 101: "val"}
    out = stratified_assignment(list(range(1, 21)), fixed, RATIOS, random.Random(0), [[5, 100, 101]])
    assert out[5] == "val"  # the first kept split: no further test picture repeats a validation one
    t = together([[5, 100, 101], [1, 2]], {**fixed, **out, 1: "train", 2: "train"})
    assert t == Together(kept=1, apart=1, pairs=False)
    said = together_words(t, "add --resplit-test")
    assert said == ("Kept 1 group of near-identical pictures in the same split so the test stays honest. 1 group of "
                    "near-identical pictures stays in different splits because those splits are kept: add "
                    "--resplit-test to put them together.")


def test_the_words_count_pairs_and_say_nothing_without_copies():
    assert together_words(together([[1, 2]] * 14, {1: "val", 2: "val"})) == \
        "Kept 14 pairs of near-identical pictures in the same split so the test stays honest."
    assert together_words(together([], {})) == ""
    assert together([[1, 2]], {1: "train"}) == Together(0, 0, True)  # one split picture is no pair to keep


def test_the_draw_is_seeded():
    pictures = [(i, 1 + i % 3, None, False) for i in range(1, 91)]
    groups = [[i, i + 3] for i in range(1, 80, 7)]
    assert draw_splits(pictures, RATIOS, 7, groups) == draw_splits(pictures, RATIOS, 7, groups)
    assert draw_splits(pictures, RATIOS, 7, groups) != draw_splits(pictures, RATIOS, 8, groups)


def test_a_group_across_classes_follows_its_first_class():
    pictures = [(i, 1 if i <= 30 else 2, None, False) for i in range(1, 61)]
    for seed in range(10):
        out = draw_splits(pictures, RATIOS, seed, [[3, 45], [4, 5, 50]])
        assert out[3] == out[45] and out[4] == out[5] == out[50]


def test_the_draw_builds_its_groups_once_and_draws_each_class_as_a_draw_of_that_class_alone():
    """draw_splits joins the groups once for the whole draw; each class is still the draw stratified_assignment makes
    of it alone, given the splits known by then (kept pictures, the classes drawn before), groups across classes,
    kept pictures and groups that share a picture included."""
    rng = random.Random(5)
    pictures = [(i, rng.randint(1, 4), rng.choice(["train", "test"]), True) if i % 9 == 0 else
                (i, rng.randint(1, 4), None, False) for i in range(1, 121)]
    groups = [rng.sample(range(1, 126), rng.randint(2, 4)) for _ in range(30)]
    for seed in range(5):
        known = {iid: split for iid, _, split, fixed in pictures if fixed}
        for cid in sorted({c for _, c, _, _ in pictures}):
            free = [iid for iid, c, _, fixed in pictures if c == cid and not fixed]
            fixed = {iid: split for iid, c, split, f in pictures if c == cid and f}
            known.update(stratified_assignment(free, fixed, RATIOS, random.Random(f"{seed}:{cid}"), groups, known))
        drawn = draw_splits(pictures, RATIOS, seed, groups)
        assert drawn == {iid: known[iid] for iid, _, _, fixed in pictures if not fixed}


def test_carving_validation_moves_a_group_whole():
    train = {1: list(range(1, 41)), 2: list(range(41, 61))}
    groups = [[i, i + 1] for i in range(1, 40, 2)] + [[2, 41]]
    for seed in range(10):
        chosen = set(choose_validation(train, 0.15, seed, groups))
        assert all((a in chosen) == (b in chosen) for a, b in groups)
        assert 5 <= len(chosen & set(train[1])) <= 7  # 15 % of 40 within a pair


def _project(project, tmp_path):
    import_paths(project, [write_dataset(tmp_path / "src", ("a", "b"), per_class=20)], labels_from_folders=True)
    ids = project.ids(ImageFilter())
    return ids, [ids[i:i + 2] for i in range(0, 30, 3)] + [[ids[1], ids[25]]]


def test_the_project_splits_groups_together_and_undo_restores_everything(project, tmp_path):
    ids, groups = _project(project, tmp_path)
    before = project.split_snapshot()
    counts = project.assign_splits((70, 15, 15), seed=0, groups=groups)
    assert counts == {"train": 28, "val": 6, "test": 6}
    t = together(groups, group_splits(project, groups))
    assert t == Together(len(groups), 0, True)
    assert len({r.split for r in project.records([ids[0], ids[1], ids[25]])}) == 1  # two pairs sharing a picture
    project.restore_splits(before)
    assert project.split_snapshot() == before


def test_a_kept_test_picture_draws_its_copies_into_test(project, tmp_path):
    ids, _ = _project(project, tmp_path)
    project.assign_splits((70, 15, 15), seed=0)
    test = project.ids(ImageFilter(split="test"))
    train = project.ids(ImageFilter(split="train"))
    project.assign_splits((70, 15, 15), seed=1, groups=[[test[0], train[0], train[1]]])
    assert {r.split for r in project.records([test[0], train[0], train[1]])} == {"test"}


@pytest.mark.parametrize("resplit_test", [False, True])
def test_pictures_kept_in_two_splits_stay_apart_when_kept(project, tmp_path, resplit_test):
    ids, _ = _project(project, tmp_path)
    project.assign_splits((70, 15, 15), seed=0)
    pair = [project.ids(ImageFilter(split="test"))[0], project.ids(ImageFilter(split="train"))[0]]
    project.set_split(pair[1:], "train")
    with project.transaction() as tx:  # the training picture's split came from a train/ folder
        tx.execute("UPDATE images SET split_source = 'folder' WHERE id = ?", (pair[1],))
    project.assign_splits((70, 15, 15), seed=2, resplit_test=resplit_test, groups=[pair])
    t = together([pair], group_splits(project, [pair]))
    assert t == (Together(1, 0, True) if resplit_test else Together(0, 1, True))
