"""The best run is chosen among runs scored on the same validation pictures (QA beginner 76/87: 10 pictures added
and Split pressed, and every new run ended with "'Recommended design · 3 epochs' stays the best run", a run scored on
the validation pictures of before). Real projects, real run folders made by create_run (its dataset.json: the
pictures each run is scored on), each run's end recorded as the trainer records it; one real training run."""

from __future__ import annotations

from pathlib import Path

from cnnstudio.engine.data.preprocess import Preprocess
from cnnstudio.engine.events import RunFinished
from cnnstudio.engine.model.catalog import layer
from cnnstudio.engine.model.spec import ModelSpec
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.train.settings import default_settings
from cnnstudio.project import import_paths, run_records as R
from cnnstudio.project.hold_out import held_out_ids
from cnnstudio.project.val_pictures import (VAL_FINGERPRINT, current_val_pictures, folder_val_pictures,
                                           run_val_pictures)

from .test_data import make_project, write_pattern_images

SIDE = 12
PP = Preprocess(height=SIDE, width=SIDE, channels=3, normalization="imagenet")
SPEC = ModelSpec.create(SIDE, SIDE, 3, [layer("conv2d", out_channels=2), layer("relu"), layer("global_avg_pool")])


def finished(proj, name: str, val_accuracy: float, seed: int = 0) -> str:
    """A run made as the Train page makes it (its dataset.json: the pictures now), ended as the trainer ends one."""
    run_id = runs.create_run(proj, default_settings(PP).replace(seed=seed), SPEC, name=name)
    R.update_run(proj, run_id, status="finished", summary={"val_accuracy": val_accuracy, "val_loss": 0.5})
    (R.run_dir(proj, run_id) / R.MODEL_DIR).mkdir()
    return run_id


def add_pictures(proj, where: Path, seed: int) -> None:
    write_pattern_images(where, ("top", "bottom"), per_class=6, side=SIDE, seed=seed)
    import_paths(proj, [where], labels_from_folders=True)


def test_a_run_scored_on_other_validation_pictures_is_not_compared(tmp_path):
    proj = make_project(tmp_path / "proj", per_class=12, side=SIDE)
    try:
        old = finished(proj, "Recommended design · 3 epochs", 0.95)
        add_pictures(proj, tmp_path / "more", seed=5)  # the QA's 10 apples, then Split
        proj.assign_splits((60, 20, 20), seed=3)
        new = finished(proj, "new", 0.80)
        best, why = R.best_run_why(proj, over=new)
        assert best.id == new == R.best_run(proj).id and why == R.BEST_OTHER_PICTURES  # it was "old", 95% > 80%
        assert _why(proj, over=old) == (new, R.BEST_OTHER_PICTURES)
        assert R.best_run_why(proj)[1] == R.BEST_OTHER_PICTURES  # the next best run left out
        # each run's pictures read from its dataset.json (its row is not written: choosing never writes)
        assert VAL_FINGERPRINT not in R.get_run(proj, old).summary
        assert run_val_pictures(proj, R.get_run(proj, old)) == folder_val_pictures(R.run_dir(proj, old))
        assert run_val_pictures(proj, R.get_run(proj, old)) != run_val_pictures(proj, R.get_run(proj, new))
        newer = finished(proj, "newer", 0.85)  # on the same pictures as "new": compared by their scores
        assert _why(proj, over=new) == (newer, R.BEST_BY_ACCURACY)
        # the data changed again: no run was scored on the pictures now, so every run is compared, as before
        proj.assign_splits((60, 20, 20), seed=4)
        assert _why(proj, over=new) == (old, R.BEST_BY_ACCURACY)
    finally:
        proj.close()


def test_a_class_renamed_keeps_the_runs_compared(tmp_path):
    proj = make_project(tmp_path / "proj", per_class=12, side=SIDE)
    try:
        old = finished(proj, "old", 0.95)
        proj.rename_class(proj.class_by_name("top").id, "upper")  # no score changes with a name
        new = finished(proj, "new", 0.80)
        assert _why(proj) == (old, R.BEST_BY_ACCURACY)
        assert run_val_pictures(proj, R.get_run(proj, old)) == run_val_pictures(proj, R.get_run(proj, new))
    finally:
        proj.close()


