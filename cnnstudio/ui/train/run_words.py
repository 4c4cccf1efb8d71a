"""The Train page's sentences about a run: started, finished (its scores with their 95 % intervals), stopped; and
a run's score as the runs list writes it. Qt-free: the page and the runs list show them, the tests read them.
Scores are written by one rule, :func:`cnnstudio.engine.use.figures.score_text` ("92.1% (88–95%)").
"""

from __future__ import annotations

import json
import math

from ...engine.runs.settings_words import OPTIMIZER_WORDS, SCHEDULE_WORDS, setting_number
from ...engine.use.figures import percent, score_text
from ...project.counting import counted
from ...project.names import quoted
from ...project.run_records import BEST_OTHER_PICTURES, run_settings, scored_pictures
from ..sentence import sentence


def split_pictures(summary: dict, split: str) -> int:
    """How many pictures a run scored on ``split``: :func:`cnnstudio.project.run_records.scored_pictures`."""
    return scored_pictures(summary, split)


def run_score(summary: dict, split: str) -> str:
    """A run's validation or test accuracy with its 95 % interval, from its summary ("–" for none)."""
    return score_text(summary.get("val_accuracy" if split == "val" else "test_accuracy"),
                      split_pictures(summary, split))


NBSP = "\u00a0"  # a space a line never breaks at
WORD_JOINER = "\u2060"  # put after a hyphen: no line break there ("max-pool" never ends a line at "max-")
KEEP_WHOLE = 40  # characters: an item of a run's details up to this long is never split over two lines


def whole_items(text: str, sep: str = " · ") -> str:
    """``text``'s items (between ``sep``) as a wrapping line keeps them: an item of up to :data:`KEEP_WHOLE`
    characters never breaks ("4 × 8 × 8" never ends a line at "4 ×", nor "max-pool 2x2" at "max-"), nor does the
    space before a separator (no line starts with "·"); a line wraps between items, a longer item between its
    words. Every line is far wider than 40 characters, down to a window 1,024 pixels wide."""
    def whole(item: str) -> str:
        return item.replace(" ", NBSP).replace("-", "-" + WORD_JOINER) if len(item) <= KEEP_WHOLE else item

    return (NBSP + sep.lstrip()).join(whole(i) for i in text.split(sep))


def plain_words(text: str) -> str:
    """What :func:`whole_items` made, as a person reads it: plain spaces and hyphens."""
    return text.replace(NBSP, " ").replace(WORD_JOINER, "")


PAUSED = "Paused. Press Continue to go on."


def pause_line(asked: bool, waiting: bool, run_line: str) -> str:
    """The status line around a pause: ``asked`` is the Pause button (pressed: pause), ``waiting`` whether the
    trainer waits now, ``run_line`` the line of the run while it trains (said again once it trains again). The
    trainer takes a batch to pause and a moment to go on after Continue: both are said."""
    if waiting:
        return PAUSED if asked else "Continuing…"
    return "Pausing after this batch…" if asked else run_line


def started_text(ev) -> str:
    """ "Training on NVIDIA H200 (bf16 mixed precision): ..." and what was done for speed there; the CPU's
    sentence has neither (it always trains in fp32)."""
    precision = getattr(ev, "precision", "fp32")
    where = ev.device + (f" ({precision} mixed precision)" if precision != "fp32" else "")
    notes = getattr(ev, "speed_notes", "")
    return (f"Training on {where}: {ev.train_images:,} training and {ev.val_images:,} validation pictures, "
            f"{ev.parameters:,} parameters." + (f" For speed: {notes}." if notes else ""))


def auto_hint(settings, spec_json: dict, counts: dict, runs, epochs: int) -> tuple[str, str]:
    """The Train page's words about Auto: the note under Epochs (:func:`auto_note`; "" unless ``epochs`` is Auto,
    0, and the settings can be read) and what Start's tooltip adds when Start will first compare the default
    recipe's two designs (:data:`~cnnstudio.engine.runs.recipe.BEFORE_START`, said after the note too)."""
    from ...engine.runs.recipe import BEFORE_START, compares, is_default_recipe

    recipe = settings is not None and is_default_recipe(settings, spec_json) and compares(counts)
    tip = f" {BEFORE_START}" if recipe else ""
    fitted = head_note(settings, spec_json)
    if fitted:  # Epochs (Auto or a number) is not used: what is done instead
        return fitted, tip
    if epochs != 0 or settings is None:
        return "", tip
    note = auto_note(settings, counts, runs, spec_json)
    return (f"{note} {BEFORE_START}" if recipe else note), tip


