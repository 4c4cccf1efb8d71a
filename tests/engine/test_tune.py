"""The search (engine/tune): real Optuna, real runs on a tiny project, the space's checks, the summary."""

from __future__ import annotations

import json
import threading

import optuna
import pytest

from cnnstudio.engine.data.preprocess import Preprocess
from cnnstudio.engine.model.presets import make_preset, scaled_default
from cnnstudio.engine.train.settings import TrainSettings
from cnnstudio.engine.tune import events as T
from cnnstudio.engine.tune.overview import list_studies, show_study
from cnnstudio.engine.tune.results import LOOK_LATER, MIN_FINISHED_TO_TELL, importances, say_importances
from cnnstudio.engine.use.figures import percent
from cnnstudio.project.seen_scores import mark_test_seen
from cnnstudio.engine.tune.space import SpaceError, apply_params, default_space, parse_space, scale_augment
from cnnstudio.engine.tune.storage import TuneError, journal_path, open_storage
from cnnstudio.engine.tune.study import EPOCHS_ATTR, open_study, prepare, same_settings_run, tune
from cnnstudio.engine.events import RunFinished
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.errors import DataError
from cnnstudio.project import run_records
from tests.engine.test_data import make_project

PP = Preprocess(height=8, width=8, channels=1, normalization="dataset")
SPACE = {"epochs": 2, "params": {"lr": {"low": 1e-3, "high": 0.1, "log": True}, "blocks": {"low": 1, "high": 2},
                                 "width": 0.25}}


def settings(**kw) -> TrainSettings:
    return TrainSettings(**{**dict(epochs=2, batch_size=8, lr=0.02, preprocess=PP, threads=1), **kw})


@pytest.fixture
def proj(tmp_path):
    p = make_project(tmp_path / "proj")
    yield p
    p.close()


def test_the_default_preset_is_the_scaled_default_with_its_defaults():
    for hwc in ((28, 28, 1), (200, 150, 3), (16, 16, 1)):
        assert make_preset("default", *hwc).to_json() == scaled_default(*hwc).to_json()
    deeper = scaled_default(28, 28, 1, blocks=4, width_multiplier=0.5, dropout=0.0).to_json()
    convs = [layer for layer in deeper["layers"] if layer["type"] == "conv2d"]
    assert [c["params"]["out_channels"] for c in convs] == [16, 32, 32, 64, 64, 128]
    assert not any(layer["type"] == "dropout" for layer in deeper["layers"])


@pytest.mark.parametrize("space, words", [
    ([], "must be a JSON object"),
    ({"params": {}}, "no parameters"),
    ({"params": {"lrr": {"low": 1, "high": 2}}}, "did you mean 'lr'"),
    ({"params": {"lr": {"low": 0.1, "high": 0.01}}}, "range is empty"),
    ({"params": {"lr": {"low": 0, "high": 0.1, "log": True}}}, "log range must start above 0"),
    ({"params": {"batch_size": {"choices": []}}}, "non-empty list"),
    ({"params": {"batch_size": {"choices": [0, 8]}}}, "not a valid setting"),
    ({"params": {"optimizer": {"choices": ["adamw", "rmsprop"]}}}, "not a valid setting"),
    ({"params": {"lr": 0.01}}, "every parameter of the search space is fixed"),
    ({"epochs": 0, "params": {"lr": {"low": 0.001, "high": 0.01}}}, "'epochs'"),
    ({"params": {"lr": {"low": 0.001, "high": 0.01, "step": 2}}}, "unknown key 'step'"),
    ({"params": {"blocks": {"low": 1.5, "high": 3}}}, "whole numbers"),
])
def test_a_bad_space_is_one_sentence(space, words):
    with pytest.raises(SpaceError) as e:  # a space file's words (cnnstudio tune --space), by its JSON keys
        parse_space(space)
    assert words in e.value.in_file


