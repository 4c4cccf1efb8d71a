"""`cnnstudio split` follows the Data page's Split rule (project/splits.py: plan_split, parse_ratios): a project
imported from train/ and test/ folders gets validation from train and keeps test, ratios must add up to 100, and a
split that leaves validation empty says so with the command that fixes it; its words are the command line's."""

from __future__ import annotations

import pytest

from cnnstudio.project import ImageFilter, Project, import_paths
from cnnstudio.project.splits import labelled_per_split
from tests.cli.helpers import error_out, run
from tests.conftest import write_dataset

GUI_WORDS = ("press", "Press", "button", "page", "tick", "Tick", "'Split'", "Ctrl+")


def _folders_project(tmp_path, test=True):
    """Imported from train/ (and test/) folders only: no validation pictures."""
    src = tmp_path / "src"
    write_dataset(src / "train", ("cat", "dog"), per_class=20, size=(12, 12))
    if test:
        write_dataset(src / "test", ("cat", "dog"), per_class=4, size=(13, 13))
    with Project.create(tmp_path / "proj") as p:
        import_paths(p, [src], labels_from_folders=True)
        return p.root, {i for i in p.ids(ImageFilter(split="test"))}


def _per_split(root) -> dict:
    with Project.open(root) as p:
        return labelled_per_split(p.counts())


def test_split_takes_validation_from_train_and_keeps_test(tmp_path, capsys):
    root, test_before = _folders_project(tmp_path)
    code, text, _ = run(capsys, "split", root)
    assert code == 0
    assert "Took 15.0% of each class's training pictures for validation; test unchanged" in text
    assert "Validation has 0 pictures" not in text and not any(w in text for w in GUI_WORDS)
    assert _per_split(root) == {"train": 34, "val": 6, "test": 8}  # 3 of each class's 20
    with Project.open(root) as p:
        assert set(p.ids(ImageFilter(split="test"))) == test_before
    # validation is there now: the next split is an ordinary re-split, which keeps the test pictures
    code, out, _ = run(capsys, "split", root, "--json")
    assert out["action"] == "resplit" and out["test_kept"] == 8 and out["counts"]["val"] > 0


def test_split_json_says_it_took_validation_from_train(tmp_path, capsys):
    root, _ = _folders_project(tmp_path)
    code, out, _ = run(capsys, "split", root, "--ratios", "60,25,15", "--json")
    assert code == 0 and out["action"] == "carve" and out["test_kept"] == 8 and "no_validation" not in out
    assert out["counts"] == {"train": 30, "val": 10, "test": 8}  # 25 % of each class's 20 training pictures


def test_resplit_folders_divides_with_the_ratios_instead(tmp_path, capsys):
    root, _ = _folders_project(tmp_path)
    code, out, _ = run(capsys, "split", root, "--resplit-folders", "--ratios", "60,20,20", "--json")
    assert code == 0 and out["action"] == "resplit" and out["ratios"] == [0.6, 0.2, 0.2]
    assert out["counts"] == {"train": 28, "val": 10, "test": 10}  # test kept, topped up to 20 % (5 of 24 a class)


def test_zero_validation_is_never_silent(tmp_path, capsys):
    root, _ = _folders_project(tmp_path)
    code, text, _ = run(capsys, "split", root, "--ratios", "85,0,15")
    assert code == 0 and _per_split(root)["val"] == 0
    said = text.strip().splitlines()[-1]
    assert said.startswith("Validation has 0 pictures: training will have nothing to choose the best epoch with;")
    assert f"cnnstudio split {root} --ratios 70,15,15" in said  # 15 % of train for validation, the test share kept
    assert not any(w in text for w in GUI_WORDS)
    # that command fixes it
    code, text, _ = run(capsys, "split", root, "--ratios", "70,15,15")
    assert code == 0 and "Validation has 0" not in text and _per_split(root)["val"] == 6


def test_zero_validation_from_a_train_folder_names_resplit_folders(tmp_path, capsys):
    root, _ = _folders_project(tmp_path, test=False)  # train/ only: a re-split keeps every picture in train
    code, out, _ = run(capsys, "split", root, "--json")
    assert code == 0 and out["counts"]["val"] == 0 and out["no_validation"] == "folders"
    code, text, _ = run(capsys, "split", root)
    assert f"cnnstudio split {root} --ratios 70,15,15 --resplit-folders" in text.splitlines()[-1]
    code, out, _ = run(capsys, "split", root, "--ratios", "70,15,15", "--resplit-folders", "--json")
    assert out["counts"] == {"train": 28, "val": 6, "test": 6} and "no_validation" not in out


