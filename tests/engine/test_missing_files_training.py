"""Training never uses the decoded copy it cached of a picture whose file was deleted by hand from the project folder:
it refuses with the sentence the Data page's health says, whose fix is there (QA together #8: training went on with
the cached pixels, nothing said). Refused rather than left out, as a picture without a cached copy already is (its
file cannot be read): the Data page's counts and the run's pictures stay the same pictures. Real project, real files
deleted, real PyTorch."""

from __future__ import annotations

import os

import pytest

from cnnstudio.engine.data.prepare import prepare
from cnnstudio.engine.errors import DataError
from cnnstudio.project.missing_files import missing_words
from tests.cli.helpers import run
from tests.engine.test_data import PP8, make_project


def test_a_picture_whose_file_is_gone_is_refused_though_its_pixels_are_cached(tmp_path):
    with make_project(tmp_path / "proj") as project:
        first = prepare(project, PP8)  # the pixels decoded and cached
        assert first.decoded == 40
        gone = project.ids()[:2]
        for i in gone:
            os.remove(project.image_path(i))
        with pytest.raises(DataError) as e:
            prepare(project, PP8)
        assert str(e.value) == missing_words(2)
        project.delete_images(gone)  # the health's fix: the rest train
        assert len(prepare(project, PP8).entries) == 38


def test_cnnstudio_train_says_the_sentence_and_makes_no_run(tmp_path, capsys):
    with make_project(tmp_path / "proj") as project:
        prepare(project, PP8)
        os.remove(project.image_path(project.ids()[5]))
    code, out, err = run(capsys, "train", tmp_path / "proj", "--epochs", "1")
    assert code != 0 and out == "" and err.strip().endswith(missing_words(1))
    code, out, _ = run(capsys, "runs", tmp_path / "proj", "--json")
    assert out["runs"] == []  # refused before a run was made


def test_the_health_says_an_error_for_the_missing_pictures_a_run_refuses_and_only_those(tmp_path):
    """The health's rule of which missing pictures block training (project/missing_files.training_uses) is the run's
    own (entries.dataset_entries and check_files): a missing picture with no class, or in no split while others are
    split, leaves training to go on, and the health says it at a lower level."""
    from cnnstudio.project.health import MISSING_FILES, dataset_warnings
    from cnnstudio.project.missing_files import missing_health_words
    from cnnstudio.project.records import ImageFilter

    with make_project(tmp_path / "proj") as project:
        train = project.ids(ImageFilter(split="train"))
        project.set_labels([train[0]], None)  # split, no class
        project.set_split([train[1]], None)  # labelled, no split while the others have one
        for i in train[:2]:
            os.remove(project.image_path(i))
        (w,) = [w for w in dataset_warnings(project) if w.about == MISSING_FILES]
        assert (w.level, w.text) == ("warning", missing_health_words(2, 0))
        assert len(prepare(project, PP8).entries) == 38  # the run goes on without them
        os.remove(project.image_path(train[2]))
        (w,) = [w for w in dataset_warnings(project) if w.about == MISSING_FILES]
        assert (w.level, w.text) == ("error", missing_health_words(3, 1))
        with pytest.raises(DataError) as e:
            prepare(project, PP8)
        assert str(e.value) == missing_words(1)