@pytest.mark.parametrize("space, said", [
    ({"params": {}}, "Tick at least one setting to search."),
    ({"params": {"batch_size": {"choices": []}}}, "Tick at least one batch size to try."),
    ({"params": {"optimizer": {"choices": []}}}, "Tick at least one optimizer to try."),
    ({"params": {"lr": {"low": 0, "high": 0.1, "log": True}}},
     "The learning rate's smallest value must be more than 0."),
    ({"params": {"lr": {"low": 0, "high": 0.1}}}, "The learning rate's smallest value must be more than 0."),
    ({"params": {"lr": {"low": 0.001, "high": 50}}}, "The learning rate's largest value must be 10 or less."),
    ({"params": {"lr": 50, "batch_size": {"choices": [8]}}}, "The learning rate's largest value must be 10 or less."),
    ({"params": {"lr": {"low": 0.1, "high": 0.03}}},
     "Learning rate: the range is empty (the smallest value, 0.1, must be below the largest, 0.03)."),
    ({"params": {"blocks": {"low": 1.5, "high": 3}}}, "The network depth takes whole numbers."),
])
def test_a_bad_space_from_the_form_is_said_in_plain_words(space, said):
    with pytest.raises(SpaceError) as e:  # the Tune page shows these: the settings by their names, no JSON
        parse_space(space)
    assert str(e.value) == said
    assert parse_space({"params": {"lr": {"low": 1e-4, "high": 10, "log": True}}}).ranges[0].high == 10


def test_structure_only_for_the_built_in_design():
    with pytest.raises(SpaceError) as e:
        parse_space({"params": {"blocks": {"low": 1, "high": 3}}}, structure_allowed=False)
    assert "your own design can only be tuned on the training settings" in e.value.in_file
    assert str(e.value).startswith("Network depth, width and dropout can only be searched for the built-in design")
    assert "blocks" not in default_space(structure=False)["params"]
    assert parse_space(default_space()).searched == list(default_space()["params"])


def test_params_change_settings_and_structure():
    base = settings()
    s, spec = apply_params({"lr": 0.005, "augment": 2.0, "blocks": 1, "width": 0.5, "dropout": 0.0}, base,
                           {"design": "default", "input": (8, 8, 1)})
    assert s.lr == 0.005 and s.augment.rotation == 20.0 and s.augment.scale_max == pytest.approx(1.2)
    assert spec == scaled_default(8, 8, 1, 1, 0.5, 0.0).to_json()
    assert apply_params({"lr": 0.005}, base, {"design": "fixed"})[1] is None
    assert scale_augment(base.augment, 0.0).rotation == 0.0


