"""Validation that is always there (project side): the best run is chosen on validation only, a run without
validation is known as such, and a project with train and test but no validation gets a validation part."""

from __future__ import annotations

import pytest

from cnnstudio.project import Project, import_paths, run_records
from cnnstudio.project.health import CARVE_VALIDATION, dataset_warnings
from cnnstudio.project.splits import carve_validation, choose_validation, labelled_per_split, needs_validation
from tests.conftest import write_dataset


# ------------------------------------------------------------------ choosing the best run
def _finished(project, run_id, created_at, **summary):
    run_records.add_run(project, run_id, status="finished", summary=summary, created_at=created_at)
    (run_records.run_dir(project, run_id) / run_records.MODEL_DIR).mkdir(parents=True)


def test_best_run_breaks_ties_by_validation_loss_never_by_test(project):
    # equal validation accuracy: the lower validation loss wins, although it is older and scores worse on test
    _finished(project, "low-loss", 100.0, val_accuracy=0.9, val_loss=0.20, test_accuracy=0.70)
    _finished(project, "high-loss", 200.0, val_accuracy=0.9, val_loss=0.35, test_accuracy=0.99)
    assert run_records.best_run(project).id == "low-loss"
    # a higher validation accuracy beats any loss and any test score
    _finished(project, "accurate", 50.0, val_accuracy=0.95, val_loss=0.9, test_accuracy=0.1)
    assert run_records.best_run(project).id == "accurate"


def test_best_run_ties_on_accuracy_and_loss_go_to_the_newest_not_to_test(project):
    _finished(project, "old", 100.0, val_accuracy=0.8, val_loss=0.3, test_accuracy=0.99)
    _finished(project, "new", 200.0, val_accuracy=0.8, val_loss=0.3, test_accuracy=0.50)
    assert run_records.best_run(project).id == "new"
    # a run without a stored validation loss ranks below one with it (at equal accuracy)
    _finished(project, "newest-no-loss", 300.0, val_accuracy=0.8, test_accuracy=1.0)
    assert run_records.best_run(project).id == "new"


def test_a_search_whose_best_trial_won_hands_over_to_its_final_run(project):
    """The search's model is its final run (the best trial's settings on every training picture): chosen by the
    trial's validation score, it has none of its own, and it is what Evaluate and Predict open on."""
    _finished(project, "other", 50.0, val_accuracy=0.90, val_loss=0.3)
    _finished(project, "trial-1", 100.0, val_accuracy=0.95, val_loss=0.2, study="s1")
    _finished(project, "trial-2", 110.0, val_accuracy=0.80, val_loss=0.4, study="s1")
    assert run_records.best_run(project).id == "trial-1"  # no final run (yet): the trial itself
    _finished(project, "final", 120.0, study="s1", final_of=1, test_accuracy=0.99)
    assert run_records.best_run(project).id == "final"
    _finished(project, "better", 130.0, val_accuracy=0.97, val_loss=0.1)  # a run that beats the trial
    assert run_records.best_run(project).id == "better"
    _finished(project, "other-final", 140.0, study="s2", final_of=3)  # another search's final run: not this one
    assert run_records.best_run(project).id == "better"


def test_runs_without_validation_never_win_by_their_test_score(project):
    _finished(project, "validated", 100.0, val_accuracy=0.5, val_loss=1.0, test_accuracy=0.5)
    _finished(project, "no-val", 200.0, val_accuracy=None, test_accuracy=1.0)
    assert run_records.best_run(project).id == "validated"


def test_has_validation(project):
    info = run_records.add_run(project, "plain", status="finished", summary={"val_accuracy": 0.7})
    assert run_records.has_validation(info)
    info = run_records.add_run(project, "none", status="finished", summary={"val_accuracy": None})
    assert not run_records.has_validation(info)
    info = run_records.add_run(project, "nan", status="finished", summary={"val_accuracy": float("nan")})
    assert not run_records.has_validation(info)
    # still training: not known yet, so not marked
    assert run_records.has_validation(run_records.add_run(project, "busy", status="running"))
    # validation off (--no-val): no validation, whatever the summary says
    off = {"settings": {"validation": False}}
    assert not run_records.has_validation(run_records.add_run(project, "off", status="running", config=off))
    assert not run_records.has_validation(run_records.add_run(project, "off2", status="finished", config=off,
                                                              summary={"val_accuracy": 0.9}))
    on = {"settings": {"validation": True}}  # and an old config without the field is "on"
    assert run_records.has_validation(run_records.add_run(project, "on", status="finished", config=on,
                                                          summary={"val_accuracy": 0.9}))
    assert "test score" in run_records.NO_VALIDATION_WHY


