"""The rule of a class's or a run's name: one line, not empty, not too long (project/names.py)."""

from __future__ import annotations

import pytest

from cnnstudio.project import ProjectError, run_records
from cnnstudio.project.names import check_name, one_line, quoted

BREAKS = ["two\nlines", "two\r\nlines", "cr\ronly", "tab\there", "form\x0cfeed", "unicode\u2028line", "nel\x85x"]


@pytest.mark.parametrize("name", BREAKS)
def test_a_name_on_two_lines_is_refused(name):
    assert not one_line(name)
    with pytest.raises(ProjectError, match="^a run name cannot contain line breaks or tabs$"):
        check_name(name, "a run", 200)


def test_a_good_name_is_trimmed():
    assert one_line("Small VGG · 40 epochs")
    assert check_name("  Small VGG · 40 epochs \n", "a run", 200) == "Small VGG · 40 epochs"
    with pytest.raises(ProjectError, match="^a run needs a name$"):
        check_name(" \n ", "a run", 200)
    with pytest.raises(ProjectError, match="^a run name can be at most 5 characters$"):
        check_name("abcdef", "a run", 5)


@pytest.mark.parametrize("name", BREAKS)
def test_runs_follow_the_rule_on_add_and_rename(project, name):
    run_records.add_run(project, "r1", "first")
    with pytest.raises(ProjectError, match="cannot contain line breaks or tabs"):
        run_records.rename_run(project, "r1", name)
    with pytest.raises(ProjectError, match="cannot contain line breaks or tabs"):
        run_records.add_run(project, "r2", name)
    assert [(r.id, r.name) for r in run_records.list_runs(project)] == [("r1", "first")]


def test_class_names_say_the_same_words(project):
    with pytest.raises(ProjectError) as e:
        project.add_class("two\nlines")
    assert str(e.value) == "a class name cannot contain line breaks or tabs"


@pytest.mark.parametrize("name", ["No class", " no CLASS "])
def test_no_class_is_kept_for_the_pictures_without_a_class(project, name):
    """QA camera #4: a class called "No class" stood beside the class list's row of that name."""
    from cnnstudio.project.names import NO_CLASS

    said = "a class cannot be called “No class”: the Data page lists the pictures without a class under that name"
    with pytest.raises(ProjectError) as e:
        project.add_class(name)
    assert str(e.value) == said
    cid = project.add_class("cat")
    with pytest.raises(ProjectError):
        project.rename_class(cid, name)
    assert [c.name for c in project.classes()] == ["cat"]
    assert check_name("No classes", "a class", 100) == "No classes" and check_name(NO_CLASS, "a run", 100) == NO_CLASS



def test_a_name_is_said_in_curly_quotes_by_every_page_and_command():
    """One rule (quoted): a class called "3" reads as a name ("1 picture labelled “3” that the model took for “7”"),
    in the undo texts and the Evaluate page's words alike."""
    assert quoted("3") == "“3”" and quoted("the best") == "“the best”"