def test_a_class_renamed_holds_out_the_same_pictures(tmp_path):
    """The reviewer's case: the hold-out was seeded by the class's name, so renaming "top" changed which of its
    training pictures a run holds out, and every run before the rename was left out as scored on other pictures."""
    proj = make_project(tmp_path / "proj", per_class=20, side=SIDE)
    try:
        proj.set_split(proj.ids(_split("val")), "train")  # no validation pictures: each run holds some out
        before = current_val_pictures(proj)
        old = finished(proj, "old", 0.95)
        proj.rename_class(proj.class_by_name("top").id, "kitten")
        assert current_val_pictures(proj) == before
        new = finished(proj, "new", 0.80)
        assert folder_val_pictures(R.run_dir(proj, new)) == folder_val_pictures(R.run_dir(proj, old)) == before
        assert _why(proj) == (old, R.BEST_BY_ACCURACY)
    finally:
        proj.close()


def test_the_held_out_pictures_do_not_depend_on_the_class_name():
    train = [(i, f"{i:064x}", "cat" if i % 2 else "dog") for i in range(40)]
    renamed = [(i, sha, "kitten" if name == "cat" else name) for i, sha, name in train]
    by_id = [(i, sha, 7 if name == "cat" else 9) for i, sha, name in train]
    assert held_out_ids(train) == held_out_ids(renamed) == held_out_ids(by_id)
    assert len(held_out_ids(train)) == 6  # 3 of each class's 20
    assert held_out_ids(train, seed=1) != held_out_ids(train)


def test_a_run_recorded_under_the_first_key_is_read_and_a_trials_count_is_not(tmp_path):
    proj = make_project(tmp_path / "proj", per_class=12, side=SIDE)
    try:
        run_id = finished(proj, "old", 0.9)
        R.update_run(proj, run_id, summary={"val_pictures": "abc"})  # written by the first version of this rule
        assert run_val_pictures(proj, R.get_run(proj, run_id)) == "abc"
        R.update_run(proj, run_id, summary={"val_pictures": 8})  # a search's trial: how many it was scored on
        assert run_val_pictures(proj, R.get_run(proj, run_id)) == folder_val_pictures(R.run_dir(proj, run_id))
    finally:
        proj.close()


def test_held_out_validation_pictures_are_the_ones_a_new_run_would_hold_out(tmp_path):
    proj = make_project(tmp_path / "proj", per_class=12, side=SIDE)
    try:
        proj.set_split(proj.ids(_split("val")), "train")  # no validation pictures: each run holds some out
        old = finished(proj, "old", 0.95)
        assert folder_val_pictures(R.run_dir(proj, old)) == current_val_pictures(proj, seed=0)  # the same rule
        assert current_val_pictures(proj, seed=1) != current_val_pictures(proj, seed=0)
        add_pictures(proj, tmp_path / "more", seed=5)
        for i in proj.ids(_split("none")):
            proj.set_split([i], "train")
        new = finished(proj, "new", 0.80)
        assert R.best_run(proj).id == new
        other_seed = finished(proj, "seed 1", 0.90, seed=1)  # held out with its own seed, from today's pictures
        assert R.best_run(proj).id == other_seed
    finally:
        proj.close()


def test_a_trained_run_records_its_validation_pictures(tmp_path):
    proj = make_project(tmp_path / "proj", per_class=8, side=SIDE)
    try:
        end = list(runs.train(proj, default_settings(PP).replace(epochs=1, batch_size=8), SPEC))[-1]
        assert isinstance(end, RunFinished), end
        said = R.get_run(proj, end.run_id).summary[VAL_FINGERPRINT]
        assert said and said == folder_val_pictures(R.run_dir(proj, end.run_id)) == current_val_pictures(proj)
    finally:
        proj.close()


def _why(proj, over=None) -> tuple[str, str]:
    best, why = R.best_run_why(proj, over=over)
    return best.id, why


def _split(name: str):
    from cnnstudio.project.records import ImageFilter

    return ImageFilter(split=name)