def head_note(settings, spec_json: dict | None) -> str:
    """For a frozen pretrained backbone whose last layer is fitted exactly
    (:func:`~cnnstudio.engine.runs.head_rows.head_rows`), fine-tuned afterwards or not: what it does instead of
    Epochs, as its run's details say it (:func:`~cnnstudio.engine.runs.frozen_run.frozen_head_words`: the fine-tuning
    has its own epochs, "Then fine-tune"), so Auto's "about 40 epochs" or Epochs 3 is not read as what it will train
    (it fits 7 strengths of regularisation); "" for any other design."""
    from ...engine.runs.frozen_run import frozen_head_words
    from ...engine.runs.head_rows import head_rows

    if settings is None or not isinstance(spec_json, dict):
        return ""
    config = {"spec": spec_json, "settings": settings.to_json()}
    rows = head_rows(config)
    words = frozen_head_words(config) if rows is not None else None
    return sentence(words) if words else ""


def auto_note(settings, counts: dict, runs, spec_json: dict | None = None) -> str:
    """What Auto will do for this data (:func:`~cnnstudio.engine.runs.auto_time.auto_hint`, the trainer's own rule),
    at the pace the newest finished run of this design (``spec_json``) really trained, its whole epochs (none yet:
    the rule itself), on the device the run will use (a graphics card allows more epochs). Another design's pace
    says nothing: a frozen transfer head on cached features trains 2,000 pictures/s where the network from scratch
    trains 35."""
    from ...engine.device import pick_device
    from ...engine.errors import EngineError
    from ...engine.runs.auto_time import auto_hint, run_pace
    from ...engine.train.settings import planned_pictures

    train, val = planned_pictures(counts, settings.validation)
    same = json.loads(json.dumps(spec_json)) if spec_json is not None else None  # as the run's record keeps it
    paces = [run_pace(r.summary) for r in runs if same is not None and r.config.get("spec") == same]
    pace = next((p for p in paces if p is not None), None)  # the newest one's
    try:
        where = pick_device(settings.device).type
    except EngineError:
        where = "cpu"
    return auto_hint(settings, train, val, pace, where)


SEVERITY_WORDS = {"high": "important", "medium": "worth doing", "low": "good to know", "good": "good news"}


def advice_header(severities: list[str]) -> str:
    """The header of a run's advice, which folds it away: "What this means: 3 findings (1 important, 1 worth
    doing, 1 good news)": every finding counted (``severities``: the findings', most important first)."""
    n = len(severities)
    counts = [f"{severities.count(k)} {w}" for k, w in SEVERITY_WORDS.items() if k in severities]
    return f"What this means: {n} finding{'s' if n != 1 else ''}" + (f" ({', '.join(counts)})" if counts else "")


def header_words(severities: list[str], end: str, room: float, width) -> str:
    """The advice header's words that fit ``room`` (``width(text)``: their width): the whole count and ``end`` ("·
    click to read"), else the findings and the important ones only ("What this means: 5 findings, 1 important ·
    click to read"), else without ``end``, else the bare count: on a 1,024-pixel window the whole one was cut in
    the middle ("(1 import…oing, …")."""
    n = len(severities)
    bare = f"What this means: {n} finding{'s' if n != 1 else ''}"
    high = severities.count("high")
    short = f"{bare}, {high} {SEVERITY_WORDS['high']}" if high else bare
    for words in (advice_header(severities) + end, short + end, short, bare):
        if width(words) <= room:
            return words
    return bare


def best_epoch_text(ev, rows=None, pictures: int = 0) -> str:
    """ "best epoch 7 (validation accuracy 92.1% (88–95%))" for an EpochEnd that is the best so far, its score in
    :func:`score_text`'s words as every other score of a run (``pictures``: the validation pictures it was measured
    on, RunStarted's ``val_images``; 0: not known, the accuracy alone); the training accuracy, alone, without
    validation pictures. Of a frozen head fitted exactly (``rows``: its
    :class:`~cnnstudio.engine.runs.head_rows.HeadRows`), "best strength 3 (…)" or "best fine-tuning epoch 1 (…)"."""
    validated = math.isfinite(ev.val_accuracy)
    score = score_text(ev.val_accuracy, pictures) if validated else percent(ev.train_accuracy)
    row = rows.row(ev.epoch) if rows is not None else f"epoch {ev.epoch}"
    return f"best {row} ({'validation' if validated else 'training'} accuracy {score})"