def test_a_small_study_finishes_with_a_best_run_and_plain_words(proj):
    setup = prepare(proj, settings=settings(), space=SPACE, study="small")
    events = list(tune(proj, setup, trials=3))
    assert isinstance(events[0], T.StudyStarted) and events[0].trials_before == 0
    ended = [e for e in events if isinstance(e, T.TrialEnded)]
    assert [e.number for e in ended] == [0, 1, 2]
    assert ended[0].params["lr"] == 0.02  # trial 0 is the starting point
    assert any(isinstance(e, T.TrialEpoch) for e in events)
    last = events[-1]
    assert isinstance(last, T.StudyEnded) and last.reason == "trials"
    s = last.summary
    assert s["trials"] == 3 and s["complete"] + s["pruned"] + s["failed"] == 3 and s["complete"] >= 1
    best = s["best"]
    info = run_records.get_run(proj, best["run"])
    assert info.status == "finished" and info.summary["study"] == "small" and info.summary["trial"] == best["number"]
    assert best["val_accuracy"] == pytest.approx(info.summary["val_accuracy"])
    # its test score is looked at once, on purpose (seen_scores): not in the summary until then
    assert "test_accuracy" not in best and best["test_seen"] is False
    assert s["starting_point"]["number"] == 0 and s["said"].startswith("Best: trial")
    assert 0 <= s["bookkeeping_seconds"] < s["wall_seconds"]
    for e in ended:  # each trial is an ordinary run of the project, tagged with its study, named for people
        info = run_records.get_run(proj, e.run_id)
        assert info.summary["trial"] == e.number
        assert info.name.endswith(f" · 2 epochs · search small, trial {e.number + 1}"), info.name
    # a trial's run trains the structure it was given
    cfg = json.loads((run_records.run_dir(proj, ended[1].run_id) / "config.json").read_text())
    assert cfg["spec"] == scaled_default(8, 8, 1, ended[1].params["blocks"], 0.25).to_json()
    # ... and its details say the search made that design, not "your design (2 convolutions)" as if the user had
    blocks = ended[1].params["blocks"]
    assert cfg["design"] == f"Search small, trial 2: {blocks} convolution{'s' if blocks != 1 else ''}"
    # read back: the list and the study
    assert [x["study"] for x in list_studies(proj)] == ["small"]
    shown = show_study(proj, "small")
    assert [r["number"] for r in shown["rows"]] == [0, 1, 2] and shown["space"] == parse_space(SPACE).to_json()
    assert "test_accuracy" not in shown["best"] and shown["best"]["test_seen"] is False
    mark_test_seen(proj, best["run"])  # looked at on purpose (Evaluate, test pictures): now it is said
    seen = show_study(proj, "small")["best"]
    assert seen["test_seen"] is True and seen["test_accuracy"] == pytest.approx(
        run_records.get_run(proj, best["run"]).summary["test_accuracy"])
    # continue: --trials counts the whole study
    more = list(tune(proj, prepare(proj, settings=settings(), space=SPACE, study="small"), trials=4))
    assert more[0].trials_before == 3 and [e.number for e in more if isinstance(e, T.TrialEnded)] == [3]


def test_a_search_of_the_users_own_design_says_it_as_the_users(proj):
    """A search that only tries settings leaves the design as the user made it: its runs say "your design"."""
    from tests.engine.test_data import tiny_spec

    setup = prepare(proj, settings=settings(), spec=tiny_spec(), study="own",
                    space={"epochs": 1, "params": {"lr": {"low": 1e-3, "high": 0.1, "log": True}}})
    ended = [e for e in tune(proj, setup, trials=1) if isinstance(e, T.TrialEnded)]
    cfg = json.loads((run_records.run_dir(proj, ended[0].run_id) / "config.json").read_text())
    assert cfg["design"] == "your design (1 convolution)"


def test_auto_epochs_trial_zero_chooses_and_every_later_trial_trains_as_long(proj):
    # the starting settings are Auto too: trial 0 times its batches and the study keeps its epochs
    start = settings(epochs=0, time_budget_s=1e6, min_epochs=2, max_epochs=3)
    space = {"params": {"lr": {"low": 1e-3, "high": 0.1, "log": True}}}
    setup = prepare(proj, settings=start, space=space, study="auto")
    assert setup.space.epochs == 0 and setup.space.to_json()["epochs"] == "auto"
    events = list(tune(proj, setup, trials=3))
    started = [e for e in events if isinstance(e, T.TrialEpoch)]
    per_trial = {e.number: e.epochs for e in started}
    assert per_trial == {0: 3, 1: 3, 2: 3}  # a huge budget: Auto's cap, then the same for every trial
    study = optuna.load_study(study_name="auto", storage=open_storage(proj, None))
    assert study.user_attrs[EPOCHS_ATTR] == 3 and events[-1].summary["epochs_per_trial"] == 3
    for e in events:
        if isinstance(e, T.TrialEnded):  # the runs after trial 0 were told the number, not Auto
            cfg = json.loads((run_records.run_dir(proj, e.run_id) / "config.json").read_text())
            assert cfg["settings"]["epochs"] == (0 if e.number == 0 else 3)
    # starting settings with their own epochs: "auto" means those
    fixed = prepare(proj, settings=settings(epochs=2), space=space, study="auto-fixed")
    assert fixed.settings.epochs == 2


