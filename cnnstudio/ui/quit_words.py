"""The one question asked before quitting, closing the project or opening another while work runs (Qt-free).

Every job that runs in the window is a :class:`Job`: what it is called ("the training"), the question's title when
it runs alone, and one sentence of what stopping it keeps or loses. :func:`question` words them all in one question;
its default, for every job alike, is to keep working (ui/quit_question.py asks it and stops each job cleanly)."""

from __future__ import annotations

from dataclasses import dataclass

SEVERAL = "Work is still running"  # the title when more than one job runs


@dataclass(frozen=True)
class Job:
    noun: str  # "the training": "Stop the training and quit CNN Studio?"
    title: str  # the question's title when this job runs alone
    kept: str  # one sentence: what stopping it keeps or loses


def training(epochs_done: int) -> Job:
    """A run trains; ``epochs_done``: its last finished epoch. Stop's rule (run_words.stopped_text): before the
    first epoch is finished there is no model to keep."""
    kept = ("The run keeps its best model so far and can be resumed later from its last finished epoch."
            if epochs_done >= 1 else
            "No epoch was finished, so there is no model yet; “Resume” can start the run again later.")
    return Job("the training", "A model is being trained", kept)


def search() -> Job:
    return Job("the search", "A search for better settings is running",
               "Every finished trial is kept, and Continue on the Tune page carries on the same search later.")


def data_check() -> Job:
    return Job("the data check", "The pictures are being checked",
               "Nothing has been changed, and “Check data” on the Data page can run the check again.")


def picture_import() -> Job:
    return Job("the import", "Pictures are being imported",
               "The pictures imported so far stay in the project; importing the same again adds only the rest.")


def export() -> Job:
    return Job("the export", "A model is being exported",
               "Nothing is exported; “Export model…” on the Predict page can export it again.")


def folder_prediction(csv_name: str | None) -> Job:
    """A folder is being predicted into ``csv_name`` (None: no file): the file holds only the pictures predicted
    before the stop, as after Cancel (refused.folder_summary)."""
    kept = (f"“{csv_name}” will hold only the pictures predicted so far." if csv_name else
            "The pictures predicted so far are not saved anywhere.")
    return Job("the folder prediction", "A folder is being predicted", kept)


def joined(nouns: list[str]) -> str:
    """"the training", "the training and the import", "the training, the import and the export"."""
    return nouns[0] if len(nouns) == 1 else f"{', '.join(nouns[:-1])} and {nouns[-1]}"


def question(jobs: list[Job], then: str) -> tuple[str, str]:
    """The title and the text of the one question: "Stop the training and quit CNN Studio?", then what each job
    keeps or loses, one sentence each. ``then``: "quit CNN Studio", "close the project", "open the other project"."""
    title = jobs[0].title if len(jobs) == 1 else SEVERAL
    comma = "," if len(jobs) > 1 else ""
    text = f"Stop {joined([j.noun for j in jobs])}{comma} and {then}?"
    return title, text + "\n\n" + "\n".join(j.kept for j in jobs)
