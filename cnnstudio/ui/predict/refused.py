"""What the Predict page says, where the user dropped them, about files it cannot predict, and the Folder tab's
summary line (Qt-free: rules and words only, tested without a window).

The reasons come from :func:`cnnstudio.project.import_walk.quick_scan` (a drop) and the predictor (a file that
cannot be read); a file refused by its name is named with the kinds of file the app reads (never called "not a
picture": an iPhone's .heic is one). The note under the list names the first few files and counts the rest; every
file and its reason is one click away (:func:`every_line`), and the files of one drop, refused at the drop and by
the predictor, make one list (:func:`merged`).
"""

from __future__ import annotations

from pathlib import Path

from ...project.counting import counted
from ...project.imaging import IMAGE_EXTENSIONS

SHOWN = 3  # files named one by one; the rest are counted
READS = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".webp")  # the common ones first


def kinds_read() -> str:
    """ ".png, .jpg, .jpeg, .bmp, .gif, .tif, .webp …" (the common kinds; the list goes on)."""
    common = [e for e in READS if e in IMAGE_EXTENSIONS]
    return ", ".join(common) + (" …" if len(IMAGE_EXTENSIONS) > len(common) else "")


def _stop(text: str) -> str:
    """``text`` ending in a full stop (or its own ! ? …); its first letter as it is (a file name keeps its case)."""
    return text if text[-1:] in (".", "!", "?", "…") else text + "."


def refusal_line(path: str, reason: str) -> str:
    """One file and why it was not predicted, in words: "notes.txt: CNN Studio does not open .txt files (it reads
    .png, .jpg …)."; "broken.jpg was not predicted: truncated or damaged file (…)."."""
    name = Path(path).name or str(path)
    if reason == "not an image file":  # by its name only (a drop answers at once): its content was not read
        suffix = Path(name).suffix
        kind = f"does not open {suffix} files" if suffix else "opens only files with a picture's ending"
        return f"{name}: CNN Studio {kind} (it reads {kinds_read()})."
    return _stop(f"{name} was not predicted: {reason}")


def problem_text(reason: str) -> str:
    """A file's reason as the Folder tab's Problem cell writes it: a sentence ("Empty file (0 bytes).")."""
    reason = reason.strip()
    return _stop(reason[:1].upper() + reason[1:]) if reason else ""


def shown_path(path: str, folder: str | Path | None) -> str:
    """``path`` as the Folder tab lists it: from the folder the user chose ("sub/pic_003.jpg"), whole when it is not
    inside it (the whole path is the cell's tooltip)."""
    if folder is not None:
        try:
            return Path(path).relative_to(folder).as_posix()
        except ValueError:
            pass
    return str(path)


def merged(shown: list[dict], more: list[dict]) -> list[dict]:
    """The files of the note on display and ``more`` (``{"path", "reason"}`` each), as one list: a file already
    named for the same reason is not named twice."""
    seen = {(r["path"], r["reason"]) for r in shown}
    return list(shown) + [r for r in more if (r["path"], r["reason"]) not in seen]


def every_line(rejected: list[dict]) -> list[str]:
    """Every refused file's line (:func:`refusal_line`), for the "Show all" list."""
    return [refusal_line(r["path"], r["reason"]) for r in rejected]


def status_line(rejected: list[dict]) -> str:
    """What the status bar says: the one file's line, or how many files and where they are listed."""
    if len(rejected) == 1:
        return refusal_line(rejected[0]["path"], rejected[0]["reason"])
    return f"{len(rejected):,} files were not predicted: they are listed under the pictures." if rejected else ""


def refusal_text(rejected: list[dict]) -> str:
    """Every refused file (``{"path", "reason"}``), one line each for the first few, then how many more."""
    lines = [refusal_line(r["path"], r["reason"]) for r in rejected[:SHOWN]]
    if len(rejected) > SHOWN:
        lines.append(f"… and {counted(len(rejected) - SHOWN, 'more file', 'more files')}")
    return "\n".join(lines)


def folder_summary(result, total: int | None = None) -> str:
    """The Folder tab's line once a folder is predicted (a :class:`~cnnstudio.engine.use.predict.BatchResult`):
    "6 pictures predicted, 1 could not be read, 1 file was not a picture (notes.txt). Saved to …". A file that is
    not a picture (by its name, or by its content whatever its name:
    :func:`~cnnstudio.engine.use.predict.is_not_a_picture`) is counted apart from a damaged picture that could not
    be read. Cancelled: how many of the ``total`` pictures were predicted, and that the CSV holds only these."""
    done = len(result.predictions)
    if result.cancelled:
        of = f"{done:,} of {counted(max(total or 0, done), 'picture')}"
        text = f"{of} predicted before you cancelled."
        return text + (f" The CSV holds only these: {result.csv_path}." if result.csv_path else "")
    parts = [counted(done, "picture predicted", "pictures predicted")]
    unreadable, others = result.unreadable(), result.not_pictures()
    if unreadable:
        parts.append(f"{len(unreadable):,} could not be read")
    if others:
        names = ", ".join(Path(s["path"]).name for s in others[:SHOWN]) + (" …" if len(others) > SHOWN else "")
        parts.append(f"{counted(len(others), 'file was not a picture', 'files were not pictures')} ({names})")
    text = ", ".join(parts)
    if result.csv_path:
        text += f". Saved to {result.csv_path}"
    return text + "."