def test_kept_test_is_said_as_what_split_does(tmp_path, capsys):
    proj = tmp_path / "p"
    run(capsys, "new", proj)
    run(capsys, "import", proj, write_dataset(tmp_path / "src", ("a", "b"), per_class=10), "--labels-from-folders")
    run(capsys, "split", proj, "--ratios", "60,20,20")
    code, text, _ = run(capsys, "split", proj, "--seed", "3")
    assert code == 0 and "can grow but not shrink" not in text
    assert ("cnnstudio split kept the 4 test pictures you had (unseen by any model, so test scores stay "
            "comparable); add --resplit-test to draw the test split again.") in text


@pytest.mark.parametrize("ratios, said", [("80,20,20", "--ratios add up to 120, not 100"),
                                          ("33,33,33", "--ratios add up to 99, not 100"),
                                          ("0.5,0.3,0.3", "--ratios add up to 1.1, not 1"),
                                          ("a,b,c", "--ratios 'a,b,c' must be three numbers like 70,15,15")])
def test_ratios_that_do_not_add_up_are_refused_in_one_sentence(tmp_path, capsys, ratios, said):
    """A bad option value is a usage error (exit 2: cli/common.py's rule), said in one sentence."""
    root, _ = _folders_project(tmp_path)
    before = _per_split(root)
    code, out, err = run(capsys, "split", root, "--ratios", ratios)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and said in err
    assert f" {said}" in err  # the option named as typed, not the Data page's bare "ratios"
    assert _per_split(root) == before  # nothing changed


def test_fractions_and_rounded_percentages_are_accepted(tmp_path, capsys):
    root, _ = _folders_project(tmp_path)
    code, out, _ = run(capsys, "split", root, "--ratios", "0.7,0.15,0.15", "--resplit-folders", "--json")
    assert code == 0 and out["ratios"] == [0.7, 0.15, 0.15]
    code, out, _ = run(capsys, "split", root, "--ratios", "33.3,33.3,33.3", "--resplit-folders", "--json")
    assert code == 0 and out["ratios"] == [0.333333, 0.333333, 0.333333]


def test_a_split_that_changes_nothing_says_so_and_what_would(tmp_path, capsys):
    """QA data2 #8: "... and may add some" when nothing changed, or when Test is 0 %."""
    root, _ = _folders_project(tmp_path)
    run(capsys, "split", root)  # carves validation
    code, text, _ = run(capsys, "split", root, "--ratios", "70,15,15")
    assert code == 0 and "may add" not in text
    assert ("Nothing changed: every picture kept its split (pictures from train/, val/ and test/ folders keep theirs: "
            "add --resplit-folders to draw them again).") in text
    code, text, _ = run(capsys, "split", root, "--ratios", "100,0,0")
    assert "may add" not in text and "added" not in text


def test_a_resplit_says_how_many_test_pictures_it_added(tmp_path, capsys):
    src = write_dataset(tmp_path / "src", ("cat", "dog"), per_class=20)
    with Project.create(tmp_path / "proj") as p:
        import_paths(p, [src], labels_from_folders=True)
        p.set_split(p.ids()[:2], "test")
        root = p.root
    code, text, _ = run(capsys, "split", root, "--ratios", "70,15,15")
    assert code == 0 and "cnnstudio split kept the 2 test pictures you had (unseen by any model, so test scores " \
                         "stay comparable) and added 4; add --resplit-test" in text


def test_kept_test_pictures_beyond_their_share_leave_the_others_in_their_ratio(tmp_path, capsys):
    """QA data2 #8: 50,50,0 gave validation more than train (the kept test pictures' excess came out of train)."""
    root, _ = _folders_project(tmp_path)
    code, out, _ = run(capsys, "split", root, "--ratios", "50,50,0", "--resplit-folders", "--json")
    assert code == 0 and out["counts"] == {"train": 20, "val": 20, "test": 8}  # 24 a class: 4 kept, 10 and 10