def test_auto_epochs_follow_the_run_of_the_same_settings_and_trial_zero_trains_it_again(proj):
    start = settings(epochs=0, time_budget_s=1e6, min_epochs=2, max_epochs=3)
    space = {"params": {"lr": {"low": 1e-3, "high": 0.1, "log": True}}}
    setup = prepare(proj, settings=start, space=space, study="again")
    ran = list(runs.train(proj, setup.settings, make_preset("default", 8, 8, 1)))[-1]
    assert isinstance(ran, RunFinished) and ran.epochs == 3  # the user's run: Auto chose 3
    assert same_settings_run(proj, setup) == (ran.run_id, 3)
    assert same_settings_run(proj, prepare(proj, settings=start.replace(lr=0.05), space=space)) is None
    events = list(tune(proj, setup, trials=1))
    trial0 = next(e for e in events if isinstance(e, T.TrialEnded))
    cfg = json.loads((run_records.run_dir(proj, trial0.run_id) / "config.json").read_text())
    assert cfg["settings"]["epochs"] == 3  # told, not timed
    mine, again = run_records.get_run(proj, ran.run_id).summary, run_records.get_run(proj, trial0.run_id).summary
    # Auto's timing leaves the random state alone: trial 0 is the same run, to the last digit
    assert (again["val_accuracy"], again["val_loss"]) == (mine["val_accuracy"], mine["val_loss"])


def test_a_hopeless_trial_is_pruned_at_its_first_look_and_keeps_the_epochs_it_finished(proj):
    setup = prepare(proj, settings=settings(), space={"epochs": 4, "params": {"lr": {"low": 1e-9, "high": 0.1,
                                                                                       "log": True}}},
                    study="prune")
    study = open_study(proj, setup)  # trial 0: the starting point (lr 0.02)
    for lr in (0.03, 0.05, 0.01, 1e-9):
        study.enqueue_trial({"lr": lr})
    events = list(tune(proj, setup, trials=5))
    ended = {e.number: e for e in events if isinstance(e, T.TrialEnded)}
    assert ended[4].params["lr"] == 1e-9 and ended[4].state == "pruned"
    assert sorted(optuna.load_study(study_name="prune", storage=open_storage(proj, None)).trials[4]
                  .intermediate_values) == [0]  # it learns nothing: stopped half-way through its first epoch
    info = run_records.get_run(proj, ended[4].run_id)
    assert info.status == "stopped" and info.summary["pruned"] is True
    trials = optuna.load_study(study_name="prune", storage=open_storage(proj, None)).trials
    for t in trials:  # every trial is judged first half-way through its first epoch (step 0), then per epoch
        if t.state in (optuna.trial.TrialState.COMPLETE, optuna.trial.TrialState.PRUNED):
            assert min(t.intermediate_values) == 0
    assert sorted(trials[0].intermediate_values) == [0, 1, 2, 3, 4]
    metrics = run_records.run_dir(proj, ended[4].run_id) / "metrics.jsonl"
    curve = [json.loads(line) for line in metrics.read_text().splitlines()] if metrics.exists() else []
    assert len(curve) == len(trials[4].intermediate_values) - 1 < 4  # the epochs it finished are kept
    assert ended[4].val_accuracy == max(trials[4].intermediate_values.values())  # the table shows its best look
    assert events[-1].summary["pruned"] >= 1


def test_two_objectives_give_a_pareto_front(proj):
    setup = prepare(proj, settings=settings(), space={"epochs": 1, "params": {"blocks": {"low": 1, "high": 3},
                                                                               "width": {"choices": [0.25, 0.5]}}},
                    objective="accuracy+size", study="front")
    assert setup.pruning is False  # Optuna cannot prune with two objectives
    s = list(tune(proj, setup, trials=4))[-1].summary
    assert s["objective"] == "accuracy+size" and s["pareto"]
    sizes = [p["parameters"] for p in s["pareto"]]
    assert sizes == sorted(sizes)
    accs = [p["val_accuracy"] for p in s["pareto"]]
    assert all(a <= b for a, b in zip(accs, accs[1:]))  # bigger on the front only when more accurate


