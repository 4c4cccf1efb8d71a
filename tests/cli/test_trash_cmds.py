"""The project's trash from a terminal: list it (``images --trashed``), count it (``info``), empty it (``trash --empty``)."""

from __future__ import annotations

from cnnstudio.project import ImageFilter, Project
from tests.cli.helpers import error_out, run
from tests.conftest import write_dataset


def _project_with_trash(tmp_path, capsys) -> tuple:
    proj = tmp_path / "p"
    assert run(capsys, "new", proj, "--json")[0] == 0
    assert run(capsys, "import", proj, write_dataset(tmp_path / "src", ("cat",), per_class=4), "--json")[0] == 0
    with Project.open(proj) as p:
        ids = p.ids()
    assert run(capsys, "trash", proj, ids[1], ids[3])[0] == 0
    return proj, ids


def test_images_lists_the_trash_and_info_counts_it(tmp_path, capsys):
    proj, ids = _project_with_trash(tmp_path, capsys)
    code, out, _ = run(capsys, "images", proj, "--trashed", "--json")
    assert code == 0 and out["total"] == 2 and out["trashed"] is True
    assert [r["id"] for r in out["images"]] == [ids[1], ids[3]]
    code, out, _ = run(capsys, "images", proj, "--json")
    assert [r["id"] for r in out["images"]] == [ids[0], ids[2]] and out["trashed"] is False
    code, text, _ = run(capsys, "images", proj, "--trashed")
    assert code == 0 and [line.split()[0] for line in text.strip().splitlines()] == [str(ids[1]), str(ids[3])]
    code, text, _ = run(capsys, "info", proj)
    assert code == 0 and f"  in the trash: 2 (list them with cnnstudio images {proj} --trashed)" in text.splitlines()
    code, out, _ = run(capsys, "info", proj, "--json")
    assert out["images"] == 2 and out["trashed"] == 2


def test_trash_empty_deletes_the_trash_for_good_and_says_how_much(tmp_path, capsys):
    proj, ids = _project_with_trash(tmp_path, capsys)
    with Project.open(proj) as p:
        files = {i: p.image_path(i) for i in ids}
        size = sum(files[i].stat().st_size for i in (ids[1], ids[3]))
    code, out, _ = run(capsys, "trash", proj, "--empty", "--json")
    assert code == 0 and out["deleted"] == 2 and sorted(out["ids"]) == [ids[1], ids[3]]
    assert out["freed_bytes"] >= size  # the pictures' files (and thumbnails, had any been made)
    assert not files[ids[1]].exists() and not files[ids[3]].exists() and files[ids[0]].exists()
    with Project.open(proj) as p:
        assert p.ids() == [ids[0], ids[2]] and p.count(ImageFilter(trashed=True)) == 0
    code, text, _ = run(capsys, "info", proj)
    assert "in the trash" not in text  # nothing to say when the trash is empty
    code, text, _ = run(capsys, "images", proj, "--trashed")
    assert text.strip() == "(no pictures in the trash)"
    code, text, _ = run(capsys, "trash", proj, "--empty")
    assert code == 0 and text.strip() == "The project's trash is empty: nothing to delete."


def test_trash_empty_says_it_in_words(tmp_path, capsys):
    proj, ids = _project_with_trash(tmp_path, capsys)
    code, text, _ = run(capsys, "trash", proj, "--empty")
    assert code == 0 and text.startswith("Deleted 2 pictures from the project's trash for good; ")
    assert text.strip().endswith("of disk space freed.")


def test_trash_empty_refuses_picture_ids_and_changes_nothing(tmp_path, capsys):
    proj, ids = _project_with_trash(tmp_path, capsys)
    code, out, err = run(capsys, "trash", proj, "--empty", ids[1])
    assert code == 1 and error_out(out, err)
    assert "--empty deletes every picture in the trash, so it takes no picture ids" in err
    assert len(err.strip().splitlines()) == 1
    code, out, err = run(capsys, "trash", proj)
    assert code == 1 and f"give the ids of the pictures to move (list them with cnnstudio images {proj})" in err
    with Project.open(proj) as p:
        assert p.count(ImageFilter(trashed=True)) == 2
        assert all(p.image_path(i).exists() for i in ids)


def test_trash_empty_says_which_files_could_not_be_deleted_and_the_project_still_opens(tmp_path, capsys):
    """A picture file the disk will not delete (here a non-empty folder of its name: unlink refuses it even for
    root) is said in one sentence; the pictures still leave the project, reading commands work, and the file is
    deleted silently once it can be."""
    proj, ids = _project_with_trash(tmp_path, capsys)
    with Project.open(proj) as p:
        stuck = p.image_path(ids[1])
        rel = stuck.relative_to(proj).as_posix()
    stuck.unlink()
    stuck.mkdir()
    (stuck / "inside").write_bytes(b"x")
    code, text, _ = run(capsys, "trash", proj, "--empty")
    assert code == 0
    assert text.splitlines()[0].startswith("Deleted 2 pictures from the project's trash for good")
    assert f"“{rel}” could not be deleted (" in text and "the next time the project is opened" in text
    for cmd in (("info",), ("images",), ("images", "--trashed")):
        assert run(capsys, *cmd, proj)[0] == 0, cmd
    code, out, _ = run(capsys, "info", proj, "--json")
    assert out["images"] == 2 and out["trashed"] == 0
    with Project.open(proj) as p:  # still pending: tried again at each opening
        assert [r[0] for r in p._con().execute("SELECT file FROM pending_files")] == [rel]
    (stuck / "inside").unlink()
    stuck.rmdir()
    stuck.write_bytes(b"left over")  # now a file again: the next opening deletes it
    with Project.open(proj) as p:
        assert not stuck.exists() and not p._con().execute("SELECT file FROM pending_files").fetchall()