def finished_head(best_epoch: int, epochs: int, val_score: str, reason=None, rows=None) -> str:
    """ "Finished (stopped early: no more progress): best epoch 7 of 10, validation accuracy 92.1% (88–95%)": how a
    finished run ended, the one rule of the line said the moment it ends (:func:`finished_text`, which goes on with
    what is true only then) and of a run clicked in the runs list (:func:`~.kept_run.shown_line`). ``val_score``:
    the validation score in :func:`score_text`'s words, "" for none; ``reason``: the run's ("early_stopping");
    ``rows``: a frozen head fitted exactly (:func:`~cnnstudio.engine.runs.head_rows.head_rows`), whose rows are
    strengths, not epochs: "Finished: the last layer fitted at 7 strengths of regularisation, the best on validation
    kept, validation accuracy 100% (…)" (:func:`~cnnstudio.engine.runs.head_rows.fitted_words`)."""
    early = " (stopped early: no more progress)" if reason == "early_stopping" else ""
    val = f", validation accuracy {val_score}" if val_score else ""
    if rows is not None:
        from ...engine.runs.head_rows import fitted_words

        return f"Finished{early}: {fitted_words(rows, epochs, best_epoch)}{val}"
    return f"Finished{early}: best epoch {best_epoch} of {epochs}{val}"


def finished_text(ev, summary: dict, config: dict | None = None, best=None, metrics=None) -> str:
    """ "Finished: best epoch 7 of 10, validation accuracy 92.1% (88–95%), 1,709 pictures/s. …" (``ev``:
    RunFinished; ``summary``: the run's record, for the number of pictures each score was measured on; ``config``:
    its record's config, for :func:`auto_short_text`; ``best``: the project's best run now,
    :func:`~cnnstudio.project.run_records.best_run_why`'s run and reason, for :func:`used_words`; ``metrics``: its
    rows, which tell a frozen head's strengths from epochs: :func:`~cnnstudio.engine.runs.head_rows.head_rows`).
    Such a head's fine-tuning that did not beat it is said once, by its rows' words ("the last layer alone kept"),
    without the end's note, which names the strength kept "epoch 7" (``cnnstudio train`` leaves it out too).

    No test accuracy here: the line is read the moment a run ends, to compare it with the others, and that is what
    validation pictures are for (project/split_roles.py). A test score on it would need the sentence that keeps test
    pictures for the end beside it, a second long sentence on a one-line result, and a beginner would still compare
    runs by it; the Evaluate page shows it on test pictures, with that sentence."""
    val = (score_text(ev.best_val_accuracy, split_pictures(summary, "val")) if math.isfinite(ev.best_val_accuracy)
           else "")
    kept = recipe_words(summary.get("recipe"))  # the default recipe's choice (engine/runs/recipe.py)
    used = used_words(ev.run_id, summary, best)
    short = auto_short_text(ev, summary, config)
    from ...engine.runs.head_rows import head_rows

    rows = head_rows(config, metrics, planned=ev.epochs)
    # which weights were kept: said with the scores; a frozen head's rows say it already (fitted_words)
    note = end_note(getattr(ev, "note", "") or summary) if rows is None else ""
    return (f"{finished_head(ev.best_epoch, ev.epochs, val, ev.reason, rows)}, {ev.images_per_second:,.0f} "
            "pictures/s."
            + "".join(f" {w}" for w in (note, kept, used, short) if w))


def end_note(said) -> str:
    """The sentence a run's end said as it is (``said``: :attr:`~cnnstudio.engine.events.RunFinished.note`, or a
    run's summary, whose ``end_note`` keeps it for a run shown later): a frozen backbone's fine-tuning that did not
    beat its head, whose weights are kept. "" for none."""
    note = said.get("end_note") if isinstance(said, dict) else said
    return sentence(note) if isinstance(note, str) and note.strip() else ""


