"""What the advice (:mod:`.advice`) reads of a run in a project, and of the project's other runs: its classes and
pictures per split (:func:`class_counts`, from dataset.json), its saved evaluation (:func:`read_evaluation`), whether
it trains by epochs (:func:`trains_by_epochs`: a frozen backbone's head fitted exactly does not) and which of its
metrics rows are epochs of training (:func:`training_rows`: of a head fitted exactly and then fine-tuned, the
fine-tuning's alone, trained at the settings' rate times :func:`fine_tune_factor`), the lowest learning rate
another run showed too high (:func:`too_high_rate`) and the epochs Resume would finish (:func:`unfinished_run`).
:func:`.advice.advise` gives them to the rules (:func:`.advice.advise_from`), which read no files."""

from __future__ import annotations

from ...project import run_records
from ...project.run_records import EVALUATION, run_dir
from ...project.store import Project
from ..train.settings import TrainSettings
from .advice_curves import finite as _finite  # one rule for a usable number
from .advice_curves import not_a_number_epoch, went_wrong
from .lifecycle import read_dataset, read_json, read_metrics


def class_counts(project: Project, run_id: str) -> tuple[list[str], dict[str, dict[str, int]]]:
    """A run's classes and its pictures per split and class (from dataset.json; held-out ones in val)."""
    names, entries = read_dataset(project, run_id)
    counts: dict[str, dict[str, int]] = {s: {c: 0 for c in names} for s in ("train", "val", "test")}
    for e in entries:
        counts.setdefault(e.split, {c: 0 for c in names})[e.label_name] += 1
    return names, counts


def read_evaluation(project: Project, run_id: str) -> dict:
    path = run_dir(project, run_id) / EVALUATION
    try:
        data = read_json(path) if path.exists() else {}
    except Exception:  # noqa: BLE001 - a damaged report gives advice from the curves alone
        return {}
    return data if isinstance(data, dict) else {}


def trains_by_epochs(config: dict) -> bool:
    """Whether a run of ``config`` (its config.json) trains by epochs, so that its curves say how training went:
    False for a frozen pretrained backbone whose head is one linear layer fitted exactly
    (:func:`~.frozen_run.uses_frozen_path`, :func:`~.frozen_run.has_linear_head`) and not fine-tuned afterwards: its
    "epochs" are the strengths of regularisation it tried, and Epochs, the learning rate and the batch size are not
    used (as its name says no epochs: :func:`~.run_naming.run_length_words`). The findings about curves (overfitting,
    underfitting, still improving, the learning rate, few steps) are left out for it. A head of the user's own
    layers trains for epochs, and so does a fine-tuning after the head (of which :func:`training_rows` reads only
    the fine-tuning's rows); a config that cannot be read: True."""
    exact, fine_tuned = _exact_head(config)
    return not exact or fine_tuned


def fine_tune_factor(config: dict) -> float | None:
    """The factor a run's epochs trained at the settings' learning rate times, when the epochs the advice reads are a
    fine-tuning's (:func:`training_rows`: a frozen backbone's head fitted exactly, then the whole network fine-tuned
    at ``lr * fine_tune_lr_factor``: :func:`~.frozen_run._fine_tune`); None for any other run, whose epochs trained at
    the settings' rate. The advice's learning-rate findings read and name that rate (QA: "the learning rate (0.003)
    may be a little high" of a fine-tuning that ran at 0.0003)."""
    exact, fine_tuned = _exact_head(config)
    if not (exact and fine_tuned):
        return None
    return float(TrainSettings.from_json(config["settings"]).fine_tune_lr_factor)


def _exact_head(config: dict) -> tuple[bool, bool]:
    """Whether a run of ``config`` fits a frozen backbone's linear head exactly, and whether it fine-tunes the whole
    network after it; (False, False) for a config that cannot be read."""
    from ..data.preprocess import Preprocess
    from ..errors import EngineError
    from ..model.spec import ModelSpec
    from .frozen_run import has_linear_head, uses_frozen_path

    try:
        spec = ModelSpec.from_json(config["spec"])
        settings = TrainSettings.from_json(config["settings"])
        pp = Preprocess.from_json(config.get("preprocess") or config["settings"]["preprocess"])
    except (EngineError, KeyError, TypeError, ValueError, AttributeError):
        return False, False
    return uses_frozen_path(spec, pp) and has_linear_head(spec), bool(settings.fine_tune_epochs)


