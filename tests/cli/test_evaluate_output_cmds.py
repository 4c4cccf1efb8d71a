"""`cnnstudio evaluate`'s text reads as the Evaluate page does (QA 9): every header over its column, shares through
the one rounding rule, F1 as 0.82, a confusion matrix headed by the predicted classes, and a --help that says what
the command and each option do."""

from __future__ import annotations

import re

import pytest

from cnnstudio.cli import main
from cnnstudio.cli.evaluate_cmds import VAL_WORDS, _matrix_lines, table
from cnnstudio.engine.use.figures import class_ranges, percent, range_text
from tests.cli.helpers import run
from tests.engine.test_data import make_project, tiny_spec


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A project with classes of different lengths ("top", "bottom row") and one short real run."""
    root = tmp_path_factory.mktemp("ev")
    make_project(root / "proj", classes=("top", "bottom row")).close()
    tiny_spec().save(root / "tiny.json")
    code = main(["train", str(root / "proj"), "--spec", str(root / "tiny.json"), "--epochs", "1", "--batch-size",
                 "8", "--device", "cpu", "--seed", "1", "--json"])
    assert code == 0
    return root / "proj"


def _cells(line: str) -> list[str]:
    return re.split(r" {2,}", line.strip())


def _ends(line: str) -> list[int]:
    """Where each cell of a table line ends (cells are apart by two spaces or more)."""
    return [m.end() for m in re.finditer(r"\S+(?: \S+)*", line)]


def _block(text: str, title: str) -> list[str]:
    """The lines of the table under the line starting with ``title``, up to the next unindented line."""
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith(title)) + 1
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith("  ")), len(lines))
    return lines[start:end]


def test_the_scores_table_lines_up_and_reads_as_the_evaluate_page(trained, capsys):
    code, ev, _ = run(capsys, "evaluate", trained, "--json")
    assert code == 0
    code, text, _ = run(capsys, "evaluate", trained)
    assert code == 0
    head, *rows = _block(text, "scores per class")
    assert _cells(head) == ["class", "precision", "recall", "recall, 95% range", "F1", "pictures"]
    assert len(rows) == len(ev["classes"]) + 1
    ends = _ends(head)
    for row in rows[:-1]:  # every number ends where its header ends: right-aligned under it
        assert _ends(row)[1:] == ends[1:], (head, row)
        assert row.index(_cells(row)[0]) == head.index("class") == 2
    assert _ends(rows[-1])[1:] == [ends[1], ends[2], ends[4], ends[5]]  # the average has no range of its own
    ranges = class_ranges(ev)
    for name, row in zip(ev["classes"], rows):
        m, r = ev["per_class"][name], ranges[name]["recall"]
        assert _cells(row) == [name, percent(m["precision"]), percent(m["recall"]),
                               "—" if r is None else range_text(*r), f"{m['f1']:.2f}", str(m["support"])]
        assert re.fullmatch(r"[01]\.\d\d", _cells(row)[4])  # F1 as 0.82, never "81.63%"
    mac = ev["macro"]
    assert _cells(rows[-1]) == ["average", percent(mac["precision"]), percent(mac["recall"]), f"{mac['f1']:.2f}",
                                str(ev["images"])]
    assert not re.search(r"\d\.\d\d%", text)  # no two-decimal shares anywhere: the one rule gives one decimal


def test_the_confusion_matrix_is_headed_by_the_predicted_classes(trained, capsys):
    code, ev, _ = run(capsys, "evaluate", trained, "--split", "val", "--json")
    code, text, _ = run(capsys, "evaluate", trained, "--split", "val")
    assert code == 0
    assert "confusion matrix (rows: true class, columns: predicted class):" in text.splitlines()
    head, *rows = _block(text, "confusion matrix")
    assert _cells(head) == ev["classes"]
    assert [_cells(r) for r in rows] == [[name, *map(str, row)] for name, row in zip(ev["classes"],
                                                                                   ev["confusion_matrix"])]
    for row in rows:
        assert _ends(row)[1:] == _ends(head)  # each count under its predicted class
    # a long class name is cut in the header, so one class cannot make the matrix run off the screen
    lines = _matrix_lines(["cat", "a very long class name indeed"], [[3, 1000], [0, 12]])
    assert _cells(lines[1]) == ["cat", "a very long…"]
    assert _cells(lines[3]) == ["a very long…", "0", "12"] and _ends(lines[3])[1:] == _ends(lines[2])[1:]
    assert _ends(lines[2])[1:] == _ends(lines[1])


def test_a_table_right_aligns_its_numbers_header_included():
    lines = table(("id", "file", "confidence"), [("7", "a.png", "9.5%"), ("1597", "long_name.png", "100%")],
                  right=(0, 2))
    assert lines == ["    id  file           confidence",
                     "     7  a.png                9.5%",
                     "  1597  long_name.png        100%"]


def test_evaluate_help_says_what_it_does_and_every_option(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["evaluate", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    description = out.split("\n\n")[1]
    assert description.startswith("Score a trained run") and "%%" not in out
    options = out.split("options:")[1]
    for option in ("--run", "--split", "--device", "--mistakes", "--json"):
        said = options.split(option, 1)[1].split("\n  -")[0]
        assert re.search(r"[a-z]{3,}", said.split("}")[-1].replace(option, "")), (option, said)
    assert "where to run the model" in options


def test_test_scores_say_they_are_for_the_end_and_validation_scores_do_not(trained, capsys):
    """The validation split is the default (a plain evaluate is no look at the test score: seen_scores); test scores
    carry the Evaluate page's sentence, in the text and as `split_note` in --json, and the help says to look at the
    test pictures once, on purpose, with --split test."""
    from cnnstudio.project.split_roles import TEST_FOR_THE_END
    from cnnstudio.ui.evaluate.split_words import TEST_FOR_THE_END as page_words

    assert page_words == TEST_FOR_THE_END  # one sentence for the page and the command line
    code, ev, _ = run(capsys, "evaluate", trained, "--json")
    assert code == 0 and ev["split"] == "val" and ev["split_note"].startswith(VAL_WORDS)
    code, text, _ = run(capsys, "evaluate", trained, "--split", "val")
    assert code == 0 and ", val split:" in text.splitlines()[0] and TEST_FOR_THE_END not in text
    code, text, _ = run(capsys, "evaluate", trained, "--split", "test")
    assert code == 0
    lines = text.splitlines()
    assert ", test split:" in lines[0] and lines[1] == TEST_FOR_THE_END
    code, ev, _ = run(capsys, "evaluate", trained, "--split", "test", "--json")
    assert code == 0 and ev["split"] == "test" and ev["split_note"] == TEST_FOR_THE_END and "accuracy" in ev
    with pytest.raises(SystemExit):
        main(["evaluate", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "look at them once, on purpose, with --split test" in help_text
    assert "val (the default: the validation pictures, to compare runs and choose one)" in help_text


def test_a_mistake_the_model_was_sure_of_is_never_said_100_percent():
    """float32's softmax reads 1.0 where the model is only very sure: "> 99.9%", as the window says (QA beginner)."""
    from cnnstudio.cli.evaluate_cmds import _mistake_lines

    lines = _mistake_lines([{"id": 3, "true": "apples", "predicted": "cherries", "confidence": 1.0}], {3: "b.png"}, 5)
    assert lines[-1].endswith("> 99.9%") and "100%" not in "\n".join(lines)