def tune_until(proj, setup, trials: int, stop_after) -> list:
    """The events of ``tune``, stopped (as Stop or Ctrl-C would) after the first event ``stop_after`` accepts."""
    stop = threading.Event()
    events = []
    for ev in tune(proj, setup, trials=trials, stop=stop):
        events.append(ev)
        if stop_after(ev):
            stop.set()
    return events


def test_stop_keeps_finished_trials_and_continue_carries_on(proj):
    setup = prepare(proj, settings=settings(), space=SPACE, study="stopme", pruning=False)
    events = tune_until(proj, setup, 10, lambda ev: isinstance(ev, T.TrialEnded) and ev.number == 1)
    assert events[-1].reason == "stopped"
    s = events[-1].summary
    assert s["trials"] == 2 and s["complete"] == 2
    assert [e.number for e in tune(proj, setup, trials=3) if isinstance(e, T.TrialEnded)] == [2]


def test_stopped_in_trial_zero_the_study_trains_the_starting_settings_when_it_carries_on(proj):
    setup = prepare(proj, settings=settings(), space=SPACE, study="stop0", pruning=False)
    events = tune_until(proj, setup, 3, lambda ev: isinstance(ev, T.TrialStarted))  # Ctrl-C in trial 0
    ended = [e for e in events if isinstance(e, T.TrialEnded)]
    assert [(e.number, e.state) for e in ended] == [(0, "failed")] and events[-1].reason == "stopped"
    again = list(tune(proj, setup, trials=3))
    first = next(e for e in again if isinstance(e, T.TrialEnded))
    assert first.number == 1 and first.state == "complete" and first.params["lr"] == 0.02  # the starting lr
    summary = again[-1].summary
    assert summary["starting_point"]["number"] == 1 and "starting settings" in summary["said"]


def test_the_starting_settings_are_trained_again_only_after_an_interruption_and_not_forever(proj):
    from cnnstudio.engine.tune.results import START_TAG
    from cnnstudio.engine.tune.study import START_TRIES

    def next_is_start(setup, reason):
        study = open_study(proj, setup)  # opened (or carried on) as the engine does
        trial = study.ask()
        start = bool(trial.user_attrs.get(START_TAG))
        trial.set_user_attr("reason", reason)
        study.tell(trial, state=optuna.trial.TrialState.FAIL)
        return start

    crashed = prepare(proj, settings=settings(), space=SPACE, study="crashed", pruning=False)
    assert next_is_start(crashed, "out of memory")
    assert not next_is_start(crashed, "stopped")  # it failed by itself: it would fail again
    stopped = prepare(proj, settings=settings(), space=SPACE, study="stopped", pruning=False)
    tries = [next_is_start(stopped, "stopped") for _ in range(START_TRIES + 1)]
    assert tries == [True] * START_TRIES + [False]


def test_a_time_limit_stops_the_trial_in_flight(proj):
    setup = prepare(proj, settings=settings(), space={"epochs": 200, "params": {"lr": {"low": 0.01, "high": 0.1}}},
                    study="timed", pruning=False)
    events = list(tune(proj, setup, minutes=0.03))
    ended = [e for e in events if isinstance(e, T.TrialEnded)]
    assert events[-1].reason == "time" and ended[-1].state == "failed" and ended[-1].reason == "time limit"
    assert run_records.get_run(proj, ended[-1].run_id).status == "stopped"


