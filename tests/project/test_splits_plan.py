"""What Split does (splits.plan_split, the rule of the Data page's Split and `cnnstudio split`), why a split left
validation empty, and the dataset warnings both surfaces show: no button and no command in their shared text."""

from __future__ import annotations

import pytest

from cnnstudio.project import ImageFilter, Project, import_paths
from cnnstudio.project.health import NO_VALIDATION_GUI, NOTHING_TO_SPLIT, SPLIT_NOW, dataset_warnings
from cnnstudio.project.splits import (CARVE, NO_VAL_FEW, NO_VAL_FOLDERS, NO_VAL_RATIO, NO_VALIDATION_EFFECT,
                                      NOTHING_LABELLED, RESPLIT, apply_split, kept_test_over_share, labelled_per_split,
                                      needs_validation, nothing_labelled, plan_split, train_from_folders,
                                      why_no_validation)
from tests.conftest import write_dataset

CLI_WORDS = ("--", "cnnstudio ")
GUI_WORDS = ("press", "Press", "'Split'", "Tick", "tick", "button", "page", "Ctrl+")


def _folders(tmp_path, test=True, per_class=20) -> Project:
    src = tmp_path / "src"
    write_dataset(src / "train", ("cat", "dog"), per_class=per_class, size=(12, 12))
    if test:
        write_dataset(src / "test", ("cat", "dog"), per_class=4, size=(13, 13))
    p = Project.create(tmp_path / "proj")
    import_paths(p, [src], labels_from_folders=True)
    return p


def test_train_and_test_without_validation_takes_it_from_train(tmp_path):
    with _folders(tmp_path) as p:
        plan = plan_split(p.counts(), "70,15,15")
        assert plan.action == CARVE and plan.share == pytest.approx(0.15)
        test_before = set(p.ids(ImageFilter(split="test")))
        assert apply_split(p, plan, seed=0) == {"train": 34, "val": 6, "test": 8}
        assert set(p.ids(ImageFilter(split="test"))) == test_before
        # validation is there now: the same ratios re-split, keeping test
        again = plan_split(p.counts(), (70, 15, 15))
        assert again.action == RESPLIT and not again.resplit_test


@pytest.mark.parametrize("ratios, resplit_test, resplit_folders, why", [((85, 0, 15), False, False, NO_VAL_RATIO),
                                                                        ((70, 15, 15), True, False, NO_VAL_FOLDERS),
                                                                        ((70, 15, 15), False, True, None)])
def test_no_validation_share_or_a_redraw_asked_re_splits(tmp_path, ratios, resplit_test, resplit_folders, why):
    with _folders(tmp_path) as p:
        plan = plan_split(p.counts(), ratios, resplit_test, resplit_folders)
        assert plan.action == RESPLIT and (plan.resplit_test, plan.resplit_folders) == (resplit_test, resplit_folders)
        counts = apply_split(p, plan, seed=0)
        assert sum(counts.values()) == 48 and (counts["val"] == 0) == (why is not None)
        if why:  # the test pictures came from a test/ folder too: only re-drawing the folder splits moves them
            assert why_no_validation(plan, train_from_folders(p)) == why


def test_refused_ratios_are_refused_by_the_plan(tmp_path):
    with _folders(tmp_path) as p, pytest.raises(ValueError, match="ratios add up to 120, not 100"):
        plan_split(p.counts(), "80,20,20")


def test_why_a_split_left_validation_empty(tmp_path):
    with _folders(tmp_path, test=False) as p:  # train/ only: a re-split keeps the folder's split
        assert train_from_folders(p)
        plan = plan_split(p.counts(), (70, 15, 15))
        assert plan.action == RESPLIT and apply_split(p, plan)["val"] == 0
        assert why_no_validation(plan, train_from_folders(p)) == NO_VAL_FOLDERS
        assert why_no_validation(plan_split(p.counts(), (85, 0, 15)), True) == NO_VAL_RATIO
        fixed = plan_split(p.counts(), (70, 15, 15), resplit_folders=True)
        assert apply_split(p, fixed)["val"] == 6 and not train_from_folders(p)
    tiny = Project.create(tmp_path / "tiny")
    with tiny:
        import_paths(tiny, [write_dataset(tmp_path / "one", ("a", "b"), per_class=1)], labels_from_folders=True)
        plan = plan_split(tiny.counts(), (70, 15, 15))
        assert apply_split(tiny, plan)["val"] == 0 and why_no_validation(plan, train_from_folders(tiny)) == NO_VAL_FEW


