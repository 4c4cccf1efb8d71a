"""``cnnstudio move`` and ``cnnstudio trash``: what the Data page does with a selection, from a terminal."""

from __future__ import annotations

from cnnstudio.project import Project
from tests.cli.helpers import run
from tests.conftest import write_dataset


def test_move_and_trash_say_what_they_did(tmp_path, capsys):
    proj = tmp_path / "p"
    assert run(capsys, "new", proj, "--json")[0] == 0
    assert run(capsys, "import", proj, write_dataset(tmp_path / "src"), "--labels-from-folders", "--json")[0] == 0
    with Project.open(proj) as p:
        a, b, c = p.ids()[:3]
    code, text, _ = run(capsys, "move", proj, "--to", "val", str(a), str(b))
    assert code == 0 and text.strip() == "2 pictures now in the validation split."
    code, text, _ = run(capsys, "move", proj, "--to", "val", str(a), str(c))
    assert code == 0 and text.strip() == "2 pictures now in the validation split (1 was there already)."
    code, text, _ = run(capsys, "move", proj, "--to", "none", str(a))
    assert code == 0 and text.strip() == "1 picture now in no split."
    with Project.open(proj) as p:
        assert (p.image(a).split, p.image(b).split, p.image(c).split) == (None, "val", "val")
    code, text, _ = run(capsys, "trash", proj, str(b))
    assert code == 0 and text.strip() == f"1 picture moved to the project's trash; bring it back with: " \
                                         f"cnnstudio trash {proj} --restore {b}"
    code, _, err = run(capsys, "move", proj, "--to", "train", str(a), "999999")
    assert code == 1 and "no image with id 999999" in err  # checked before anything changes
    with Project.open(proj) as p:
        assert p.image(a).split is None and b not in p.ids()