def test_bad_input_writes_nothing(tmp_path, proj):
    from cnnstudio.project import Project

    with pytest.raises(SpaceError):
        prepare(proj, settings=settings(), space={"params": {"lr": {"low": 1, "high": 0}}})
    with pytest.raises(TuneError, match="not a usable study name"):
        prepare(proj, settings=settings(), space=SPACE, study="../x")
    with pytest.raises(TuneError, match="validation"):
        prepare(proj, settings=settings(validation=False), space=SPACE)
    with pytest.raises(TuneError, match="give a budget"):
        list(tune(proj, prepare(proj, settings=settings(), space=SPACE)))
    with Project.create(tmp_path / "one") as one:
        with pytest.raises(DataError):
            prepare(one, settings=settings(), space=SPACE)
    assert not journal_path(proj).exists() and run_records.list_runs(proj) == []
    assert list_studies(proj) == [] and not journal_path(proj).exists()  # reading writes nothing
    with pytest.raises(TuneError, match="cannot open the study storage"):
        open_storage(proj, "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_say_importances_in_plain_words():
    said = say_importances({"lr": 0.7, "batch_size": 0.02, "blocks": 0.28})
    assert said == "the learning rate seems to matter most; then network depth; batch size seems to matter little"
    assert say_importances({}, 2) == ("there are not enough finished trials to tell which settings matter (it takes "
                                      "10: this search has 2)")
    assert say_importances({}, 12).startswith("the 12 finished trials do not show which settings matter")


def test_importances_come_from_optuna(proj):
    setup = prepare(proj, settings=settings(), space={"epochs": 1, "params": {
        "lr": {"low": 1e-9, "high": 0.1, "log": True}, "batch_size": {"choices": [8, 16]}}}, study="imp",
        pruning=False)
    study = open_study(proj, setup)
    for lr, bs in ((1e-9, 8), (0.05, 16), (1e-8, 16), (0.03, 8), (2e-9, 16), (0.04, 16), (3e-9, 8), (0.06, 8),
                   (4e-9, 16)):
        study.enqueue_trial({"lr": lr, "batch_size": bs})
    s = list(tune(proj, setup, trials=MIN_FINISHED_TO_TELL))[-1].summary
    imp = importances(optuna.load_study(study_name="imp", storage=open_storage(proj)))
    assert s["complete"] == MIN_FINISHED_TO_TELL and set(imp) == {"lr", "batch_size"}
    assert sum(imp.values()) == pytest.approx(1.0)
    # on this project's 8 validation pictures every score is within chance of the others: no setting is ranked
    assert s["within_chance"] == 8 and s["importances"] == {} and "matter most" not in s["said"]
    assert isinstance(optuna.load_study(study_name="imp", storage=open_storage(proj)), optuna.Study)


def test_without_a_validation_split_the_best_settings_train_again_on_every_training_picture(proj):
    from cnnstudio.project import ImageFilter

    proj.set_split(proj.ids(ImageFilter(split="val")), "train")  # the trials hold training pictures out
    train_all = len(proj.ids(ImageFilter(split="train")))
    setup = prepare(proj, settings=settings(), space=SPACE, study="refit", pruning=False)
    events = list(tune(proj, setup, trials=2, minutes=30))
    ended = [e for e in events if isinstance(e, T.TrialEnded)]
    started = next(e for e in events if isinstance(e, T.FinalStarted))
    done = next(e for e in events if isinstance(e, T.FinalEnded))
    assert events.index(started) > events.index(ended[-1]) and isinstance(events[-1], T.StudyEnded)
    s = events[-1].summary
    best = s["best"]
    assert started.trial == done.trial == best["number"] and started.train_images == train_all
    assert any(isinstance(e, T.FinalEpoch) for e in events)
    trial_info = run_records.get_run(proj, best["run"])
    assert trial_info.summary["images"]["train"] + trial_info.summary["held_out_for_validation"] == train_all
    final = run_records.get_run(proj, done.run_id)
    assert final.status == "finished" and final.summary["study"] == "refit" and final.summary["final_of"] == best["number"]
    cfg = json.loads((run_records.run_dir(proj, done.run_id) / "config.json").read_text())
    trial_cfg = json.loads((run_records.run_dir(proj, best["run"]) / "config.json").read_text())
    assert cfg["spec"] == trial_cfg["spec"] and cfg["settings"]["validation"] is False
    # its design is its trial's, said as the search's: "Search refit, trial 2: 1 convolution"
    assert cfg["design"] == trial_cfg["design"] == f"Search refit, trial {best['number'] + 1}: " + (
        f"{best['params']['blocks']} convolution{'s' if best['params']['blocks'] != 1 else ''}")
    assert {k: v for k, v in cfg["settings"].items() if k != "validation"} == {
        k: v for k, v in trial_cfg["settings"].items() if k != "validation"}  # the same settings and epochs
    assert final.summary["images"]["train"] == train_all and not final.summary["held_out_for_validation"]
    # the search's model: its test score is for the end, looked at once on purpose (seen_scores), not said here
    assert s["final"]["run"] == done.run_id and s["final"]["test_seen"] is False and "test_accuracy" not in s["final"]
    assert "trained on every training picture" in s["said"] and "test pictures" not in s["said"]
    assert s["said"].endswith(f"that run is the search's model. {LOOK_LATER}")  # it has no validation score
    mark_test_seen(proj, done.run_id)  # looked at on Evaluate, on its test pictures: now the words say it
    shown = show_study(proj, "refit")
    assert shown["final"]["test_seen"] is True and shown["final"]["test_accuracy"] == pytest.approx(done.test_accuracy)
    assert shown["said"].endswith(f"{percent(done.test_accuracy)} on the test pictures; that run is the search's "
                                  "model.")
    # --no-final: no final run (a project with its own validation split has none either: the other tests)
    quiet = list(tune(proj, prepare(proj, settings=settings(), space=SPACE, study="refit-off", final=False), trials=1))
    assert not any(isinstance(e, (T.FinalStarted, T.FinalEnded)) for e in quiet) and "final" not in quiet[-1].summary


def test_a_time_budget_keeps_time_for_the_final_run(proj):
    """Once a trial has finished, the next trial is not started when the final run would not fit after it."""
    from cnnstudio.engine.tune.final import final_plan, reserve_seconds
    from cnnstudio.project import ImageFilter

    proj.set_split(proj.ids(ImageFilter(split="val")), "train")
    setup = prepare(proj, settings=settings(), space=SPACE, study="kept", pruning=False)
    list(tune(proj, setup, trials=1))
    study = optuna.load_study(study_name="kept", storage=open_storage(proj, None))
    plan = final_plan(proj, study)
    keep = reserve_seconds(plan)
    assert plan.held_out > 0 and keep > plan.trial_seconds  # the trial's time, scaled by the pictures added
    # a budget shorter than that: no trial starts, the final run still trains
    events = list(tune(proj, setup, minutes=keep * 0.9 / 60))
    assert not any(isinstance(e, T.TrialStarted) for e in events)
    assert events[-1].reason == "time" and next(e for e in events if isinstance(e, T.FinalEnded)).state == "finished"


def test_a_study_made_before_its_batch_sizes_were_capped_carries_on_with_its_own(proj):
    """The cap (space.batch_cap) changes the batch sizes a search draws from; Optuna refuses other choices of a
    setting in one study, so a study that drew from the uncapped ones (made before the cap, or with more training
    pictures) carries on with them rather than fail, and says no cap."""
    from dataclasses import replace

    space = {"epochs": 1, "params": {"lr": {"low": 1e-3, "high": 0.1, "log": True},
                                     "batch_size": {"choices": [8, 16, 64]}}}
    setup = prepare(proj, settings=settings(), space=space, study="old", pruning=False, final=False)
    assert [r.choices for r in setup.space.ranges if r.name == "batch_size"] == [(8, 16)] and "64" in setup.note
    old = replace(setup, space=parse_space(space), note="")  # as a search before the cap made it
    assert [e.state for e in tune(proj, old, trials=1) if isinstance(e, T.TrialEnded)] == ["complete"]
    events = list(tune(proj, setup, trials=2))
    assert next(e for e in events if isinstance(e, T.StudyStarted)).note == ""
    assert [e.state for e in events if isinstance(e, T.TrialEnded)] == ["complete"]
