"""The words of a search (engine/tune/words.py, results.say): counts with their plural, trials counted from 1, a
trial's run named like other runs, and a result that says no more than its trials can tell. The studies are real
Optuna studies held in memory, their trials added as a search adds them."""

from __future__ import annotations

import optuna
import pytest
from optuna.distributions import CategoricalDistribution, FloatDistribution
from optuna.trial import TrialState, create_trial

from cnnstudio.engine.tune.results import (LOOK_LATER, MIN_FINISHED_TO_TELL, START_TAG, best_row, best_trial,
                                           clearly_better, importances, say, summarize, trial_row)
from cnnstudio.engine.tune.words import (final_run_name, search_name, search_words, shown_number, trial_run_name,
                                         trial_search_words, trial_words)
from cnnstudio.project.counting import counted, plural
from cnnstudio.project.run_records import RUN_NAME_LIMIT

DISTS = {"lr": FloatDistribution(1e-4, 1e-1, log=True), "optimizer": CategoricalDistribution(["adamw", "sgd"])}


def _study(scores, val_pictures=269, states=None) -> optuna.Study:
    """A study whose trials scored ``scores`` (trial 0: the starting settings), each on ``val_pictures``."""
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    study = optuna.create_study(direction="maximize", study_name="tune-20261201-215304")
    for i, score in enumerate(scores):
        state = (states or {}).get(i, TrialState.COMPLETE)
        study.add_trial(create_trial(
            state=state, value=score if state == TrialState.COMPLETE else None, distributions=DISTS,
            params={"lr": 10 ** (-4 + 3 * ((i * 7) % 10) / 10), "optimizer": "adamw" if i % 2 else "sgd"},
            user_attrs={START_TAG: i == 0, "val_pictures": val_pictures, "run": f"run{i}",
                        **({"reason": "stopped"} if state == TrialState.FAIL else {})}))
    return study


def test_counts_and_trial_numbers_read_as_people_count():
    assert counted(1, "trial") == "1 trial" and counted(0, "trial") == "0 trials"
    assert counted(1200, "picture") == "1,200 pictures" and counted(15.0, "minute") == "15 minutes"
    assert counted(1.0, "minute") == "1 minute" and plural(2, "is", "are") == "are"
    assert shown_number(0) == 1 and trial_words(0) == "trial 1" and trial_words(9) == "trial 10"


def test_a_trials_run_is_named_by_its_design_epochs_search_and_trial():
    assert search_words("tune-20261201-215304") == "search 1 Dec 21:53:04"
    assert search_words("tune-20261201-215304-2") == "search 1 Dec 21:53:04, 2"  # a second study in that second
    assert search_words("ctrlc") == "search ctrlc"  # a name the user gave
    assert (trial_run_name("Recommended design", 2, "tune-20261201-215304", 0)
            == "Recommended design · 2 epochs · search 1 Dec 21:53:04, trial 1")
    assert trial_run_name("LeNet-5", 1, "s", 4) == "LeNet-5 · 1 epoch · search s, trial 5"
    assert trial_run_name("your design (2 convolutions)", 0, "s", 0) == ("Your design (2 convolutions) · Auto epochs "
                                                                          "· search s, trial 1")
    assert (final_run_name("LeNet-5", 4, "s", 2)
            == "LeNet-5 · 4 epochs · search s, trial 3's settings on all training pictures")
    long = trial_run_name("x" * 300, 2, "s" * 64, 0)  # never longer than a run's name may be
    assert len(long) <= RUN_NAME_LIMIT and long.endswith(f"search {'s' * 64}, trial 1") and "…" in long


def test_which_settings_mattered_needs_enough_finished_trials():
    few = _study([0.918, 0.948])
    assert importances(few) == {}
    said = summarize(None, few)["said"]
    assert "There are not enough finished trials to tell which settings matter (it takes 10: this search has 2)" \
        in said and "mattered" not in said and "matter most" not in said
    # one trial short of the least: still not said; pruned and stopped trials do not count
    short = _study([0.5 + 0.04 * i for i in range(MIN_FINISHED_TO_TELL - 1)] + [0.9, 0.9],
                   states={MIN_FINISHED_TO_TELL - 1: TrialState.PRUNED, MIN_FINISHED_TO_TELL: TrialState.FAIL})
    assert summarize(None, short)["complete"] == MIN_FINISHED_TO_TELL - 1 and importances(short) == {}
    enough = _study([0.5 + 0.04 * i for i in range(MIN_FINISHED_TO_TELL)])
    imp = importances(enough)
    assert set(imp) == {"lr", "optimizer"} and sum(imp.values()) == pytest.approx(1.0)
    assert imp == importances(enough)  # read twice, the same words
    assert "seems to matter most" in summarize(None, enough)["said"]


