"""The exit codes' one rule (cli/common.py): a bad option value is a usage error (2, as argparse's own ``--epochs
abc``), a thing that does not exist an error (1); every non-zero exit's --json object has "error" (one sentence) and
"exit_code" (the process's), its other keys kept. ``import --json`` always counts ``no_class`` and ``no_split``.
The main commands' --help ends with an example that parses, and every --json help is in plain words (QA cli)."""

from __future__ import annotations

import pytest

from cnnstudio.cli import build_parser
from cnnstudio.cli.examples import EXAMPLES
from tests.cli.helpers import run, split_project, usage_error
from tests.conftest import write_dataset


def help_text(capsys, command: str) -> str:
    """``cnnstudio COMMAND --help`` as printed (its lines kept)."""
    with pytest.raises(SystemExit) as e:
        run(capsys, command, "--help")
    assert e.value.code == 0
    return capsys.readouterr().out


@pytest.fixture
def proj(capsys, tmp_path):
    return split_project(capsys, tmp_path, per_class=3)


@pytest.mark.parametrize("argv", [
    ["train", "{p}", "--epochs", "-1"], ["train", "{p}", "--epochs", "0"], ["train", "{p}", "--lr", "-1"],
    ["train", "{p}", "--batch-size", "0"], ["train", "{p}", "--threads", "0"], ["train", "{p}", "--nproc", "0"],
    ["train", "{p}", "--early-stopping", "-2"], ["images", "{p}", "--limit", "-1"], ["doctor", "{p}", "--folds", "1"],
    ["doctor", "{p}", "--kinds", "labels,colours"], ["evaluate", "{p}", "--mistakes", "-1"],
])
def test_a_bad_option_value_is_a_usage_error_like_an_unreadable_one(proj, capsys, argv):
    words = [a.format(p=proj) for a in argv]
    code, out, err = run(capsys, *words, "--json")
    assert code == 2 and out == {"error": out["error"], "exit_code": 2}, (argv, out, err)
    assert err.strip() == f"cnnstudio: error: {out['error']}" and out["error"].startswith(argv[2])
    if argv[2] != "--kinds":  # a number argparse cannot read: the same status
        assert usage_error(capsys, words[0], proj, argv[2], "abc", "--json")[0] == 2


def test_threads_0_is_refused_before_anything_trains(proj, capsys):
    code, _, err = run(capsys, "train", proj, "--threads", "0", "--epochs", "1")
    assert code == 2 and err == "cnnstudio: error: --threads must be 1 or more, not 0\n"
    assert run(capsys, "runs", proj, "--json")[1]["runs"] == []
    # something that does not exist stays an error (1), not a usage error
    code, out, _ = run(capsys, "label", proj, "--class", "cat", "9999", "--json")
    assert code == 1 and out["exit_code"] == 1 and "9999" in out["error"]
    code, out, _ = run(capsys, "train", proj, "--resume", "no-such-run", "--json")
    assert code == 1 and out["exit_code"] == 1


def test_a_design_with_mistakes_says_error_and_exit_code_with_its_own_keys(capsys):
    code, out, _ = run(capsys, "validate", "--preset", "classic", "--input", "28x28x1", "--classes", "0", "--json")
    assert code == 1 and out["ok"] is False and out["errors"]
    assert out["exit_code"] == 1 and isinstance(out["error"], str) and out["error"]
    assert out["error"] == out["errors"][0] if len(out["errors"]) == 1 else out["error"].endswith(out["errors"][0])
    code, out, _ = run(capsys, "validate", "--preset", "classic", "--input", "28x28x1", "--classes", "2", "--json")
    assert code == 0 and out["ok"] is True and "error" not in out and "exit_code" not in out


def test_import_counts_no_class_and_no_split_when_every_picture_is_a_duplicate(proj, capsys, tmp_path):
    src = write_dataset(tmp_path / "again", per_class=2, size=(13, 13))  # new pictures, then the same again
    code, out, _ = run(capsys, "import", proj, src, "--labels-from-folders", "--json", "--quiet")
    assert code == 0 and out["no_class"] == 0 and out["no_split"] == 2 * 2
    code, out, _ = run(capsys, "import", proj, src, "--labels-from-folders", "--json", "--quiet")
    assert code == 0 and out["duplicates"] == 4 and (out["no_class"], out["no_split"]) == (0, 0), out


@pytest.mark.parametrize("command", sorted(EXAMPLES))
def test_the_main_commands_help_ends_with_an_example_that_parses(capsys, command):
    text = help_text(capsys, command)
    assert text.rstrip().endswith(f"Example:\n  {EXAMPLES[command]}")
    words = EXAMPLES[command].split()
    assert words[:2] == ["cnnstudio", command]
    args = build_parser().parse_args(words[1:])
    assert args.command == command


@pytest.mark.parametrize("command", ["runs", "gui", "train"])
def test_every_command_says_what_it_does_and_its_json_in_plain_words(capsys, command):
    text = help_text(capsys, command)
    head = text.split("\n\n")[1]  # after the usage: the description
    assert not head.lstrip().startswith(("positional", "options")), text
    assert "regularisation" not in text and "fitted exactly" not in text and "backbone whose" not in text
    if command != "gui":
        assert "fitted in one go" in " ".join(text.split()) and 'listed under "head"' in " ".join(text.split())
