"""Where a new search starts, in words, Qt-free: the Tune page's starting line (:func:`starting_text`), the Train
page's settings a search's ranges leave out (:func:`outside_words`) and the batch sizes it leaves out, being above
the pictures a trial trains on (:func:`cap_words`, :func:`left_out_choices`: the form's greyed boxes say the same)."""

from __future__ import annotations

from ...engine.tune.space import FROM_TRAIN_PAGE, SpaceError, batch_cap, parse_space, starting_value
from .tune_state import OPTIMIZER_WORDS, number_text, param_title


def starting_text(built_in: bool, settings, space: dict | None = None, variant: bool = False,
                  chosen: bool = False, train_pictures: int | None = None) -> str:
    """Where a new study starts, in one sentence; with the form's ``space``, a sentence more for each Train page
    setting its ranges leave out (:func:`outside_words`). ``variant``: the Model page holds the built-in design
    as a search changed it (:func:`~.study_inputs.design_kind`), not a design of the user's own. ``chosen``: a
    search is chosen, which Continue carries on from its own start: the line names Start my search.
    ``train_pictures``: what a trial trains on (``planned_pictures``); the batch sizes above it are left out, said
    once here as the search does it (:func:`~cnnstudio.engine.tune.space.batch_cap`)."""
    design = ("the built-in design (its depth, width and dropout can be searched)" if built_in
              else "the built-in design as a search changed it (its depth, width and dropout stay: choose "
                   "“Recommended” on the Model page to search them again; the training settings are searched)"
              if variant else "your own design (its layers stay; the training settings are searched)")
    lead = "Start my search starts" if chosen else "Starts"
    said = (f"{lead} from {design} and the Train page's settings: learning rate {number_text(settings.lr)}, "
            f"batch size {settings.batch_size}, {OPTIMIZER_WORDS.get(settings.optimizer, settings.optimizer)}.")
    return " ".join([said, *outside_words(settings, space, train_pictures), *cap_words(space, train_pictures)])


def _capped(space: dict | None, train_pictures: int | None):
    """``space`` parsed, with its batch sizes capped at ``train_pictures`` when given (the search's own rule), and
    the sentence that says what it leaves out; (None, "") for a space that cannot be read (the form says why)."""
    if space is None:
        return None, ""
    try:
        parsed = parse_space(space)
    except SpaceError:
        return None, ""
    return batch_cap(parsed, train_pictures) if train_pictures else (parsed, "")


def cap_words(space: dict | None, train_pictures: int | None) -> list[str]:
    """The sentence saying which batch sizes the search leaves out (above the training pictures), or []."""
    said = _capped(space, train_pictures)[1]
    return [said] if said else []


def left_out_choices(space: dict | None, train_pictures: int | None) -> dict:
    """The batch sizes ``space`` asks for that the search leaves out (above the ``train_pictures`` a trial trains on,
    :func:`~cnnstudio.engine.tune.space.batch_cap`), each with why, for its greyed, unticked box on the form ({} when
    none): the box and :func:`cap_words`' sentence say the same."""
    if space is None or not train_pictures:
        return {}
    try:
        asked = parse_space(space)
    except SpaceError:
        return {}
    capped = _capped(space, train_pictures)[0]
    choices = {r.name: r.choices for r in capped.ranges if r.choices is not None}
    return {c: (f"Left out of the search: a trial trains on {train_pictures:,} pictures, fewer than a batch of "
                f"{c} holds.")
            for r in asked.ranges if r.name == "batch_size" and r.choices is not None
            for c in r.choices if c not in choices.get("batch_size", ())}


def _setting_words(name: str, v) -> str:
    return OPTIMIZER_WORDS.get(v, str(v)) if name == "optimizer" else number_text(v)


def outside_words(settings, space: dict | None, train_pictures: int | None = None) -> list[str]:
    """A sentence for each Train page setting outside what ``space`` searches, saying what the starting trial
    (trial 1) uses instead. The engine's rule (:func:`cnnstudio.engine.tune.study._starting_params`): a number
    is moved to the nearest end of its range, a choice not offered becomes the first one offered. [] for a space
    that cannot be read (the form says why). ``train_pictures``: the batch sizes above it are not offered
    (:func:`cap_words`)."""
    parsed = _capped(space, train_pictures)[0]
    if parsed is None:
        return []
    ranges = parsed.ranges
    out = []
    for r in ranges:
        if r.is_fixed or r.name not in FROM_TRAIN_PAGE:
            continue
        v = getattr(settings, r.name)
        used = starting_value(r, v)
        if used == v:
            continue
        title, mine = param_title(r.name), _setting_words(r.name, v)
        if r.choices is not None:
            offered = ", ".join(_setting_words(r.name, c) for c in r.choices)
            out.append(f"The Train page's {title} {mine} is not among those searched ({offered}): the starting "
                       f"trial uses {_setting_words(r.name, used)}.")
        else:
            out.append(f"The Train page's {title} {mine} is outside the range searched ({number_text(r.low)}–"
                       f"{number_text(r.high)}): the starting trial uses {number_text(used)}, the nearest end.")
    return out
