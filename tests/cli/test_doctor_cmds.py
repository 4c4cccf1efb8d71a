"""``cnnstudio doctor``: one JSON object with the findings; bad input is one line."""

from __future__ import annotations

import random

from PIL import Image

from cnnstudio.engine.runs.doctor_review import HEALTH
from cnnstudio.project.health import CARVE_VALIDATION
from tests.cli.helpers import run


def write_noisy(root, classes=("cat", "dog"), per_class=12):
    rng = random.Random(0)
    for name in classes:
        (root / name).mkdir(parents=True)
        for i in range(per_class):
            Image.frombytes("L", (16, 16), bytes(rng.randrange(256) for _ in range(256))).save(root / name / f"{i}.png")
    return root


def test_doctor_json_and_text(tmp_path, capsys):
    proj = tmp_path / "p"
    src = write_noisy(tmp_path / "src")
    Image.new("RGB", (12, 12), (0, 0, 0)).save(src / "cat" / "black.png")
    assert run(capsys, "new", proj, "--json")[0] == 0
    assert run(capsys, "import", proj, src, "--labels-from-folders", "--json")[0] == 0
    code, out, err = run(capsys, "doctor", proj, "--kinds", "duplicates,leaks,quality", "--json")
    assert code == 0 and out["images"] == 25 and out["kinds"] == ["duplicates", "leaks", "quality"]
    assert out["method"] and out["seconds"] >= 0 and "Checking the pictures" in err
    flat = [f for f in out["findings"] if f["kind"] == "quality" and f["what"] == "flat"]
    assert len(flat) == 1 and flat[0]["paths"][0].startswith("images/") and flat[0]["key"]
    code, text, _ = run(capsys, "doctor", proj, "--kinds", "quality")
    assert code == 0 and "pictures checked" in text and "almost one colour" in text
    # each picture by its id and the name of its file, never the store's hash path; the fix is a command
    lines = text.splitlines()
    at = next(n for n, line in enumerate(lines) if "almost one colour" in line)
    [black] = flat[0]["images"]
    assert lines[at + 1].split() == ["pictures:", f"#{black}", "black.png", "(cat)"]
    assert lines[at + 2].strip() == f"fix: cnnstudio trash {proj} {black}"
    assert "images/" not in text
    # the command it names does it (and says how to undo it): the finding is gone, the picture in the trash
    code, out, _ = run(capsys, "trash", proj, str(black), "--json")
    assert code == 0 and out["trashed"] == 1 and out["restore"] == f"cnnstudio trash {proj} --restore {black}"
    code, out, _ = run(capsys, "doctor", proj, "--kinds", "quality", "--json")
    assert not [f for f in out["findings"] if f.get("what") == "flat"]
    code, _, err = run(capsys, "move", proj, "--to", "train", str(black))
    assert code == 1 and "is in the project's trash; bring it back first with: cnnstudio trash" in err
    code, out, _ = run(capsys, "trash", proj, "--restore", str(black), "--json")
    assert code == 0 and out["restored"] == 1
    code, out, _ = run(capsys, "move", proj, "--to", "test", str(black), "--json")
    assert code == 0 and out == {"moved": 1, "changed": 1, "split": "test"}
    code, _, err = run(capsys, "trash", proj, "--restore", str(black))
    assert code == 1 and f"no picture with id {black} is in the project's trash (it is in the project)" in err
    code, _, err = run(capsys, "trash", proj, str(black))
    code, _, err = run(capsys, "trash", proj, str(black))  # pasted twice
    assert code == 1 and f"picture {black} is already in the project's trash" in err
    code, _, err = run(capsys, "trash", proj, "99999")
    assert code == 1 and "no image with id 99999" in err


