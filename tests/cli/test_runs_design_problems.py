"""`cnnstudio runs --save-design` into a folder that is not there names the folder, not the project; `--design` on a
run whose design cannot be read back does not suggest `--save-design`, which would then fail."""

from __future__ import annotations

from cnnstudio.project import Project, run_records
from tests.cli.helpers import error_out, run
from tests.cli.test_runs_design_cmds import _project


def test_a_design_file_in_a_folder_that_is_not_there_names_the_folder(tmp_path, capsys):
    proj, dense, _ = _project(tmp_path)
    target = tmp_path / "no" / "such" / "design.json"
    code, out, err = run(capsys, "runs", proj, "--save-design", dense, target, "--json")
    assert code == 1 and error_out(out, err) and len(err.strip().splitlines()) == 1
    assert f"the folder {target.parent} does not exist: create it first" in err
    assert "proj" not in err.replace(str(proj), "") and not target.parent.exists()

    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    code, out, err = run(capsys, "runs", proj, "--save-design", dense, a_file / "design.json", "--json")
    assert code == 1 and error_out(out, err) and f"{a_file} is a file, not a folder" in err
    assert a_file.read_text() == "mine"


def test_a_design_that_cannot_be_read_back_is_listed_without_suggesting_save_design(tmp_path, capsys):
    proj, dense, _ = _project(tmp_path)
    with Project.open(proj) as p:
        cfg = run_records.get_run(p, dense).config
        run_records.update_run(p, dense, config={**cfg, "spec": {**cfg["spec"], "input": "8x8"}})
    code, text, err = run(capsys, "runs", proj, "--design", dense)
    assert code == 0, err
    assert "--save-design" not in text
    assert text.splitlines()[-1].startswith("This design cannot be written to a file for the Model page, because ")
    code, out, err = run(capsys, "runs", proj, "--save-design", dense, tmp_path / "design.json", "--json")
    assert code == 1 and error_out(out, err) and not (tmp_path / "design.json").exists()


def test_a_readable_design_still_suggests_save_design(tmp_path, capsys):
    proj, dense, _ = _project(tmp_path)
    code, text, _ = run(capsys, "runs", proj, "--design", dense)
    assert code == 0 and f"--save-design {dense} design.json" in text.splitlines()[-1]
