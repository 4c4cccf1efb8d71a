"""`cnnstudio train`'s closing words say the validation accuracy, which runs are compared and chosen by, never the
test accuracy (a score printed for every run is no look on purpose: project/seen_scores.py): a line of its own keeps
the test pictures for the end (as on the Evaluate page) with the command that looks at them once, and there is no
such line when there are no test pictures."""

from __future__ import annotations

import math

from cnnstudio.cli.train_result import finished_words
from cnnstudio.engine.events import RunFinished
from cnnstudio.project.split_roles import TEST_FOR_THE_END


def test_validation_leads_and_the_test_score_is_kept_for_the_end():
    ev = RunFinished("r1", 10, 7, 0.921, 12.34, 1234.4, test_accuracy=0.91, model_path="m.zip")
    first, second = finished_words("r1", ev, folder="my pets").splitlines()
    assert first == "Run r1 finished: best epoch 7 of 10, validation accuracy 92.1%, 1,234 pictures/s, 12.3 s of training."
    assert second == (f"{TEST_FOR_THE_END} Once you have chosen this run, look at its test score with: "
                      "cnnstudio evaluate 'my pets' --run r1 --split test")
    assert "test" not in first.lower() and "91" not in second
    assert finished_words("r1", ev).splitlines()[1] == TEST_FOR_THE_END  # a job's folder: no command to paste


def test_no_test_pictures_no_test_line_and_no_validation_no_validation_score():
    ev = RunFinished("r2", 3, 3, math.nan, 1.0, 50.0, test_accuracy=math.nan)
    assert finished_words("r2", ev) == "Run r2 finished: best epoch 3 of 3, 50 pictures/s, 1.0 s of training."
    ev = RunFinished("r3", 3, 3, math.nan, 1.0, 50.0, test_accuracy=1.0)
    first, second = finished_words("r3", ev).splitlines()
    assert "validation" not in first and second == TEST_FOR_THE_END and "100%" not in second


def test_cnnstudio_train_ends_with_these_words(tmp_path, capsys):
    from tests.cli.helpers import run
    from tests.engine.test_data import make_project, tiny_spec

    make_project(tmp_path / "proj").close()
    tiny_spec().save(tmp_path / "tiny.json")
    code, text, _ = run(capsys, "train", tmp_path / "proj", "--spec", tmp_path / "tiny.json", "--epochs", "1",
                        "--batch-size", "8", "--device", "cpu", "--seed", "1")
    assert code == 0
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if " finished: best epoch " in line)
    assert "validation accuracy " in lines[at] and "test" not in lines[at].lower()
    assert lines[at + 1].startswith(TEST_FOR_THE_END) and lines[at + 1].endswith(" --split test")
    assert lines[at + 2].startswith("Model: ")


def test_an_auto_run_that_used_a_tenth_of_its_time_says_so_and_how_to_use_it():
    """Journey QA #4: Auto chose 6 epochs after a slow timing and trained them in 5 s of its 50."""
    from cnnstudio.engine.train.settings import default_settings

    config = {"settings": default_settings().to_json()}  # Auto: 50 s, 3 to 40 epochs
    ev = RunFinished("r4", 6, 6, 0.98, 5.0, 1709.0)
    last = finished_words("r4", ev, config, "CPU (2 threads)").splitlines()[-1]
    assert last == ("Auto chose 6 epochs after a slow first timing: they took 5.0 s of the about 50 s it may use, "
                    "and about 40 fit at this run's pace. Run it again for a new timing, or give --epochs 40.")
    told = {"settings": default_settings().replace(epochs=6).to_json()}
    assert "Auto" not in finished_words("r4", ev, told, "CPU (2 threads)")


def test_a_fine_tuning_that_kept_the_heads_weights_says_so_after_the_best_epoch():
    """QA: "best epoch 7 of 8" and nothing said the fine-tuned weights were thrown away: the run's own sentence
    (RunFinished.note, frozen_run.kept_head_words) follows the first line."""
    from cnnstudio.engine.runs.frozen_run import kept_head_words

    ev = RunFinished("r5", 9, 7, 0.95, 5.0, 100.0, note=kept_head_words(7))
    first, second = finished_words("r5", ev).splitlines()
    assert first.startswith("Run r5 finished: best epoch 7 of 9,")
    assert second == ("Fine-tuning the whole network did not beat the head alone on the validation pictures, so the "
                      "weights from before fine-tuning (epoch 7) are kept.")
