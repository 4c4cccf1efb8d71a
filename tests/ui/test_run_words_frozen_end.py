"""How the Train page's status line ends a run of a frozen backbone whose last layer is fitted exactly
(engine/runs/head_rows.py): its rows are strengths of regularisation, then fine-tuning epochs. QA: a fine-tuning
that kept the head said so twice, the second time calling strength 7 "epoch 7"; a run stopped in its fine-tuning
read "Stopped after epoch 8: the model of epoch 7 is kept". Real runs (MobileNetV2 at 32 px, offline weights) on a
real project; the words are read as the page builds them (run_events.py: its rows from the run's config and
metrics.jsonl, as ``cnnstudio train`` does)."""

from __future__ import annotations

import re
import threading

import pytest

from cnnstudio.engine.data.preprocess import Preprocess
from cnnstudio.engine.events import EpochEnd, RunFinished, RunStarted, RunStopped
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.runs.head_rows import head_rows
from cnnstudio.engine.train.head_fit import L2_PATH
from cnnstudio.engine.train.settings import default_settings
from cnnstudio.engine.use.figures import score_text
from cnnstudio.project import run_records
from cnnstudio.ui.train import run_files
from cnnstudio.ui.train.kept_run import shown_line
from cnnstudio.ui.train.run_words import best_epoch_text, finished_text, stopped_text
from tests.engine.test_data import make_project
from tests.engine.test_frozen_run import frozen_spec

PP = Preprocess(height=32, width=32, channels=3, normalization="imagenet")
HEAD = len(L2_PATH)  # with validation pictures: one row per strength


def _settings(**kw):
    return default_settings(PP).replace(batch_size=16, early_stopping_patience=0, **kw)


def _train(proj, settings, stop_at: int | None = None) -> list:
    """The run's events; ``stop_at``: Stop pressed as row ``stop_at`` ends (the trainer stops before the next)."""
    stop = threading.Event()
    out = []
    for ev in runs.train(proj, settings, frozen_spec(side=32), stop=stop):
        out.append(ev)
        if stop_at is not None and isinstance(ev, EpochEnd) and ev.epoch == stop_at:
            stop.set()
    return out


@pytest.fixture(scope="module")
def proj(tmp_path_factory):
    p = make_project(tmp_path_factory.mktemp("frozen_end") / "proj", per_class=12, side=12)
    yield p
    p.close()


def _stopped_line(proj, ev: RunStopped) -> str:
    """The status line the page writes for a RunStopped (run_events.py)."""
    summary, config = run_files.summary_and_config(proj, ev.run_id)
    return stopped_text(ev, summary, head_rows(config, run_files.metrics(proj, ev.run_id), planned=ev.epoch), config)


def test_a_fine_tuning_that_kept_the_head_says_so_once_with_no_epoch_of_it(proj):
    # a fine-tuning at a rate too small to change anything: it cannot beat the head, whose weights are kept
    events = _train(proj, _settings(fine_tune_epochs=1, fine_tune_lr_factor=1e-6))
    end = events[-1]
    assert isinstance(end, RunFinished) and end.note and end.best_epoch <= HEAD, end
    line = finished_text(end, *run_files.summary_and_config(proj, end.run_id),
                         run_files.best_run_why(proj, end.run_id), run_files.metrics(proj, end.run_id))
    assert "the last layer fitted at 7 strengths of regularisation, then 1 fine-tuning epoch; the last layer alone " \
           "kept: fine-tuning did not do better on validation" in line
    assert end.note not in line and not re.search(r"\bepoch \d", line)  # not "(epoch 7) are kept"
    info = run_records.get_run(proj, end.run_id)
    shown = shown_line(info, run_files.metrics(proj, end.run_id))  # the same run clicked in the runs list
    assert "the last layer alone kept" in shown and not re.search(r"\bepoch \d", shown)