def test_a_gain_within_chance_is_not_called_better():
    # the QA's search: 94.8 % against the starting settings' 91.8 %, on 269 validation pictures: ranges overlap
    assert clearly_better(0.948, 269, 0.918, 269) is False
    said = summarize(None, _study([0.918, 0.948]))["said"]
    assert said.startswith("Best: trial 2 with 94.8% validation accuracy, against 91.8% for the starting settings: "
                           "on 269 validation pictures that gap is within chance (their 95% ranges overlap), so it "
                           "is not clearly better.")
    assert "better than" not in said
    # the same gain on 5,000 pictures is more than chance
    assert clearly_better(0.948, 5000, 0.918, 5000) is True
    said = summarize(None, _study([0.918, 0.948], val_pictures=5000))["said"]
    assert said.startswith("Best: trial 2 with 94.8% validation accuracy, 3.0 points better than the starting "
                           "settings (91.8%).")
    assert clearly_better(0.9, None, 0.8, 100) is None  # not known: not judged
    said = summarize(None, _study([0.948, 0.918]))["said"]
    assert said.startswith("Best: trial 1 with 94.8% validation accuracy, the starting settings: no other trial "
                           "beat them.") and "yet" not in said


def test_the_final_runs_test_score_is_said_only_once_looked_at():
    """Test pictures are for the end (project/seen_scores.py): the search's model is said with its validation
    score, and its test score only once it was looked at on purpose."""
    s = summarize(None, _study([0.918, 0.948]))
    final = {"run": "fin", "trial": 1, "state": "finished", "held_out": 30, "val_accuracy": 0.95, "test_seen": False}
    said = say({**s, "final": final}, {})
    assert said.endswith("Trial 2's settings were then trained on every training picture (the 30 held out for "
                         "validation included): that run is the search's model, with 95.0% validation accuracy. "
                         + LOOK_LATER) and "test pictures" not in said
    assert LOOK_LATER == "Its test score is for the end: look at it on purpose once you have chosen it."
    said = say({**s, "final": {**final, "val_accuracy": None}}, {})
    assert said.endswith("included): that run is the search's model. " + LOOK_LATER)
    said = say({**s, "final": {**final, "test_seen": True, "test_accuracy": 0.934}}, {})
    assert said.endswith("included): 93.4% on the test pictures; that run is the search's model.")


def test_an_ended_search_without_a_finished_trial_says_so_without_yet():
    stopped = _study([0.0], states={0: TrialState.FAIL})
    s = summarize(None, stopped)
    assert s["best"] is None and s["stopped"] == 1
    assert s["said"] == "No trial finished, so this search has no best settings to offer."
    running = _study([0.0], states={0: TrialState.RUNNING})  # another worker's trial still training
    assert summarize(None, running)["said"] == "No trial has finished yet."


def test_a_search_has_one_name_for_people():
    # the Tune page's list, the Train page's runs list and the runs it makes all say it so (no "study", no file name)
    assert search_name("tune-20261202-134857") == "Search 2 Dec 13:48:57"
    assert search_name("tune-20260105-090000-3") == "Search 5 Jan 09:00:00, 3"
    # two searches started in one minute (re-QA tune #7): two names
    assert search_name("tune-20261202-144506") != search_name("tune-20261202-144559")
    assert search_name("my-search") == "Search my-search"
    assert trial_run_name("LeNet-5", 2, "tune-20261202-134857", 1).endswith("search 2 Dec 13:48:57, trial 2")
    assert trial_search_words("tune-20261202-134806", 6) == "Search 2 Dec 13:48:06, trial 7"
    assert trial_search_words("ctrlc", 0) == "Search ctrlc, trial 1"


def test_a_searchs_runs_count_its_trials_and_its_final_run_apart():
    from cnnstudio.engine.tune.words import search_runs_words

    assert search_runs_words(2, 1) == "2 trials and the final run"
    assert search_runs_words(1) == "1 trial" and search_runs_words(3, 0) == "3 trials"
    assert search_runs_words(0, 1) == "0 trials and the final run"


