"""A stored picture damaged after its import stops a command with a sentence that says what to do in words the command
line can act on too (QA: it said only "move it to the trash on the Data page"): the picture's id and the 'cnnstudio
trash' command that moves it, beside the Data page's way. Real project, real training, real files."""

from __future__ import annotations

import shutil

from cnnstudio.project import ImageFilter, Project
from tests.cli.helpers import run
from tests.engine.test_data import make_project, tiny_spec


def test_a_damaged_picture_names_its_id_and_the_trash_command_that_works(tmp_path, capsys):
    make_project(tmp_path / "proj").close()
    tiny_spec().save(tmp_path / "tiny.json")
    proj = tmp_path / "proj"
    with Project.open(proj) as project:
        record = project.records(project.ids(ImageFilter(split="test")))[0]
        record_class = next(c.name for c in project.classes() if c.id == record.class_id)
    (proj / record.file).write_bytes(b"this is not a picture at all" * 10)  # damaged on disk
    shutil.rmtree(proj / "cache" / "tensors", ignore_errors=True)  # no decoded copy left to fall back on
    train = ("train", proj, "--spec", tmp_path / "tiny.json", "--epochs", "1", "--batch-size", "8", "--device",
             "cpu")
    code, out, err = run(capsys, *train)
    assert code == 1 and out.count("\n") == 1, (out, err)
    command = f"cnnstudio trash {proj} {record.id}"
    assert f"(class “{record_class}”, id {record.id}) cannot be read" in out
    assert out.rstrip().endswith(f"or move it to the trash so that new runs leave it out: on the Data page (Check data there lists every picture "
                                 f"that cannot be read), or with '{command}'."), out
    code, _, err = run(capsys, *command.split()[1:])  # the command said works as said
    assert code == 0, err
    code, _, err = run(capsys, *train, "--json")  # a new run leaves the trashed picture out
    assert code == 0, err
