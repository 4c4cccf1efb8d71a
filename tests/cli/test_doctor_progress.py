"""`cnnstudio doctor`'s progress is a percentage: its total of 100 is no count of pictures."""

from __future__ import annotations

import io

from cnnstudio.cli.doctor_cmds import Percent
from tests.cli.helpers import run
from tests.cli.test_doctor_cmds import write_noisy


def test_the_data_checks_progress_says_percent_not_a_count_of_100(tmp_path, capsys):
    proj = tmp_path / "p"
    assert run(capsys, "new", proj, "--json")[0] == 0
    assert run(capsys, "import", proj, write_noisy(tmp_path / "src", per_class=4), "--labels-from-folders",
               "--quiet")[0] == 0
    code, text, err = run(capsys, "doctor", proj, "--kinds", "quality", "--no-backbone")
    assert code == 0 and text.startswith("8 pictures checked")
    lines = [line for line in err.splitlines() if line.startswith("Checking the pictures")]
    assert lines[0].startswith("Checking the pictures: 0% ") and lines[-1].startswith("Checking the pictures: 100% ")
    assert "/100" not in err


def test_percent_progress_on_a_log_says_each_tenth_once():
    log = io.StringIO()
    progress = Percent("Checking the pictures", stream=log)
    for done in range(0, 101, 5):
        progress(done, 100, "comparing pictures")
    lines = log.getvalue().splitlines()
    assert [line.split()[3] for line in lines] == [f"{p}%" for p in range(0, 101, 10)]
