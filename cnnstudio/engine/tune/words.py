"""The words of a search that people read, one rule each for the Tune page, ``cnnstudio tune`` and the runs a
search makes.

- A count and its noun: "1 trial", "2 trials", "1 epoch" (:mod:`cnnstudio.project.counting`'s :func:`counted`, :func:`plural`).
- Trial numbers from 1 (:func:`trial_words`): Optuna numbers a study's trials from 0 and every record keeps its
  number (the study, a run's summary, ``--json``); only the words say "trial 1" for Optuna's trial 0.
- What a search is called (:func:`search_name`, one name everywhere: the Tune page's list of searches, the Train
  page's runs list, every run a search makes): the day and time it started, read from the name the app gives a
  new study ("tune-20261201-215304" is "Search 1 Dec 21:53:04", to the second: two searches in one minute are two
  names), or the name a user gave it ("Search ctrlc"); :func:`search_words` inside a sentence ("search 1 Dec
  21:53:04").
- A search's runs counted (:func:`search_runs_words`: "2 trials and the final run", the Train page's runs list).
- A trial's run, named like every other run by its design and epochs (the built-in design as a search changed it:
  "Recommended design (depth 2, width ×0.77)", :func:`structure_words`), then its search and trial
  (:func:`trial_run_name`: "Recommended design · 2 epochs · search 1 Dec 21:53:04, trial 3"), and the study's
  final run (:func:`final_run_name`); " (2)" after a name a run has already (:func:`unique_run_name`). A design
  the search made is said in its run's details after its trial (:func:`trial_search_words`: "Search 1 Dec
  21:53:04, trial 3: 2 convolutions, 1 fully connected layer"), not as "your design", which the user made.
"""

from __future__ import annotations

import re

from ...project import run_records
from ...project.counting import counted
from ...project.run_names import epochs_words, unique_name
from ...project.run_records import RUN_NAME_LIMIT

#: The name of a new study, :func:`time.strftime` of this; "-2", "-3"... when a study of that name exists.
STUDY_NAME_FORMAT = "tune-%Y%m%d-%H%M%S"
_STUDY_NAME_RE = re.compile(r"^tune-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(?:-(\d+))?$")


def shown_number(number: int) -> int:
    """Optuna's trial ``number`` (from 0) as people count it (from 1)."""
    return int(number) + 1


def trial_words(number: int) -> str:
    """ "trial 1" for Optuna's trial 0."""
    return f"trial {shown_number(number)}"


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def search_name(study: str) -> str:
    """A search's one name for people: "Search 1 Dec 21:53:04" for a study the app named when it started (its
    ``STUDY_NAME_FORMAT`` name, to the second, so that two searches started in one minute have two names; ", 2"
    after it for a second study started in the same second), "Search NAME" for a name given (``cnnstudio tune
    --study NAME``)."""
    m = _STUDY_NAME_RE.match(study or "")
    if m is None or not 1 <= int(m.group(2)) <= 12:
        return f"Search {study}"
    _year, month, day, hour, minute, second, again = m.groups()
    return f"Search {int(day)} {MONTHS[int(month) - 1]} {hour}:{minute}:{second}" + (f", {again}" if again else "")


def search_words(study: str) -> str:
    """:func:`search_name` inside a sentence: "search 1 Dec 21:53:04"."""
    return "s" + search_name(study)[1:]


def trial_search_words(study: str, number: int) -> str:
    """ "Search 2 Dec 13:48:06, trial 7": a trial by its search's one name (:func:`search_name`) and its number
    (Optuna's 6), what a design the search made for it is said after in its run's details
    (``run_naming.describe_design``'s ``search``: "Search 2 Dec 13:48:06, trial 7: 3 convolutions")."""
    return f"{search_name(study)}, {trial_words(number)}"


def search_runs_words(trials: int, final: int = 0) -> str:
    """A search's runs counted as people count a search: its trials, then its final run apart ("2 trials and the
    final run"), never the final run as one more trial (the Tune page says "2 trials" of the same search)."""
    said = counted(trials, "trial")
    return f"{said} and the final run" if final == 1 else f"{said} and {counted(final, 'final run')}" if final else said


def structure_words(params: dict) -> str:
    """The structure a trial of the built-in design searched, for its name: "depth 2, width ×0.77, dropout 0.3"
    ("" when it searched none)."""
    parts = []
    if isinstance(params.get("blocks"), (int, float)):
        parts.append(f"depth {int(params['blocks'])}")
    if isinstance(params.get("width"), (int, float)):
        parts.append("width ×" + f"{float(params['width']):.2f}".rstrip("0").rstrip("."))
    if isinstance(params.get("dropout"), (int, float)):
        parts.append("dropout " + f"{float(params['dropout']):.2f}".rstrip("0").rstrip("."))
    return ", ".join(parts)


def _design_name(design: str, epochs: int, length: str | None = None) -> str:
    """ "Recommended design · 2 epochs": a run's name without its search (run_names.default_run_name's rule);
    ``length``, when given, says how long it trains in place of ``epochs`` (``run_naming.run_length_words``: nothing
    for a frozen backbone's head fitted exactly, whose "epochs" are strengths of regularisation)."""
    design = design.strip() or "Your design"
    return f"{design[0].upper()}{design[1:]}" + (length if length is not None else f" · {epochs_words(epochs)}")


def unique_run_name(project, name: str) -> str:
    """``name``, or ``name (2)``... when a run of the project is called that (two searches in one minute)."""
    return unique_name(name, (r.name for r in run_records.list_runs(project)))


def _fit(head: str, tail: str) -> str:
    """``head · tail`` within a run name's limit, ``head`` shortened ("…") when the two are too long."""
    room = RUN_NAME_LIMIT - len(tail) - 3 - len(" (999)")  # room for unique_run_name's number
    if len(head) > room:
        head = head[:max(1, room - 1)].rstrip() + "…"
    return f"{head} · {tail}"


def trial_run_name(design: str, epochs: int, study: str, number: int, length: str | None = None) -> str:
    """The name of a trial's run: its design's words (``describe_design``) and epochs (0: Auto; ``length``: how long
    it trains in words, see :func:`_design_name`), then its search and trial."""
    return _fit(_design_name(design, epochs, length), f"{search_words(study)}, {trial_words(number)}")


def final_run_name(design: str, epochs: int, study: str, number: int, length: str | None = None) -> str:
    """The name of a study's final run: the best trial's settings trained on every training picture."""
    return _fit(_design_name(design, epochs, length),
                f"{search_words(study)}, {trial_words(number)}'s settings on all training pictures")
