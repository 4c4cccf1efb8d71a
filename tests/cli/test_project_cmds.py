import json
import subprocess
import sys
from pathlib import Path

import pytest

from cnnstudio import __version__
from cnnstudio.cli import main
from tests.cli.helpers import run
from tests.conftest import write_dataset, write_image

ROOT = Path(__file__).resolve().parents[2]


def test_full_project_workflow_through_the_cli(tmp_path, capsys):
    proj = tmp_path / "p"
    code, out, _ = run(capsys, "new", proj, "--json")
    assert code == 0 and out["project"] == str(proj.resolve())
    src = write_dataset(tmp_path / "src", ("cat", "dog"), per_class=10)
    (src / "readme.txt").write_text("not an image")
    code, out, err = run(capsys, "import", proj, src, "--labels-from-folders", "--json")
    assert code == 0
    assert out["imported"] == 20 and out["duplicates"] == 0
    assert out["skipped"] == [{"path": str(src / "readme.txt"), "reason": "a text file, not a picture"}]
    assert "Importing" in err  # progress on stderr, never on stdout
    code, out, _ = run(capsys, "split", proj, "--ratios", "60,20,20", "--seed", "4", "--json")
    assert out["counts"] == {"train": 12, "val": 4, "test": 4} and out["test_kept"] == 0
    # split again: the test pictures stay (unseen by any model), and the user is told how to draw them again
    code, text, _ = run(capsys, "split", proj, "--ratios", "60,20,20", "--seed", "5")
    assert code == 0 and "cnnstudio split kept the 4 test pictures you had (unseen" in text
    assert "--resplit-test" in text
    code, out, _ = run(capsys, "info", proj, "--json")
    assert out["images"] == 20 and out["unlabelled"] == 0
    assert {c["name"]: c["counts"] for c in out["classes"]} == {
        "cat": {"train": 6, "val": 2, "test": 2, "unassigned": 0},
        "dog": {"train": 6, "val": 2, "test": 2, "unassigned": 0}}
    code, out, _ = run(capsys, "images", proj, "--class", "cat", "--limit", "3", "--json")
    assert out["total"] == 10 and len(out["images"]) == 3
    first = out["images"][0]["id"]
    code, out, _ = run(capsys, "label", proj, "--class", "bird", first, "--json")
    assert out == {"labelled": 1, "class": "bird", "changed": 1}
    code, out, _ = run(capsys, "class", "rename", proj, "bird", "parrot", "--json")
    assert "parrot" in [c["name"] for c in out["classes"]]
    code, out, _ = run(capsys, "class", "merge", proj, "parrot", "dog", "--json")
    assert out["moved_images"] == 1
    code, out, _ = run(capsys, "class", "recolor", proj, "dog", "#abcdef", "--json")
    assert out["color"] == "#ABCDEF"
    code, out, _ = run(capsys, "class", "delete", proj, "cat", "--json")
    assert out["unlabelled_images"] == 9
    code, out, _ = run(capsys, "label", proj, "--clear", first, "--json")
    code, out, _ = run(capsys, "info", proj, "--json")
    assert out["unlabelled"] == 10


@pytest.mark.parametrize("argv, message", [
    (["info", "{tmp}"], "not a CNN Studio project"),
    (["info", "{tmp}/missing"], "does not exist"),
    (["split", "{proj}", "--ratios", "1,2"], "three ratios"),
    (["class", "rename", "{proj}", "nosuch", "x"], "no class named “nosuch”"),
    (["label", "{proj}", "--class", "a", "99999"], "no image with id 99999"),
    (["new", "{proj}"], "already a CNN Studio project"),
    (["images", "{proj}", "--limit", "-1"], "--limit must be 0 or more, not -1"),
    (["images", "{proj}", "--offset", "-5", "--limit", "2"], "--offset must be 0 or more, not -5"),
])
def test_bad_input_is_one_line_and_non_zero(tmp_path, capsys, argv, message):
    proj = tmp_path / "p"
    main(["new", str(proj)])
    capsys.readouterr()
    code = main([a.format(tmp=tmp_path, proj=proj) for a in argv])
    out, err = capsys.readouterr()
    assert code != 0 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err


