"""The words of the runs list's Delete question (runs_panel.py asks it; "Cancel" is its default). Qt-free: tested
on their own.

One run is named, quoted ("Delete the run “Recommended design · 2 epochs” …": unquoted, "2 epochs" read as what
would be deleted); several are counted, and named one a line under the question (the first :data:`MOST_NAMED`, then
how many more)."""

from __future__ import annotations

from ...project.counting import counted

MOST_NAMED = 8  # runs named under the question; the others are counted ("and 3 more")
DELETE = "Delete"  # the button that deletes (never "Yes": the question is not answered by Enter)


def delete_title(n: int) -> str:
    """The question's title: "Delete run", "Delete runs"."""
    return "Delete run" if n == 1 else "Delete runs"


def delete_question(names: list[str]) -> str:
    """ "Delete the run “x” and its trained model? This cannot be undone." for one run; "Delete 3 runs and their
    trained models? …" for more (their names: :func:`delete_names`)."""
    if len(names) == 1:
        return f"Delete the run “{names[0]}” and its trained model? This cannot be undone."
    return f"Delete {counted(len(names), 'run')} and their trained models? This cannot be undone."


def delete_names(names: list[str]) -> str:
    """Under the question for several runs: their names, quoted, one a line (at most :data:`MOST_NAMED`, then "and
    N more"); "" for one run (the question names it)."""
    if len(names) < 2:
        return ""
    lines = [f"“{name}”" for name in names[:MOST_NAMED]]
    if len(names) > MOST_NAMED:
        lines.append(f"and {len(names) - MOST_NAMED:,} more")
    return "\n".join(lines)