def test_a_trial_of_the_built_in_design_is_named_as_the_search_changed_it():
    """Not "Your design (2 convolutions)": the built-in design with the depth and width the search gave it."""
    from cnnstudio.engine.model.presets import make_preset, scaled_default
    from cnnstudio.engine.tune.space import DEFAULT_BLOCKS, DEFAULT_DROPOUT, DEFAULT_WIDTH
    from cnnstudio.engine.tune.study import trial_design_words
    from cnnstudio.engine.tune.words import structure_words

    assert structure_words({"blocks": 2, "width": 0.7654, "lr": 0.01}) == "depth 2, width ×0.77"
    assert structure_words({"dropout": 0.3}) == "dropout 0.3" and structure_words({"lr": 0.1}) == ""
    changed = scaled_default(28, 28, 1, 2, 0.77, DEFAULT_DROPOUT).to_json()
    assert trial_design_words(changed, {"blocks": 2, "width": 0.77, "lr": 0.01}) == (
        "Recommended design (depth 2, width ×0.77)")
    usual = scaled_default(28, 28, 1, DEFAULT_BLOCKS, DEFAULT_WIDTH, DEFAULT_DROPOUT).to_json()
    assert trial_design_words(usual, {"blocks": DEFAULT_BLOCKS, "width": DEFAULT_WIDTH}) == "Recommended design"
    lenet = make_preset("lenet5", 28, 28, 1).to_json()
    assert trial_design_words(lenet) == "LeNet-5" and trial_design_words(lenet, {"lr": 0.01}) == "LeNet-5"
    assert trial_run_name(trial_design_words(changed, {"blocks": 2, "width": 0.77}), 2, "tune-20261202-134857",
                          0).startswith("Recommended design (depth 2, width ×0.77) · 2 epochs · search 2 Dec")


def test_a_trials_name_says_how_long_it_trains_as_every_runs_name_does():
    """A frozen backbone's head fitted exactly trains no epochs (its "epochs" are strengths of regularisation): its
    trial is not named "· 2 epochs" (QA: a trial named "· 2 epochs" showed 7), the length in run_length_words's
    words."""
    from cnnstudio.engine.model.presets import make_preset
    from cnnstudio.engine.runs.run_naming import run_length_words
    from cnnstudio.engine.train.settings import default_settings

    spec = make_preset("mobilenet_v2_transfer", 32, 32, 3).to_json()
    settings = default_settings().replace(epochs=2)
    length = run_length_words(spec, settings)
    assert "2 epochs" not in length
    name = trial_run_name("MobileNetV2 transfer, frozen", 2, "s", 0, length)
    assert name == f"MobileNetV2 transfer, frozen{length} · search s, trial 1" and "epochs" not in name
    assert final_run_name("LeNet-5", 4, "s", 2, " · 4 epochs").startswith("LeNet-5 · 4 epochs · search s, trial 3")


def test_every_setting_searched_is_said_in_one_group_in_order():
    """QA: dropout (0.134) and augmentation (0.089) were left out, lower ones said "matter little"."""
    from cnnstudio.engine.tune.results import say_importances

    said = say_importances({"label_smoothing": 0.42, "lr": 0.2, "dropout": 0.134, "augment": 0.089,
                            "weight_decay": 0.06, "batch_size": 0.03, "optimizer": 0.01})
    assert said == ("the label smoothing seems to matter most; then learning rate; dropout, augmentation strength and "
                    "weight decay seem to matter somewhat; batch size and optimizer seem to matter little")


def test_a_higher_score_of_a_trial_that_did_not_finish_is_said_not_hidden():
    """QA: "no other trial beat them" beside a pruned trial 3 at 87.5% in the table (the best finished: 75%)."""
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    study = optuna.create_study(direction="maximize", study_name="s")
    for i, (state, value, steps) in enumerate([(TrialState.COMPLETE, 0.75, {0: 0.5, 1: 0.75}),
                                               (TrialState.COMPLETE, 0.5, {0: 0.5, 1: 0.5}),
                                               (TrialState.PRUNED, None, {0: 0.625, 1: 0.875})]):
        study.add_trial(create_trial(state=state, value=value, distributions=DISTS, intermediate_values=steps,
                                     params={"lr": 0.001 * (i + 1), "optimizer": "sgd"},
                                     user_attrs={START_TAG: i == 0, "val_pictures": 8, "run": f"run{i}"}))
    s = summarize(None, study)
    assert s["best"]["number"] == 0  # finished trials are ranked: a pruned trial is never the best
    assert [r["number"] for r in s["higher_unfinished"]] == [2]
    assert "no other trial beat them" not in s["said"]
    assert s["said"].startswith(
        "Best: trial 1 with 75.0% validation accuracy, the starting settings: no other finished trial beat them. "
        "Trial 3 reached 87.5% at epoch 1 before it was stopped early; only finished trials are ranked, as a trial "
        "that did not finish was scored on fewer epochs.")