# ------------------------------------------------------------------ a validation part taken from train
@pytest.fixture
def folders_project(tmp_path):
    """Imported from train/ and test/ folders only (the folders' splits are kept by a re-split)."""
    src = tmp_path / "src"
    write_dataset(src / "train", ("cat", "dog"), per_class=20, size=(12, 12))
    write_dataset(src / "test", ("cat", "dog"), per_class=4, size=(13, 13))  # other bytes: no duplicates
    with Project.create(tmp_path / "proj") as p:
        assert len(import_paths(p, [src], labels_from_folders=True).imported) == 48
        yield p


def test_choose_validation_is_stratified_seeded_and_keeps_a_training_picture():
    groups = {1: list(range(100, 120)), 2: list(range(200, 210)), 3: [300, 301], 4: [400]}
    chosen = choose_validation(groups, 0.15, seed=0)
    per_class = {cid: [i for i in chosen if i in ids] for cid, ids in groups.items()}
    assert [len(per_class[c]) for c in (1, 2, 3, 4)] == [3, 2, 1, 0]  # round(15 %), at least one, never the last
    assert chosen == sorted(chosen) == choose_validation(groups, 0.15, seed=0)
    assert choose_validation(groups, 0.15, seed=1) != chosen
    assert choose_validation({1: list(reversed(groups[1]))}, 0.15, 0) == per_class[1]  # order does not matter
    with pytest.raises(ValueError):
        choose_validation(groups, 0.0)
    with pytest.raises(ValueError):
        choose_validation(groups, 1.0)


def test_carve_validation_takes_val_from_train_keeps_test_and_undoes(folders_project):
    p = folders_project
    assert labelled_per_split(p.counts()) == {"train": 40, "val": 0, "test": 8}
    assert needs_validation(p.counts())
    fixes = [w for w in dataset_warnings(p) if w.fix == CARVE_VALIDATION]
    assert len(fixes) == 1 and "validation split is empty" in fixes[0].text and "test" in fixes[0].text
    # the problem: a re-split with the usual ratios keeps the folders' splits, so validation stays empty
    p.assign_splits((70, 15, 15), seed=0)
    assert labelled_per_split(p.counts())["val"] == 0

    snapshot = p.split_snapshot()
    test_before = {i for i, (s, _) in snapshot.items() if s == "test"}
    before = carve_validation(p, 0.15, seed=0)
    assert len(before) == 6 and all(s == "train" for s, _ in before.values())
    counts = p.counts()
    assert {cid: by.get("val", 0) for cid, by in counts.items()} == {c.id: 3 for c in p.classes()}  # per class
    assert labelled_per_split(counts) == {"train": 34, "val": 6, "test": 8}
    assert {i for i, (s, _) in p.split_snapshot().items() if s == "test"} == test_before
    assert not needs_validation(counts)
    assert not any(w.fix for w in dataset_warnings(p)) and not any("validation split is empty" in w.text
                                                                    for w in dataset_warnings(p))
    val_ids = {i for i, (s, _) in p.split_snapshot().items() if s == "val"}
    p.restore_splits(before)  # undo
    assert p.split_snapshot() == snapshot
    carve_validation(p, 0.15, seed=0)  # redo: the same pictures
    assert {i for i, (s, _) in p.split_snapshot().items() if s == "val"} == val_ids


def test_needs_validation_only_for_train_and_test_without_val(folders_project):
    assert not needs_validation({})
    assert not needs_validation({1: {"train": 5}})  # no test: not this fix
    assert not needs_validation({1: {"train": 5, "val": 1, "test": 2}})
    assert not needs_validation({None: {"train": 5, "test": 2}})  # unlabelled pictures do not count
    assert needs_validation({1: {"train": 5, "test": 2, None: 3}, None: {"val": 4}})