def used_words(run_id: str, summary: dict, best) -> str:
    """Which network the Evaluate and Predict pages offer after run ``run_id`` (``summary``: its record's) finished:
    the project's best run on validation (``best``: :func:`~cnnstudio.project.run_records.best_run_why`'s run and
    reason over this run, the one rule both pages follow: Predict's "Best run" row loads it, Evaluate's run box stars
    it; a run alone: no reason said), said with why when it is another run ("validation accuracy 90.0% against
    85.0% for this one"): QA transfer #3, a fine-tuned run was said to be used while both pages showed the earlier
    run that scored better. The why is the reason the rule gave, never a guess at it from the scores (a search's
    final run has none of its own). "" when no run has a model."""
    if best is None:
        return ""
    best, reason = best if isinstance(best, tuple) else (best, "")
    if best.id == run_id:
        among = (" among the runs scored on the current validation pictures (runs scored on other ones are not "
                 "compared)" if reason == BEST_OTHER_PICTURES else "")
        return (f"It is the best run on validation{among}, so the Predict page's “Best run” uses it now and the "
                "Evaluate page marks it ★ best.")
    why = best_why(reason, best.summary.get("val_accuracy"), summary.get("val_accuracy"))
    return (f"{quoted(best.name)} stays the best run on validation{why}, so the Predict page's “Best run” keeps "
            "using it and the Evaluate page marks it ★ best; choose this run in their run box to look at this one.")


def best_why(reason: str, theirs, mine) -> str:
    """Why the best run was chosen over this one, in words after its name (" (…)"), from
    :func:`~cnnstudio.project.run_records.best_run_why`'s ``reason``; ``theirs`` and ``mine``: the two validation
    accuracies, said when the reason is the accuracy. "" for no reason to say."""
    from ...project import run_records as R

    number = (int, float)
    if reason == R.BEST_BY_ACCURACY:
        known = all(isinstance(v, number) and math.isfinite(v) for v in (theirs, mine))
        return f" (validation accuracy {percent(theirs)} against {percent(mine)} for this one)" if known else ""
    return {R.BEST_BY_LOSS: " (the same validation accuracy with a lower validation loss)",
            R.BEST_BY_NEWER: " (the same validation accuracy and loss, and trained later)",
            R.BEST_FINAL: " (the final run of a search whose trial scored highest on validation)",
            R.BEST_OTHER_PICTURES: " (this run was scored on other validation pictures than the current ones, so "
                                   "the runs scored on the current ones are compared)"}.get(reason, "")


def auto_short_text(ev, summary: dict, config: dict | None) -> str:
    """For a run whose Auto epochs took less than a fifth of its time budget (the engine's rule,
    :func:`cnnstudio.engine.runs.auto_time.fell_short`): that sentence and the window's way to use the time; ""
    otherwise."""
    from ...engine.runs.auto_time import fell_short

    short = fell_short(config, summary.get("device", ""), ev.epochs, ev.train_seconds, ev.reason)
    if short is None:
        return ""
    said, fit = short
    return f"{said} Press Start again for a new timing, or set Epochs to {fit} to use that time."


def recipe_words(recipe) -> str:
    """The default recipe's choice (a run's ``summary["recipe"]``, engine/runs/recipe.py) as the window says it: its
    reason as a sentence, and when it trained from scratch because the pretrained weights are not on this computer
    (``recipe["weights"]``), the window's way to get them there ('cnnstudio train' says the terminal's:
    cli/train_result.py). "" when there is no reason to say."""
    if not isinstance(recipe, dict) or not recipe.get("why"):
        return ""
    said = sentence(str(recipe["why"]))
    if isinstance(recipe.get("weights"), str) and recipe["weights"]:
        from ...engine.errors import EngineError
        from ...engine.model.backbones import get_backbone
        from ...engine.model.presets import list_presets
        from ...engine.runs.recipe import TRANSFER_PRESET

        try:
            file = get_backbone(recipe["weights"]).weights_filename
        except EngineError:  # a backbone this version does not know: the reason alone
            return said
        preset = next((p["title"] for p in list_presets() if p["name"] == TRANSFER_PRESET), "")
        where = f" (it shows when “Start from” is “{preset}”)" if preset else ""
        said += (f" To let it try transfer learning too, choose torchvision's file {file} with “Choose the weights "
                 f"file…” on the Model page{where}.")
    return said


RUNNING_BAR = "%p%"  # the progress bar's words while a run trains ("6%")


def ended_bar(ev) -> tuple[str, bool]:
    """The progress bar's words once a run has ended (QProgressBar's format: ``%p`` is the percentage) and whether
    the bar stays lit: "Finished" full; "Stopped at 6%" and "Failed at 6%" greyed out, so a bar left at "6%" beside
    "Stopped after epoch 1" does not read as still running (QA 5). ``ev``: the run's last event (None: it ended
    without one)."""
    from ...engine.events import RunFailed, RunFinished, RunStopped

    if isinstance(ev, RunFinished):
        return "Finished", True
    if isinstance(ev, RunStopped):
        return "Stopped at %p%", False
    if isinstance(ev, RunFailed):
        return "Failed at %p%", False
    return "Ended at %p%", False


