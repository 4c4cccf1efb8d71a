"""A stored picture damaged after its import (its file overwritten with garbage) stops "Evaluate again" with a
sentence that names the picture as the user imported it ("top_3.png", its class), not the project's storage path,
and says what to do. Real project, real training, real files."""

from __future__ import annotations

import shutil

import pytest

from cnnstudio.engine.data.entries import Entry
from cnnstudio.engine.data.preprocess import Preprocess
from cnnstudio.engine.data.unreadable_words import imported_name
from cnnstudio.engine.errors import DataError
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.train.settings import TrainSettings
from cnnstudio.project import ImageFilter
from tests.engine.test_data import make_project, tiny_spec


def test_evaluate_again_names_a_damaged_picture_by_its_imported_name(tmp_path):
    proj = make_project(tmp_path / "proj")
    try:
        s = TrainSettings(epochs=1, batch_size=8, lr=0.02, preprocess=Preprocess(height=8, width=8), threads=1)
        fin = list(runs.train(proj, s, tiny_spec()))[-1]
        record = proj.records(proj.ids(ImageFilter(split="test")))[0]
        (proj.root / record.file).write_bytes(b"this is not a picture at all" * 10)  # damaged on disk
        shutil.rmtree(proj.root / "cache" / "tensors")  # no decoded copy left to fall back on
        with pytest.raises(DataError) as said:
            runs.evaluate_run(proj, fin.run_id, "test")
        text = str(said.value)
        cls = next(c.name for c in proj.classes() if c.id == record.class_id)
        said_as = f"the picture “{record.original_name}” (class “{cls}”, id {record.id}) cannot be read"
        assert text.startswith(said_as), text
        assert record.file not in text and record.sha256[:7] not in text  # not the storage path
        assert "Import its original file again" in text and "Check data" in text
        assert text.count(". ") <= 1  # one sentence and its way out
    finally:
        proj.close()


def test_a_picture_numbered_by_position_keeps_its_stored_name(tmp_path):
    """The data check numbers its pictures 0, 1, 2…: a record with that id but another file is not this picture."""
    proj = make_project(tmp_path / "proj", per_class=2)
    try:
        first, second = proj.records(proj.ids())[:2]
        assert imported_name(proj.root, Entry(first.id, first.sha256, first.file, 0, "", "")) == first.original_name
        wrong = Entry(first.id, second.sha256, second.file, 0, "", "")
        assert imported_name(proj.root, wrong) == second.file.rsplit("/", 1)[-1]
    finally:
        proj.close()
