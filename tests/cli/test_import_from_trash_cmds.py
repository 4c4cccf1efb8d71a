"""`cnnstudio import` of pictures that were in the project's trash says they came back from it, in the words of the
Data page's import report (project/import_words.py), and counts only true duplicates, in its JSON too."""

from __future__ import annotations

from cnnstudio.project import Project
from tests.cli.helpers import run
from tests.conftest import write_image


def test_pictures_back_from_the_trash_are_said_not_counted_as_duplicates(tmp_path, capsys):
    src = tmp_path / "src"
    for i in range(5):
        write_image(src / f"p{i}.png", color=(40 * i, 90, 9))
    assert run(capsys, "new", tmp_path / "p")[0] == 0
    assert run(capsys, "import", tmp_path / "p", src, "--quiet")[0] == 0
    with Project.open(tmp_path / "p") as project:
        project.delete_images(project.ids()[:2])
    code, out, err = run(capsys, "import", tmp_path / "p", src, "--quiet")
    assert code == 0, err
    first = "Imported 0 pictures, 2 pictures brought back from the trash, 3 duplicates, 0 skipped."
    assert out.splitlines()[0] == first
    with Project.open(tmp_path / "p") as project:
        project.delete_images(project.ids()[:1])
    code, out, err = run(capsys, "import", tmp_path / "p", src, "--quiet", "--json")
    assert code == 0, err
    assert (out["imported"], out["untrashed"], out["duplicates"]) == (0, 1, 4)


def test_pictures_back_from_the_trash_are_not_listed_as_files_not_imported(tmp_path, capsys):
    """The same rule as the Data page's report: a picture back from the trash came in, it is never a listed row."""
    src = tmp_path / "src"
    for i in range(3):
        write_image(src / f"p{i}.png", color=(40 * i, 90, 9))
    write_image(src / "again" / "p0.png", color=(0, 90, 9))  # the same picture twice in one import: listed
    assert run(capsys, "new", tmp_path / "p")[0] == 0
    assert run(capsys, "import", tmp_path / "p", src, "--quiet")[0] == 0
    with Project.open(tmp_path / "p") as project:
        project.delete_images(project.ids())
    code, out, err = run(capsys, "import", tmp_path / "p", src, "--quiet")
    assert code == 0, err
    assert "3 pictures brought back from the trash" in out
    assert "trash: restored" not in out and "was in the project's trash" not in out
