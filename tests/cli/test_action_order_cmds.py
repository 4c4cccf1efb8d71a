"""A command with actions of its own (`cnnstudio class ACTION DIR ...`) given its project folder first: the usage
error says the order, with the command line put right (QA: only "invalid choice: 'P'")."""

from __future__ import annotations

from tests.cli.helpers import run, usage_error


def test_the_folder_before_the_action_is_told_the_right_order(tmp_path, capsys):
    proj = tmp_path / "p"
    assert run(capsys, "new", proj, "--json")[0] == 0
    assert run(capsys, "class", "add", proj, "cat", "--json")[0] == 0
    code, out, err = usage_error(capsys, "class", proj, "rename", "cat", "kitten")
    assert code == 2 and out == ""
    assert err == (f"cnnstudio class: error: the action comes first: cnnstudio class rename {proj} cat kitten "
                   f"(see 'cnnstudio class --help')\n")
    code, out, err = usage_error(capsys, "class", proj, "list", "--json")  # scripts get the same, as one object
    assert code == 2 and out["error"].startswith(f"the action comes first: cnnstudio class list {proj} --json")
    code, out, err = run(capsys, "class", "rename", proj, "cat", "kitten", "--json")  # the order said works
    assert code == 0 and "kitten" in str(out), err
    code, _, err = usage_error(capsys, "class", "renam", proj, "cat", "kitten")  # a mistyped action: the list
    assert code == 2 and "invalid choice: 'renam'" in err and "comes first" not in err