def test_with_json_an_error_is_also_one_object_on_stdout(tmp_path, capsys):
    """A script that reads stdout gets one object on failure too: the same sentence as stderr's line."""
    code, out, err = run(capsys, "info", tmp_path / "missing", "--json")
    assert code == 1 and out == {"error": err.strip().removeprefix("cnnstudio: error: "), "exit_code": 1}
    assert "does not exist" in out["error"]
    with pytest.raises(SystemExit) as e:  # a usage error (argparse's, exit 2) too
        main(["images", str(tmp_path), "--limit", "many", "--json"])
    out, err = capsys.readouterr()
    assert e.value.code == 2 and len(err.strip().splitlines()) == 1
    said = json.loads(out)
    assert said["exit_code"] == 2 and "--limit" in said["error"]
    with pytest.raises(SystemExit) as e:  # argparse takes --js for --json: so does the error object
        main(["images", str(tmp_path), "--limit", "many", "--js"])
    assert e.value.code == 2 and json.loads(capsys.readouterr().out)["exit_code"] == 2
    with pytest.raises(SystemExit):  # the flag is read per command line: no object without --json
        main(["images", str(tmp_path), "--limit", "many"])
    assert capsys.readouterr().out == ""


def test_usage_errors_are_one_line(capsys):
    with pytest.raises(SystemExit) as e:
        main(["split"])
    assert e.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_version_and_entry_point_in_a_real_process(tmp_path):
    out = subprocess.run([sys.executable, "-m", "cnnstudio", "--version"], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0 and out.stdout.strip() == f"cnnstudio {__version__}"
    write_image(tmp_path / "x" / "a.png")
    subprocess.run([sys.executable, "-m", "cnnstudio", "new", str(tmp_path / "p")], check=True, cwd=ROOT,
                   capture_output=True)
    res = subprocess.run([sys.executable, "-m", "cnnstudio", "import", str(tmp_path / "p"), str(tmp_path / "x"),
                          "--json"], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0 and json.loads(res.stdout)["imported"] == 1


def test_import_of_a_missing_path_is_refused_before_anything_is_imported(tmp_path, capsys):
    proj = tmp_path / "p"
    main(["new", str(proj)])
    src = write_dataset(tmp_path / "src", ("cat",), per_class=3)
    missing = tmp_path / "nonexistent"
    capsys.readouterr()
    code, out, err = run(capsys, "import", proj, src, missing)
    assert code == 1 and out == ""
    assert err.strip() == f"cnnstudio: error: {missing} does not exist"
    code, out, _ = run(capsys, "info", proj, "--json")
    assert out["images"] == 0  # src, given first, was not imported either


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_import_that_finds_no_picture_says_so_and_fails(tmp_path, capsys, json_flag):
    proj = tmp_path / "p"
    main(["new", str(proj)])
    empty = tmp_path / "emptydir"
    empty.mkdir()
    (empty / ".hidden.png").write_bytes(b"")  # hidden files are passed over: still no pictures
    capsys.readouterr()
    code, out, err = run(capsys, "import", proj, empty, "--quiet", *json_flag)
    assert code == 1
    said = (f"no pictures found in {empty}; 1 hidden file (.hidden.png) passed over: names starting with a dot are "
            "hidden on purpose; rename one without the dot to import it")
    assert err.strip() == f"cnnstudio: error: {said}"
    assert out == ({"imported": 0, "duplicates": 0, "skipped": [], "duplicate_files": [], "classes_created": [],
                    "classes_merged": [],
                    "restored": 0, "cancelled": False, "seconds": out["seconds"], "notes": [], "class_given": 0,
                    "untrashed": 0, "passed_over": [{"path": str(empty / ".hidden.png"), "kind": "hidden"}],
                    "no_class": 0, "no_split": 0,
                    "error": said, "exit_code": 1} if json_flag else "")


def test_import_where_every_file_is_unusable_lists_why_and_fails(tmp_path, capsys):
    proj = tmp_path / "p"
    main(["new", str(proj)])
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "notes.txt").write_text("not an image")
    (bad / "empty.png").write_bytes(b"")
    capsys.readouterr()
    code, out, err = run(capsys, "import", proj, bad, "--quiet")
    assert code == 1
    assert err.strip() == f"cnnstudio: error: no pictures could be imported from {bad}: all 2 files were skipped"
    assert [line.split(":")[0] for line in out.strip().splitlines()] == [
        f"skipped {bad / 'empty.png'}", f"skipped {bad / 'notes.txt'}"]
    code, out, _ = run(capsys, "info", proj, "--json")
    assert out["images"] == 0


def test_import_of_pictures_already_there_is_not_a_failure(tmp_path, capsys):
    proj = tmp_path / "p"
    main(["new", str(proj)])
    src = write_dataset(tmp_path / "src", ("cat",), per_class=3)
    main(["import", str(proj), str(src), "--quiet"])
    capsys.readouterr()
    code, out, err = run(capsys, "import", proj, src, "--quiet", "--json")
    assert code == 0 and out["imported"] == 0 and out["duplicates"] == 3 and err == ""


def test_import_refuses_a_class_with_labels_from_folders(tmp_path, capsys):
    proj = tmp_path / "p"
    main(["new", str(proj)])
    src = write_dataset(tmp_path / "src", ("cat", "dog"), per_class=2)
    capsys.readouterr()
    with pytest.raises(SystemExit) as e:
        main(["import", str(proj), str(src), "--class", "red", "--labels-from-folders"])
    err = capsys.readouterr().err
    assert e.value.code == 2 and err.count("\n") == 1
    assert "argument --labels-from-folders: not allowed with argument --class (see 'cnnstudio import --help')" in err
    code, out, _ = run(capsys, "info", proj, "--json")
    assert out["images"] == 0


@pytest.mark.parametrize("argv, said", [
    (["info", "{proj}", "--json", "--bogus"],
     "cnnstudio info: error: unrecognized arguments: --bogus (see 'cnnstudio info --help')"),
    (["class", "add", "{proj}", "x", "--bogus"],
     "cnnstudio class add: error: unrecognized arguments: --bogus (see 'cnnstudio class add --help')"),
    (["--bogus"], "cnnstudio: error: unrecognized arguments: --bogus (see 'cnnstudio --help')"),
])
def test_an_unknown_option_points_to_its_own_commands_help(tmp_path, capsys, argv, said):
    proj = tmp_path / "p"
    main(["new", str(proj)])
    capsys.readouterr()
    with pytest.raises(SystemExit) as e:
        main([a.format(proj=proj) for a in argv])
    out, err = capsys.readouterr()
    assert e.value.code == 2 and err == said + "\n"
    said_json = {"error": said.split(": error: ", 1)[1], "exit_code": 2}
    assert out == (json.dumps(said_json) + "\n" if "--json" in argv else "")


def test_a_failed_label_command_changes_nothing_and_huge_ids_are_just_missing(tmp_path, capsys):
    proj = tmp_path / "p"
    main(["new", str(proj)])
    main(["import", str(proj), str(write_dataset(tmp_path / "src", ("cat",), per_class=2)), "--quiet"])
    capsys.readouterr()
    for bad in ("0", "99999999999999999999999", "-99999999999999999999999"):
        code, out, err = run(capsys, "label", proj, "--class", "new class", bad, "--json")
        assert code == 1 and out == {"error": f"no image with id {bad} in this project", "exit_code": 1}, err
    code, out, _ = run(capsys, "class", "list", proj, "--json")
    assert out["classes"] == []  # no class made by the failed commands
    code, out, err = run(capsys, "images", proj, "--offset", "99999999999999999999999", "--json")
    assert code == 0 and out["images"] == [] and out["total"] == 2, err
    code, out, err = run(capsys, "images", proj, "--offset", "5")
    assert code == 0 and out.strip() == "(no pictures from --offset 5; 2 in all)"
    code, out, err = run(capsys, "label", proj, "--clear", "1")
    assert code == 0 and out.strip() == "1 picture now in “No class” (1 already was)."  # it had no class
    with pytest.raises(SystemExit) as e:  # contradictory filters are refused, not one silently dropped
        main(["images", str(proj), "--class", "nope", "--unlabelled"])
    assert e.value.code == 2 and "not allowed with" in capsys.readouterr().err


def test_importing_a_project_folder_is_refused_and_a_lost_stored_copy_comes_back(tmp_path, capsys):
    src = write_dataset(tmp_path / "src", ("cat", "dog"), per_class=2)
    old, new = tmp_path / "old", tmp_path / "new"
    for p in (old, new):
        main(["new", str(p)])
    main(["import", str(old), str(src), "--labels-from-folders", "--quiet"])
    capsys.readouterr()
    code, out, err = run(capsys, "import", new, old, "--labels-from-folders", "--quiet")
    assert code == 1 and "a CNN Studio project folder" in err  # not its thumbnails as pictures, without labels
    code, out, err = run(capsys, "import", new, old / "cache", "--quiet")  # its thumbnails: not pictures to take
    assert code == 1 and "inside the cache folder of the CNN Studio project" in err, err
    code, out, _ = run(capsys, "info", new, "--json")
    assert out["images"] == 0 and out["classes"] == []
    stored = sorted((old / "images").rglob("*.png"))
    assert len(stored) == 4
    stored[0].unlink()  # deleted by hand: the sentence says to import the original again
    code, out, err = run(capsys, "import", old, src, "--labels-from-folders", "--json")
    assert code == 0 and out["imported"] == 0 and out["restored"] == 1, err
    assert stored[0].is_file()
    code, out, err = run(capsys, "import", old, src, "--labels-from-folders")
    assert code == 0 and "restored" not in out  # nothing was missing this time
    whole = stored[1].read_bytes()
    stored[1].write_bytes(whole[: len(whole) // 2])  # cut short: damaged, put back too
    code, out, err = run(capsys, "import", old, src, "--labels-from-folders", "--json")
    assert code == 0 and out["restored"] == 1 and stored[1].read_bytes() == whole, err
    # a row naming a place outside the project's images (a project from someone else) is never written to
    import sqlite3

    outside = tmp_path / "outside.png"
    stored[2].unlink()
    with sqlite3.connect(old / "project.db") as con:
        con.execute("UPDATE images SET file = ? WHERE file = ?",
                    ("../outside.png", stored[2].relative_to(old).as_posix()))
    code, out, err = run(capsys, "import", old, src, "--labels-from-folders", "--json")
    assert code == 0 and out["restored"] == 0 and not outside.exists(), err


def test_a_new_class_gets_a_colour_no_class_has(tmp_path, capsys):
    proj = tmp_path / "p"
    main(["new", str(proj)])
    for name in ("a", "b", "c"):
        main(["class", "add", str(proj), name])
    main(["class", "delete", str(proj), "b"])
    main(["class", "add", str(proj), "d"])
    capsys.readouterr()
    code, out, _ = run(capsys, "class", "list", proj, "--json")
    colours = [c["color"] for c in out["classes"]]
    assert len(set(colours)) == 3, colours


def test_a_mistyped_command_is_said_not_opened_in_the_window(tmp_path, capsys, monkeypatch):
    """`cnnstudio trian p1` opened the desktop app (which aborts on a machine with no display)."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as e:
        main(["trian", "p1"])
    err = capsys.readouterr().err
    assert e.value.code == 2 and "'trian' is neither a command nor a project folder: did you mean " \
                                 "'cnnstudio train'?" in err


def test_import_into_a_project_folder_that_does_not_exist_says_how_to_make_it(tmp_path, capsys):
    """QA first-run #13: the next step, not only "does not exist"."""
    src = write_dataset(tmp_path / "src", ("cat",), per_class=2)
    missing = tmp_path / "My Digits"
    code, out, err = run(capsys, "import", missing, src)
    assert code == 1 and out == "" and not missing.exists()
    assert err.strip() == f"cnnstudio: error: {missing} does not exist: create it first with: cnnstudio new '{missing}'"


def test_class_and_label_name_a_class_as_every_page_does(tmp_path, capsys):
    """“cat” in curly quotes (project.names.quoted), in whole sentences, whatever the action."""
    proj = tmp_path / "p"
    run(capsys, "new", proj)
    run(capsys, "import", proj, write_dataset(tmp_path / "src", ("cat", "dog"), per_class=2), "--labels-from-folders",
        "--quiet")
    said = {argv[0]: run(capsys, "class", *argv[:1], proj, *argv[1:])[1].splitlines()[0] for argv in (
        ["add", "the best"], ["rename", "the best", "3"], ["recolor", "3", "#112233"], ["merge", "3", "dog"])}
    assert said == {"add": "Added class “the best”.", "rename": "Renamed class “the best” to “3”.",
                    "recolor": "Class “3” is now #112233.",
                    "merge": "Merged “3” into “dog”: 0 pictures moved; “3” is gone."}
    assert run(capsys, "label", proj, "1", "--class", "dog")[1].strip() == "1 picture labelled “dog”."
    deleted = run(capsys, "class", "delete", proj, "dog")[1].splitlines()[0]
    assert deleted == "Deleted class “dog”; 3 pictures now in “No class”."