def test_doctor_text_names_the_command_of_a_fix_when_there_is_one():
    from cnnstudio.cli.doctor_cmds import INDENT, _fix, _pictures
    from cnnstudio.engine.runs.doctor import Finding

    wrong = Finding("label", (7,), 0.9, "labelled “cat”, looks like “big dog”", given="cat", suggested="big dog")
    assert _fix(wrong, "my project").splitlines() == ["fix: cnnstudio label 'my project' --class 'big dog' 7",
                                                      f"{INDENT}or: cnnstudio trash 'my project' 7"]
    leak = Finding("leak", (3, 4), 1.0, "2 almost identical pictures in train and test", splits=("test", "train"))
    assert _fix(leak, "p") == "fix: cnnstudio move p --to train 3"
    assert _pictures(leak, {3: ("a.png", "cat"), 4: ("b.png", "cat")}) == "#3 a.png (cat, test), #4 b.png (cat, train)"
    many = Finding("near_duplicate", tuple(range(1, 10)), 1.0, "9 almost identical pictures")
    assert _fix(many, "p") == "fix: cnnstudio trash p 2 3 4 5 6 7 8 9"
    assert _pictures(many, {i: (f"{i}.png", "") for i in range(1, 10)}).endswith("#6 6.png and 3 more (see --json)")
    assert _fix(Finding("class", (), 0.5, "“a” and “b” are often mixed up"), "p") == ""
    twice = Finding("near_duplicate", (3, 4), 1.0, "the same picture twice with two labels", labels=("cat", "dog"))
    assert _fix(twice, "p").splitlines() == ["either: cnnstudio label p --class cat 4",
                                             f"{INDENT}or: cnnstudio label p --class dog 3",
                                             f"{INDENT}or: cnnstudio trash p 4"]
    carve = Finding("class", (), 0.5, "The validation split is empty", suggested=CARVE_VALIDATION, what=HEALTH)
    assert _fix(carve, "p") == "fix: cnnstudio split p"


def test_doctor_text_has_no_button_names(tmp_path, capsys):
    proj = tmp_path / "p"
    src = write_noisy(tmp_path / "src", per_class=4)
    assert run(capsys, "new", proj, "--json")[0] == 0
    assert run(capsys, "import", proj, src, "--labels-from-folders", "--ignore-split-folders", "--quiet")[0] == 0
    code, text, _ = run(capsys, "doctor", proj, "--kinds", "quality", "--no-backbone")
    assert code == 0 and "No picture is in a split yet" in text
    assert f"fix: cnnstudio split {proj}" in text
    words = text.replace(str(proj), "DIR").lower()
    assert "press" not in words and "'split'" not in words and "button" not in words and "click" not in words


def test_doctor_bad_input_is_one_line(tmp_path, capsys):
    proj = tmp_path / "p"
    run(capsys, "new", proj, "--json")
    code, out, err = run(capsys, "doctor", proj)
    assert code == 1 and out == "" and err.strip().count("\n") == 0 and "no pictures" in err
    code, _, err = run(capsys, "doctor", proj, "--kinds", "labels,colours")
    assert code == 2 and "unknown kind" in err  # a bad option value: a usage error (cli/common.py)
    code, _, err = run(capsys, "doctor", proj, "--folds", "1")  # the option named as typed
    assert code == 2 and "--folds must be from 2 to 20, not 1" in err
    assert run(capsys, "import", proj, write_noisy(tmp_path / "src", per_class=3), "--quiet")[0] == 0  # no labels
    code, _, err = run(capsys, "doctor", proj, "--kinds", "labels,quality")
    assert code == 1 and err.strip().endswith("the labels cannot be checked yet: label at least 2 pictures in each of "
                                              "2 classes, or check the rest only (--kinds quality)")


def test_doctor_without_the_backbone_says_so(tmp_path, capsys):
    # (the labels checked by the design per fold: tests/engine/test_doctor_folds.py)
    proj = tmp_path / "p"
    src = write_noisy(tmp_path / "src", per_class=6)
    assert run(capsys, "new", proj, "--json")[0] == 0
    assert run(capsys, "import", proj, src, "--labels-from-folders", "--json")[0] == 0
    code, out, _ = run(capsys, "doctor", proj, "--kinds", "duplicates,quality", "--no-backbone", "--json")
    assert code == 0 and out["images"] == 12
    assert "pixels" in out["method"] and "not asked for" in out["method"]