def test_a_run_stopped_in_its_fine_tuning_names_strengths_and_fine_tuning_epochs(proj):
    events = _train(proj, _settings(fine_tune_epochs=2), stop_at=HEAD + 1)
    end = events[-1]
    assert isinstance(end, RunStopped) and end.epoch == HEAD + 1, end
    line = _stopped_line(proj, end)
    kept = f"strength {end.best_epoch}" if end.best_epoch <= HEAD else "fine-tuning epoch 1"
    assert line.startswith(f"Stopped after fine-tuning epoch 1: the model of {kept} is kept."), line
    assert f"epoch {HEAD + 1}" not in line and f"epoch {HEAD}" not in line
    info = run_records.get_run(proj, end.run_id)
    assert info.status == "stopped"
    assert _stopped_line(proj, end) in shown_line(info, run_files.metrics(proj, end.run_id))  # clicked in the list


def test_a_head_stopped_while_fitting_names_its_strengths(proj):
    events = _train(proj, _settings(fine_tune_epochs=1), stop_at=3)
    end = events[-1]
    assert isinstance(end, RunStopped) and end.epoch == 3 and 1 <= end.best_epoch <= 3, end
    line = _stopped_line(proj, end)
    assert line.startswith(f"Stopped after strength 3: the model of strength {end.best_epoch} is kept."), line
    assert "epoch" not in line.split("“Resume”")[0]


def test_the_best_so_far_has_its_range_as_every_score_of_a_run(proj):
    """QA: the line under the status ended at "best epoch 3 (validation accuracy 50.0%)" where the runs list, the
    finished line and Evaluate's run box say "50.0% (24–76%)" (score_text, over its validation pictures)."""
    events = _train(proj, _settings(fine_tune_epochs=0))
    started = next(e for e in events if isinstance(e, RunStarted))
    best = [e for e in events if isinstance(e, EpochEnd) and e.is_best][-1]
    rows = head_rows(run_files.summary_and_config(proj, started.run_id)[1], [], planned=started.epochs)
    assert started.val_images > 0
    assert best_epoch_text(best, rows, started.val_images) == (
        f"best strength {best.epoch} (validation accuracy {score_text(best.val_accuracy, started.val_images)})")
    assert "–" in best_epoch_text(best, rows, started.val_images)  # a 95 % range


RESUME_OVER = "“Resume” fits the last layer again from the start, then fine-tunes the whole network."


def test_a_head_stopped_while_fitting_says_that_resume_starts_it_over_as_it_does(proj, tmp_path, capsys):
    """QA: a frozen run stopped while its head was fitting said "“Resume” continues the run", but a resumed frozen
    run starts over (engine/runs/frozen_run.py: frozen_fit goes on from no checkpoint). The page, the runs list and
    ``cnnstudio train`` say what Resume does; resuming it shows that it is true."""
    import argparse
    import signal

    from cnnstudio.cli.train_result import _result
    from cnnstudio.cli.train_rows import RunConfigs

    end = _train(proj, _settings(fine_tune_epochs=1), stop_at=2)[-1]
    assert isinstance(end, RunStopped) and end.epoch == 2, end
    line = _stopped_line(proj, end)
    assert line.endswith(RESUME_OVER) and "continues" not in line, line
    info = run_records.get_run(proj, end.run_id)
    assert RESUME_OVER in shown_line(info, run_files.metrics(proj, end.run_id))  # clicked in the runs list
    args = argparse.Namespace(dir=str(proj.root), json=False, quiet=True)
    code = _result(args, end, end.run_id, None, None, proj.root, RunConfigs(proj.root), [signal.SIGINT], False, "",
                   0, 0.0)
    out = capsys.readouterr().out
    assert code == 130 and (f"Run {end.run_id} stopped after strength 2. Resuming fits the last layer again from the "
                            "start, then fine-tunes the whole network: cnnstudio train ") in out, out
    assert "Continue it with" not in out
    again = list(runs.resume(proj, end.run_id))  # the words are true: the head's strengths again from the first
    first = next(e for e in again if isinstance(e, EpochEnd))
    assert first.epoch == 1 and isinstance(again[-1], RunFinished)
    assert [e.epoch for e in again if isinstance(e, EpochEnd)][-1] == HEAD + 1  # then its fine-tuning epoch


def test_a_run_that_trains_by_epochs_still_continues_when_resumed():
    from types import SimpleNamespace

    stopped = SimpleNamespace(epoch=3, best_epoch=2)
    assert stopped_text(stopped, {}, None, None).endswith("“Resume” continues the run.")
    assert stopped_text(stopped, {}, None, {"spec": {}, "settings": {}}).endswith("“Resume” continues the run.")