def test_shared_warnings_name_no_button_and_no_command(tmp_path):
    with _folders(tmp_path) as p:
        (val,) = [w for w in dataset_warnings(p) if "validation split is empty" in w.text]
        assert NO_VALIDATION_EFFECT in val.text and "test pictures stay" in val.text
        assert "Take 15% of train for validation" in val.gui and val.in_app == f"{val.text} {val.gui}"
        p.set_split(p.ids(ImageFilter(split="train")), None)  # labelled, none in train
        errors = [w for w in dataset_warnings(p) if w.fix == SPLIT_NOW]
        assert len(errors) == 1 and "'Split'" in errors[0].gui
        for w in dataset_warnings(p):
            if w.level in ("warning", "error"):  # `cnnstudio doctor` shows these: neither surface's words
                assert not any(word in w.text for word in GUI_WORDS + CLI_WORDS), w.text
    with _folders(tmp_path / "t", test=False) as p:
        (val,) = [w for w in dataset_warnings(p) if "validation split is empty" in w.text]
        assert val.gui == NO_VALIDATION_GUI[NO_VAL_FOLDERS] and "Re-draw folder splits too" in val.gui
        assert labelled_per_split(p.counts()) == {"train": 40, "val": 0, "test": 0}


def _plain(tmp_path) -> Project:
    """Imported without train/ and test/ folders, then split 70/0/30 (no split came from a folder)."""
    p = Project.create(tmp_path / "plain")
    import_paths(p, [write_dataset(tmp_path / "flat", ("cat", "dog"), per_class=20, size=(12, 12))],
                 labels_from_folders=True)
    apply_split(p, plan_split(p.counts(), (70, 0, 30)))
    return p


def test_ratios_asked_are_applied_unless_the_training_split_came_from_a_folder(tmp_path):
    """QA cli #1: `split --ratios 70,15,15` took 15 % of train (60/10/30) whenever validation was empty."""
    with _plain(tmp_path) as p:
        assert needs_validation(p.counts()) and not train_from_folders(p)
        assert plan_split(p.counts(), (70, 15, 15)).action == CARVE  # ratios not asked: validation from train
        plan = plan_split(p.counts(), (55, 15, 30), ratios_asked=True, folder_splits=train_from_folders(p))
        assert plan.action == RESPLIT and not kept_test_over_share(p.counts(), plan.ratios)
        assert apply_split(p, plan) == {"train": 22, "val": 6, "test": 12}  # the ratios, test kept
    with _folders(tmp_path / "f") as p:  # the training pictures keep their train/ folder's split: carving stays
        plan = plan_split(p.counts(), (70, 15, 15), ratios_asked=True, folder_splits=train_from_folders(p))
        assert plan.action == CARVE


def test_kept_test_pictures_beyond_the_test_share_are_told_apart(tmp_path):
    with _plain(tmp_path) as p:  # 6 test pictures a class of 20: 30 %
        assert kept_test_over_share(p.counts(), (70, 15, 15))
        assert not kept_test_over_share(p.counts(), (60, 10, 30)) and not kept_test_over_share({}, (70, 15, 15))
        assert not kept_test_over_share({None: {"test": 9}}, (70, 15, 15))  # pictures without a class do not count


def test_pictures_without_a_class_are_nothing_to_split_not_too_few(tmp_path):
    """Imported without labels (some even from a train/ folder): no picture has a class, which both Split surfaces
    say as such, with the app's way of giving them one, never as "no class has enough training pictures"."""
    src = tmp_path / "src"
    write_dataset(src / "loose", ("a", "b"), per_class=3)
    write_dataset(src / "train", ("a",), per_class=2)
    with Project.create(tmp_path / "proj") as p:
        import_paths(p, [src])
        p.add_class("cat")  # a class with no picture yet is still nothing to split
        assert nothing_labelled(p.counts())
        assert NOTHING_TO_SPLIT.startswith(f"{NOTHING_LABELLED}: ") and "no picture has a class" in NOTHING_TO_SPLIT
        assert "number key" in NOTHING_TO_SPLIT and "Use folder names as class labels" in NOTHING_TO_SPLIT
        assert "enough" not in NOTHING_TO_SPLIT and not any(w in NOTHING_TO_SPLIT for w in CLI_WORDS)
        p.set_labels(p.ids()[:1], p.class_by_name("cat").id)
        assert not nothing_labelled(p.counts())