def training_rows(config: dict, metrics: list[dict], not_a_number: int | None = None) -> tuple[list[dict], bool]:
    """The rows of a run's ``metrics`` (metrics.jsonl) the advice reads, and whether they are epochs of training, whose
    curves say how training went (``by_epochs`` of :func:`~.advice.advise_from`): of a run that trains by epochs, every
    row; of a frozen backbone's head fitted exactly (:func:`trains_by_epochs`), every row, not by epochs. A head
    fitted exactly and then fine-tuned (``fine_tune_epochs``): the fine-tuning's rows alone, by epochs, so its
    head's strengths of regularisation are never read as epochs (a stronger one's validation score above a weaker
    one's is no overfitting). The head's rows come first and have no learning rate (an exact fit uses none:
    :func:`~cnnstudio.engine.train.head_fit.head_fit` writes ``lr`` null; the trainer writes each epoch's rate);
    the rows from the first with one on are the fine-tuning's. Before its first epoch ended (stopped, or still
    fitting the head) such a run reads as a head fitted exactly, unless its loss stopped being a number there
    (``not_a_number``: :func:`~.advice_curves.not_a_number_epoch`; only the fine-tuning raises that): then no row,
    by epochs, as a run that failed in its first epoch."""
    exact, fine_tuned = _exact_head(config)
    if not exact:
        return metrics, True
    first = next((i for i, m in enumerate(metrics) if isinstance(m, dict) and _finite(m.get("lr"))), len(metrics))
    if fine_tuned and (first < len(metrics) or not_a_number is not None):
        return metrics[first:], True
    return metrics, False


def too_high_rate(project: Project, run_id: str, settings: TrainSettings, k: int,
                  factor: float | None = None) -> dict | None:
    """``{"lr", "run"}``: the lowest learning rate above the advised run's that another run of ``project`` with the
    same optimizer showed too high (its training went wrong: :func:`~.advice_curves.went_wrong`, the rule of the
    "diverged" finding), and that run's name; None when none did. ``k``: the number of classes. A raise of the
    learning rate stays below it (QA: raised to 0.03, then told 0.03 was too high, back and forth). Each rate is the
    one its epochs trained at: ``settings.lr`` times ``factor`` (:func:`fine_tune_factor`; None: 1) for the advised
    run, and each other run's own (a fine-tuning's, for a head fitted exactly then fine-tuned)."""
    best = None
    own = settings.lr * (factor or 1.0)
    for info in run_records.list_runs(project):
        st = run_records.run_settings(info.config)
        lr = st.get("lr")
        if _finite(lr):
            lr = lr * (fine_tune_factor(info.config) or 1.0)  # the rate its epochs trained at
        if info.id == run_id or st.get("optimizer", "adamw") != settings.optimizer or not _finite(lr) \
                or lr <= own or (best is not None and lr >= best["lr"]):
            continue
        failed_at = not_a_number_epoch(info.summary.get("error"))
        rows, by_epochs = training_rows(info.config, read_metrics(project, info.id), failed_at)
        if not by_epochs:
            continue  # a head fitted exactly used no learning rate: its curves say nothing of one
        rows = [m for m in rows if isinstance(m, dict) and "epoch" in m]
        try:
            epochs = [int(m["epoch"]) for m in rows]
        except (TypeError, ValueError):
            continue  # a damaged history says nothing
        if went_wrong(epochs, [m.get("train_loss") for m in rows], [m.get("train_accuracy") for m in rows], k,
                      failed_at):
            best = {"lr": float(lr), "run": info.name}
    return best


def unfinished_run(project: Project, run_id: str, settings: TrainSettings) -> dict | None:
    """``{"run", "planned"}`` for a run stopped (or failed, or killed) before the epochs it planned, which Resume
    finishes; None for a finished run (early stopping ends a run before its epochs too, and it cannot go on)."""
    info = run_records.get_run(project, run_id)
    if info.status not in ("stopped", "failed"):
        return None
    planned = info.summary.get("epochs_planned") or settings.epochs  # Auto epochs: the number it chose
    if not (isinstance(planned, int) and not isinstance(planned, bool) and planned > 0):
        return None
    return {"run": run_id, "planned": planned}


__all__ = ["class_counts", "fine_tune_factor", "read_evaluation", "too_high_rate", "training_rows", "trains_by_epochs",
           "unfinished_run"]
