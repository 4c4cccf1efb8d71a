"""The import report's rows, as words (Qt-free: tested without a window): which file each row is, named so that
three "IMG_0021.jpg" rows from three folders can be told apart, and in which order they come.

A file is named by its path from the folder that was imported (``photos/apples/IMG_0021.jpg`` when ``photos`` was
imported): the importer's own reasons name the copy it kept the same way (``same picture as photos/leaves/…``). A
file that was dropped itself is named by its name. Rows that say the same picture came with two different classes
(a label conflict: the importer kept one file's class) come first, so they are not lost among plain duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ReportRow:
    shown: str  # the file, as the table names it
    path: str  # the whole path (the tooltip)
    reason: str
    conflict: bool = False  # the same picture in two folders that give it different classes or splits
    image_id: int | None = None  # the picture kept in the project (a duplicate's), None for a file not imported


def shown_path(path: str, roots: list[Path] | tuple[Path, ...] = ()) -> str:
    """``path`` from the parent of the imported folder (``roots``) it is in, or its name (a URL: its last part)."""
    if "://" in path:
        return path.rsplit("/", 1)[-1] or path
    p = Path(path)
    for root in roots:
        try:
            rel = p.relative_to(root)
        except ValueError:
            continue
        return str(Path(root.name) / rel) if root.name and str(rel) != "." else (p.name or path)
    return p.name or path


def report_rows(skipped: list[dict], duplicates: list[dict], roots=()) -> list[ReportRow]:
    """Every file not imported (``{"path", "reason"}``, a duplicate's ``"label_conflict"``), conflicts first, then in
    the order the import met them; ``roots``: the absolute paths imported. ``duplicates``: the true ones
    (:attr:`.ImportReport.already_there`): a picture brought back from the trash came in, it is no row here."""
    rows = [ReportRow(shown_path(r["path"], roots), r["path"], r["reason"], bool(r.get("label_conflict")),
                      r.get("existing_id")) for r in [*skipped, *duplicates]]
    return sorted(rows, key=lambda row: not row.conflict)  # stable: the import's order within each group


def conflict_line(rows: list[ReportRow]) -> str:
    """The summary's line about label conflicts, or ""."""
    n = sum(row.conflict for row in rows)
    if not n:
        return ""
    them = "them" if n != 1 else "it"
    return (f"{n:,} picture{'s were' if n != 1 else ' was'} in two folders that give {them} a different class or "
            f"split: the first copy's was kept (listed first, in red). Check {them} on the Data page.")


def conflict_ids(rows: list[ReportRow]) -> list[int]:
    """The pictures kept for the rows in red (label conflicts), each once: what the report's "Show them" shows."""
    return list(dict.fromkeys(row.image_id for row in rows if row.conflict and row.image_id is not None))