def test_doctor_that_finds_nothing_says_so_plainly(tmp_path, capsys):
    proj = tmp_path / "p"
    assert run(capsys, "new", proj, "--json")[0] == 0
    assert run(capsys, "import", proj, write_noisy(tmp_path / "src"), "--labels-from-folders", "--quiet")[0] == 0
    assert run(capsys, "split", proj, "--json")[0] == 0
    code, text, err = run(capsys, "doctor", proj, "--kinds", "duplicates,leaks,quality", "--no-backbone")
    assert code == 0, err
    assert text.splitlines()[1] == ("Nothing to look at: no near duplicates, copies leaking between the splits or "
                                    "unusable pictures found.")
    assert "Checking the pictures" in err and " 0/0 " not in err  # no step with nothing to count
    code, text, _ = run(capsys, "doctor", proj, "--kinds", "quality", "--no-backbone")
    assert text.splitlines()[1] == "Nothing to look at: no unusable pictures found."


def test_doctor_with_only_kept_findings_says_nothing_new(tmp_path, capsys):
    from cnnstudio.engine.runs.doctor import keep
    from cnnstudio.project import Project

    proj = tmp_path / "p"
    src = write_noisy(tmp_path / "src")
    Image.new("RGB", (12, 12), (0, 0, 0)).save(src / "cat" / "black.png")  # an unusable picture
    assert run(capsys, "new", proj, "--json")[0] == 0
    assert run(capsys, "import", proj, src, "--labels-from-folders", "--quiet")[0] == 0
    code, out, _ = run(capsys, "doctor", proj, "--kinds", "quality", "--no-backbone", "--json")
    assert code == 0 and out["findings"]
    with Project.open(proj) as p:
        keep(p, [f["key"] for f in out["findings"]])  # "Keep": the user looked, they are fine
    code, text, _ = run(capsys, "doctor", proj, "--kinds", "quality", "--no-backbone")
    assert text.splitlines()[1] == (f"Nothing new to look at: no unusable pictures found ({len(out['findings'])} "
                                    f"kept earlier, not shown).")


def test_doctor_prints_the_data_pages_names_explains_the_score_and_names_the_files(tmp_path, capsys):
    from cnnstudio.engine.runs.doctor_findings import KIND_TITLES

    proj = tmp_path / "p"
    src = write_noisy(tmp_path / "src")
    Image.new("RGB", (12, 12), (0, 0, 0)).save(src / "cat" / "black.png")
    assert run(capsys, "new", proj, "--json")[0] == 0
    assert run(capsys, "import", proj, src, "--labels-from-folders", "--quiet")[0] == 0
    # the printed name of a group is taken by --kinds, as the check's own word is
    code, text, _ = run(capsys, "doctor", proj, "--kinds", "Pictures that may be unusable", "--no-backbone")
    assert code == 0, text
    lines = text.splitlines()
    assert KIND_TITLES["quality"] == "Pictures that may be unusable"
    assert any(line.startswith("  Pictures that may be unusable (") for line in lines)
    assert "how likely it is a real problem, from 0 to 1" in lines[2]
    assert "quality " not in text and "near_duplicate" not in text
    code, out, _ = run(capsys, "doctor", proj, "--kinds", "quality", "--no-backbone", "--json")
    assert code == 0 and out["kinds"] == ["quality"]
    flat = next(f for f in out["findings"] if f["what"] == "flat")
    assert flat["original_names"] == ["black.png"] and flat["paths"][0].startswith("images/")
    code, out, _ = run(capsys, "doctor", proj, "--last", "--json")
    assert code == 0 and next(f for f in out["findings"] if f["what"] == "flat")["original_names"] == ["black.png"]
