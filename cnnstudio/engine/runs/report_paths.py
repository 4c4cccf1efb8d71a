"""Where a run report may be written: a new ``.html`` file, or one CNN Studio wrote before (told by its title,
"… - CNN Studio report"). Anything else at the path is refused with one sentence and left as it is: a project's
database or a run's files, a user's own pictures, notes or web pages, a device such as ``/dev/full``. A name
that does not end in ``.html`` (``r.pdf``, ``-``) is refused too: the report is a web page, and a name that
says otherwise is taken for a mistake."""

from __future__ import annotations

import re
import stat
from pathlib import Path

from ..errors import EngineError

SUFFIXES = (".html", ".htm")
MARK = b"CNN Studio report</title>"  # report_html.render's <title>, near the top of every report
HEAD = 64 * 1024  # the title is in the first bytes; a name of any length fits well inside this


NOT_IN_A_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')  # refused by Windows, macOS or Linux
LONGEST_NAME = 100  # characters of the run's name kept in the file name


def suggested_name(run_name: str, run_id: str) -> str:
    """The file name Save report offers: the run's name made safe for every system ("Small VGG · 40 epochs
    report.html"; ``/`` ``:`` and the like become "-", no leading dot), the run's id when the name leaves nothing."""
    safe = " ".join(NOT_IN_A_NAME.sub("-", run_name or "").split())[:LONGEST_NAME].strip(" .-")
    stem = safe or (run_id or "").strip()
    return f"{stem} report.html" if stem else "report.html"


def is_our_report(path: Path) -> bool:
    """A report CNN Studio wrote: its title says so."""
    try:
        with open(path, "rb") as f:
            return MARK in f.read(HEAD)
    except OSError:
        return False


def report_path(out: str | Path) -> Path:
    """``out`` as the file to write a report to, or :class:`EngineError` saying why not (nothing is touched)."""
    out = Path(out)
    if out.is_dir():  # said before the report is built, and in words rather than the OS's "Is a directory"
        raise EngineError(f"{out} is a folder: give the report a file name, such as {out / 'report.html'}")
    if out.suffix.lower() not in SUFFIXES:
        better = out.with_suffix(".html") if out.name not in ("", "-", ".", "..") else Path("report.html")
        raise EngineError(f"a report is a web page: give a file name ending in .html, such as {better}")
    try:
        st = out.stat()
    except FileNotFoundError:
        return out
    except OSError:
        return out  # unreadable details: the write says what is wrong in one sentence
    if not stat.S_ISREG(st.st_mode):
        raise EngineError(f"{out} is not an ordinary file: choose another name (it was left as it is)")
    if not is_our_report(out):
        raise EngineError(f"{out} is already there and is not a report CNN Studio wrote; choose another name "
                          f"(it was left as it is)")
    return out


__all__ = ["SUFFIXES", "is_our_report", "report_path", "suggested_name"]
