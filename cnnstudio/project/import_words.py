"""What an import did, counted in the words both the Data page's import report and ``cnnstudio import`` say.

A picture the project had in its trash that an import brings back is said as that ("4 pictures brought back from the
trash"), not as a duplicate: only the files whose picture was there already (or met earlier in the same import) are
counted as duplicates (:attr:`.importer.ImportReport.already_there`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from .counting import plural

if TYPE_CHECKING:
    from .import_report import ImportReport

#: what the report says after the duplicates' count
DUPLICATES_NOTE = " (already there, not stored twice)"


def _plain(n: int) -> str:
    return f"{n:,}"


def import_counts(report: ImportReport, rejected: int = 0, *, number: Callable[[int], str] = _plain,
                  duplicates_note: str = "") -> str:
    """"Imported 0 pictures, 4 pictures brought back from the trash, 4 duplicates, 0 skipped" (the trash's part only
    when the import brought some back). ``rejected``: files refused before the import (counted as skipped);
    ``number`` writes each number (the report makes them bold); ``duplicates_note`` follows the duplicates' count."""
    n, back, dups = len(report.imported), len(set(report.untrashed)), len(report.already_there)
    skipped = rejected + report.skipped_files
    parts = [f"Imported {number(n)} {plural(n, 'picture')}"]
    if back:
        parts.append(f"{number(back)} {plural(back, 'picture')} brought back from the trash")
    parts += [f"{number(dups)} {plural(dups, 'duplicate')}{duplicates_note}", f"{number(skipped)} skipped"]
    return ", ".join(parts)


def kept_words(n: int) -> str:
    """What an import that stopped kept, counted in the project (the import window's "Import failed" box): "The 576
    pictures imported before this stay in the project." or "No picture was imported: the project was not
    changed."."""
    if not n:
        return "No picture was imported: the project was not changed."
    return (f"The {n:,} pictures imported before this stay in the project." if n != 1
            else "The 1 picture imported before this stays in the project.")