def stopped_text(ev, summary: dict | None = None, rows=None, config: dict | None = None) -> str:
    """ "Stopped after epoch 3: the model of epoch 2 is kept. …", and the sentence its end said when its summary
    has one (:func:`end_note`). ``rows``: a frozen head fitted exactly
    (:func:`~cnnstudio.engine.runs.head_rows.head_rows` of its config and rows, as ``cnnstudio train`` reads them),
    whose rows are strengths, then fine-tuning epochs: "Stopped after fine-tuning epoch 1: the model of strength 7
    is kept." (it read "after epoch 8: the model of epoch 7"). ``config``: the run's config.json; a run on the frozen
    path starts over when resumed, which is said (:func:`~cnnstudio.engine.runs.frozen_run.resume_words`: "“Resume”
    fits the last layer again from the start, then fine-tunes the whole network."), not "continues the run"."""
    from ...engine.runs.frozen_run import resume_words

    def said(n: int) -> str:
        return rows.row(n) if rows is not None and n >= 1 else f"epoch {n}"

    kept = (f"the model of {said(ev.best_epoch)} is kept" if ev.best_epoch else
            "no epoch was finished, so there is no model")
    note = end_note(summary or {}) if rows is None else ""
    again = resume_words(config) or "continues the run"
    return f"Stopped after {said(ev.epoch)}: {kept}." + (f" {note}" if note else "") + f" “Resume” {again}."


def settings_words(info) -> str:
    """How a run trained, for its details (``info``: its RunInfo), in words: "AdamW at learning rate 0.003 (one-cycle
    schedule) · batch size 64 · 5 epochs · seed 0 · trained on CPU"; a frozen backbone's head says what it did
    instead of the settings it does not use ("…the last layer fitted exactly at 7 strengths of regularisation; Epochs
    and learning rate are not used…", where "epochs 1 · adamw lr 0.003 (one-cycle)" was said of a run that trained 7 "epochs" with no learning rate). ""
    for an older run whose settings are not all there. Plain text, no HTML."""
    from ...engine.runs.frozen_run import frozen_head_words

    cfg = info.config or {}
    st = run_settings(cfg)
    if not isinstance(st.get("lr"), (int, float)):
        return ""
    device = f"trained on {info.summary.get('device', st.get('device'))}"
    head = frozen_head_words(cfg)
    if head is not None:
        return f"{head} · seed {st.get('seed')} · {device}"
    optimizer = OPTIMIZER_WORDS.get(st.get("optimizer"), str(st.get("optimizer", "?")))
    schedule = SCHEDULE_WORDS.get(st.get("schedule"), str(st.get("schedule", "?")).replace("_", "-")).lower()
    epochs = st.get("epochs")
    return (f"{optimizer} at learning rate {setting_number(st['lr'])} ({schedule} schedule) · batch size {st.get('batch_size')} · "
            f"{counted(epochs, 'epoch') if isinstance(epochs, int) and epochs > 0 else 'Auto epochs'} · "
            f"seed {st.get('seed')} · {device}")


def validation_sentence(info) -> str:
    """A run without validation pictures holds some training pictures out, a run with validation off keeps its
    last epoch: that in one sentence ("" for a run with validation pictures). ``info``: its RunInfo."""
    from ...engine.data.entries import NO_VALIDATION_NOTE, held_out_note

    held = info.summary.get("held_out_for_validation", 0)
    note = (NO_VALIDATION_NOTE if run_settings(info.config).get("validation") is False
            else held_out_note(held) if held else "")
    return sentence(note)


READY = "Ready."  # the status line's first words while Start may be pressed
NOT_READY = "Not ready: see above."  # the same while the note above it says why Start is off


def ready_words(line: str, blocked: bool) -> str:
    """The status line as Start's state says it: its "Ready." turned into "Not ready: see above." while a note says
    why Start is off (``blocked``), and back; any other line (a run's "Finished: …") as it is."""
    old, new = (READY, NOT_READY) if blocked else (NOT_READY, READY)
    return new + line[len(old):] if line.startswith(old) else line