def _plain_project(tmp_path, capsys):
    """Imported without train/ and test/ folders (no split from a folder), then split 70,0,30."""
    proj = tmp_path / "plain"
    run(capsys, "new", proj)
    run(capsys, "import", proj, write_dataset(tmp_path / "flat", ("cat", "dog"), per_class=20, size=(12, 12)),
        "--labels-from-folders", "--quiet")
    code, text, _ = run(capsys, "split", proj, "--ratios", "70,0,30")
    assert code == 0 and _per_split(proj) == {"train": 28, "val": 0, "test": 12}
    return proj, text


def test_the_fix_split_gives_for_no_validation_does_what_it_says(tmp_path, capsys):
    """QA cli #1: the command split printed (--ratios 70,15,15) gave 60/10/30 and named --resplit-folders."""
    proj, text = _plain_project(tmp_path, capsys)
    said = text.strip().splitlines()[-1]
    assert said.endswith(f"give validation a share: cnnstudio split {proj} --ratios 55,15,30")
    code, out, _ = run(capsys, "split", proj, "--ratios", "55,15,30", "--json")
    assert code == 0 and out["action"] == "resplit" and "no_validation" not in out
    assert out["counts"] == {"train": 22, "val": 6, "test": 12}  # the ratios asked, the test pictures kept


def test_typed_ratios_are_applied_and_test_beyond_its_share_names_resplit_test(tmp_path, capsys):
    proj, _ = _plain_project(tmp_path, capsys)
    code, text, _ = run(capsys, "split", proj, "--ratios", "70,15,15")
    assert code == 0 and "Took 15.0%" not in text and "--resplit-folders" not in text
    assert ("cnnstudio split kept the 12 test pictures you had (unseen by any model, so test scores stay comparable); "
            "they are more than the 15.0% test share, so train and validation got less than the ratios ask: add "
            "--resplit-test to draw the test split again with them.") in text
    assert _per_split(proj) == {"train": 24, "val": 4, "test": 12}  # 14 a class left, divided 70:15
    code, out, _ = run(capsys, "split", proj, "--ratios", "70,15,15", "--resplit-test", "--json")
    assert code == 0 and out["counts"] == {"train": 28, "val": 6, "test": 6}


def test_without_ratios_validation_comes_from_train_and_no_folder_option_is_named(tmp_path, capsys):
    proj, _ = _plain_project(tmp_path, capsys)
    code, text, _ = run(capsys, "split", proj)
    assert code == 0 and "--resplit-folders" not in text
    assert ("Took 15.0% of each class's training pictures for validation; test unchanged (there were training and "
            "test pictures but no validation ones; give --ratios to re-split with them instead).") in text
    assert _per_split(proj) == {"train": 24, "val": 4, "test": 12}


def test_a_train_folder_still_has_validation_taken_from_it_with_ratios_typed(tmp_path, capsys):
    root, _ = _folders_project(tmp_path)
    code, text, _ = run(capsys, "split", root, "--ratios", "70,15,15")
    assert code == 0 and ("test unchanged (the training pictures came from a train/ folder, which a re-split keeps; "
                          "add --resplit-folders to re-split with the ratios instead).") in text
    assert _per_split(root) == {"train": 34, "val": 6, "test": 8}


def test_pictures_without_a_class_are_said_as_such_with_the_commands_that_label_them(tmp_path, capsys):
    proj = tmp_path / "proj"
    run(capsys, "new", proj)
    run(capsys, "import", proj, write_dataset(tmp_path / "src", ("a", "b"), per_class=3), "--quiet")
    code, out, err = run(capsys, "split", proj)
    assert code == 1 and error_out(out, err) and "enough" not in err
    assert err.strip() == (
        f"cnnstudio: error: nothing to split yet because no picture has a class: give pictures a class with "
        f"cnnstudio label {proj} ID... --class NAME (cnnstudio images {proj} --unlabelled lists their ids), or import "
        f"a folder with one folder per class with cnnstudio import {proj} FOLDER --labels-from-folders")
    code, out, err = run(capsys, "split", proj, "--json")
    assert code == 1 and error_out(out, err) and "no picture has a class" in out["error"]
    with Project.open(proj) as p:
        assert p.count(ImageFilter(split="train")) == 0
    # the command it names works: one labelled picture is something to split
    code, _, _ = run(capsys, "label", proj, "1", "--class", "a")
    code, out, _ = run(capsys, "split", proj, "--json")
    assert code == 0 and out["counts"]["train"] == 1
