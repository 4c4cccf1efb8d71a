"""Which of two files with the same content looks like the original, by name: ``cat.png`` rather than
``cat - Copy.png``, ``cat (1).png``, ``cat copy 2.png``, ``Copy of cat.png`` or ``cat_copy.png``.

The marks a copy gets come from file managers, browsers and people: Windows Explorer (" - Copy", " - Copy (2)", in
its languages: " - Kopie", " - Copie", " - Copia", " - Kopia"; older ones "Copy of "), macOS Finder (" copy",
" copy 2"), GNOME Files (" (copy)", " (another copy)", " (3rd copy)"), a browser's second download (" (1)"), and
hand-made "_copy". Qt-free and torch-free: the importer asks it when one import meets the same picture twice.
"""

from __future__ import annotations

import re

_WORDS = r"(?:copy|kopie|copie|copia|c[oó]pia|kopia|kopio|kopi)"
_SUFFIXES = (
    re.compile(rf"\s*-\s*{_WORDS}(?:\s*\(\d+\))?$", re.IGNORECASE),  # " - Copy", " - Kopie (2)"
    re.compile(r"\s*\((?:copy|another copy|\d+(?:st|nd|rd|th) copy)\)$", re.IGNORECASE),  # " (copy)", " (3rd copy)"
    re.compile(r"\s*\(\d+\)$"),  # " (1)"
    re.compile(rf"(?:\s+|_){_WORDS}(?:\s*\d+)?$", re.IGNORECASE),  # " copy", " copy 2", "_copy", " Kopie"
)
_PREFIX = re.compile(rf"^{_WORDS}\s*(?:\(\d+\)\s*)?(?:of|von|de|di)\s+", re.IGNORECASE)  # "Copy of ", "Copy (2) of "


def _split(name: str) -> tuple[str, str]:
    """``name``'s stem and extension (with its dot); a name that starts with its only dot has no extension."""
    dot = name.rfind(".")
    return (name[:dot], name[dot:]) if dot > 0 else (name, "")


def original_name(name: str) -> str:
    """``name`` without the marks a copy gets: ``"cat - Copy (2).png"`` -> ``"cat.png"``, ``"Copy of cat.png"`` ->
    ``"cat.png"``; a name with none comes back as it is. A mark that would leave no name is kept (``"(1).png"``)."""
    stem, ext = _split(name)
    while True:  # one mark at a time, the first rule that takes one off, until none is left
        shorter = next((s for s in (rule.sub("", stem, count=1) for rule in (_PREFIX, *_SUFFIXES))
                        if s != stem), stem)
        if shorter == stem or not shorter.strip():
            return stem + ext
        stem = shorter


def looks_like_copy(name: str) -> bool:
    """Whether ``name`` carries a copy's mark (see :func:`original_name`)."""
    return original_name(name) != name


def keep_rather(name: str, kept: str) -> bool:
    """Whether a file named ``name`` should be kept rather than ``kept``, a file met earlier with the same content:
    a name without a copy's mark wins over one with it; else the shorter name; else the one met first (``kept``)."""
    return (looks_like_copy(name), len(name)) < (looks_like_copy(kept), len(kept))
