"""``cnnstudio doctor`` keeps its check in the project, as the app does; ``--last`` prints it without checking again:
when it was made, what is still open, how many pictures changed since."""

from __future__ import annotations

from PIL import Image

from cnnstudio.cli.common import shell_command
from cnnstudio.engine.runs.doctor_kept import KEPT_FILE, load_report
from cnnstudio.project import Project
from tests.cli.helpers import error_out, run
from tests.cli.test_doctor_cmds import write_noisy


def test_doctor_keeps_its_check_and_last_prints_it(tmp_path, capsys):
    proj = tmp_path / "p"
    src = write_noisy(tmp_path / "src")
    Image.new("RGB", (12, 12), (0, 0, 0)).save(src / "cat" / "black.png")
    Image.new("RGB", (12, 12), (255, 255, 255)).save(src / "dog" / "white.png")
    assert run(capsys, "new", proj, "--json")[0] == 0
    code, out, err = run(capsys, "doctor", proj, "--last")
    assert code == 1 and error_out(out, err)
    assert err.strip().endswith("no data check is kept in this project: check the pictures with "
                                f"'{shell_command('cnnstudio', 'doctor', proj)}'") and err.count(": ") == 3  # "cnnstudio: error: " + one
    assert run(capsys, "import", proj, src, "--labels-from-folders", "--json")[0] == 0
    code, out, _ = run(capsys, "doctor", proj, "--kinds", "quality", "--json")
    assert code == 0 and "not_kept" not in out and (proj / KEPT_FILE).is_file()
    everything = out["findings"]
    flat = [f for f in everything if f["what"] == "flat"]
    assert len(flat) == 2
    with Project.open(proj) as p:  # what the app reads back
        assert [f.key for f in load_report(p).findings] == [f["key"] for f in out["findings"]]

    code, text, _ = run(capsys, "doctor", proj, "--last")
    assert code == 0 and text.startswith("Checked ") and "26 pictures were checked" in text
    assert "changed since" not in text and "almost one colour" in text
    assert run(capsys, "trash", proj, str(flat[0]["images"][0]), "--json")[0] == 0  # its fix: closed, not a change
    code, out, _ = run(capsys, "doctor", proj, "--last", "--json")
    assert code == 0 and out["changed_since"] == 0 and out["closed_since"] == 1
    assert [f["key"] for f in out["findings"]] == [f["key"] for f in everything if f != flat[0]]
    assert out["checked_at"] > 0
    assert run(capsys, "move", proj, "--to", "test", str(flat[1]["images"][0]), "--json")[0] == 0  # not a fix
    code, text, _ = run(capsys, "doctor", proj, "--last")
    again = f"run {shell_command('cnnstudio', 'doctor', proj)} again"
    assert f"1 picture moved to another split since this check; {again} to include it." in text
    assert "Check again" not in text  # the app's button: no such thing here
    assert f"{len(everything) - 1} thing" in text and "still to look at (1 fixed or kept since):" in text


def test_a_check_that_cannot_be_kept_says_so(tmp_path, capsys):
    proj = tmp_path / "p"
    src = write_noisy(tmp_path / "src", per_class=4)
    assert run(capsys, "new", proj, "--json")[0] == 0
    assert run(capsys, "import", proj, src, "--labels-from-folders", "--json")[0] == 0
    (proj / KEPT_FILE).mkdir()  # something in the way: the file cannot be written
    (proj / KEPT_FILE / "x").write_text("")
    code, out, _ = run(capsys, "doctor", proj, "--kinds", "quality", "--json")
    assert code == 0 and out["not_kept"].startswith("The results were not kept: ")
    code, text, _ = run(capsys, "doctor", proj, "--kinds", "quality")
    assert code == 0 and "  note: The results were not kept: " in text