def test_scores_within_chance_rank_no_setting():
    """QA: on 8 validation pictures every score is within chance, yet "the label smoothing seems to matter most"."""
    scores = [0.5, 0.625, 0.75, 0.5, 0.625, 0.375, 0.5, 0.75, 0.625, 0.5]
    assert len(scores) >= MIN_FINISHED_TO_TELL
    s = summarize(None, _study(scores, val_pictures=8))
    assert s["within_chance"] == 8 and s["importances"] == {}
    assert "matter most" not in s["said"] and "matter little" not in s["said"]
    assert ("On 8 validation pictures the finished trials' scores are all within chance of each other, so the search "
            "cannot tell yet which settings matter: it needs more validation pictures or more trials.") in s["said"]
    # the same scores on 5,000 pictures are apart: the ranking is said
    s = summarize(None, _study(scores, val_pictures=5000))
    assert s["within_chance"] is None and "seems to matter most" in s["said"]


def test_a_tie_with_the_starting_settings_keeps_them():
    """QA: trial 2 tied the start's 50.0% with a lower loss and was "best"; "Use these settings" changed settings
    for no gain. On a tie the starting trial is the best: what the user has."""
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    study = optuna.create_study(direction="maximize", study_name="s")
    for i, loss in enumerate([0.9, 0.4]):
        study.add_trial(create_trial(state=TrialState.COMPLETE, value=0.5, distributions=DISTS,
                                     params={"lr": 0.001 * (i + 1), "optimizer": "sgd"},
                                     user_attrs={START_TAG: i == 0, "val_pictures": 8, "run": f"run{i}",
                                                 "val_loss": loss}))
    s = summarize(None, study)
    assert s["best"]["number"] == 0 and s["best"]["starting_point"]
    assert s["said"].startswith("Best: trial 1 with 50.0% validation accuracy, the starting settings: no other trial "
                                "beat them.")


@pytest.mark.parametrize("accuracies, losses, start, best", [
    ((0.5, 0.5, 0.4), (0.9, 0.4, 0.1), None, 1),  # tied on accuracy: the lower validation loss
    ((0.5, 0.5, 0.5), (0.9, 0.4, 0.2), 0, 0),  # a tie with the starting trial keeps it, whatever its loss
    ((0.5, 0.5, 0.5), (0.9, 0.4, 0.2), 1, 1),
    ((0.5, 0.5, 0.6), (None, None, None), None, 2),  # the higher accuracy first
    ((0.5, 0.5, 0.4), (None, 0.4, 0.1), None, 1),  # a loss not known comes after one known
    ((0.5, 0.5, 0.4), (None, None, 0.1), None, 0),  # none known: the earlier trial
])
def test_one_rule_for_the_best_trial_and_the_best_row(accuracies, losses, start, best):
    """The Tune page marks the best of a running search's rows (results.best_row), the engine picks the best trial
    (results.best_trial): one rule, so they never mark different trials (a reviewer: the page marked the earlier of
    two tied trials, the engine the one with the lower loss)."""
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    study = optuna.create_study(direction="maximize", study_name="s")
    for i, (acc, loss) in enumerate(zip(accuracies, losses)):
        study.add_trial(create_trial(state=TrialState.COMPLETE, value=acc, distributions=DISTS,
                                     params={"lr": 0.001 * (i + 1), "optimizer": "sgd"},
                                     user_attrs={START_TAG: i == start, "run": f"run{i}",
                                                 **({"val_loss": loss} if loss is not None else {})}))
    trials = study.get_trials(deepcopy=False)
    rows = [trial_row(None, t) for t in trials]
    assert best_trial(trials).number == best
    assert best_row(rows)["number"] == best
    assert best_row(list(reversed(rows)))["number"] == best  # the order rows come in does not matter


def test_the_best_row_is_a_finished_one():
    rows = [{"number": 0, "state": "pruned", "val_accuracy": 0.9, "val_loss": 0.1},
            {"number": 1, "state": "running", "val_accuracy": 0.95},
            {"number": 2, "state": "complete", "val_accuracy": None},
            {"number": 3, "state": "complete", "val_accuracy": 0.5, "val_loss": 0.7}]
    assert best_row(rows)["number"] == 3
    assert best_row(rows[:3]) is None and best_row([]) is None
