"""A count and its noun, the one rule of every page and command: "1 trial", "0 trials", "1,200 pictures"."""

from __future__ import annotations


def plural(n: int | float, word: str, many: str | None = None) -> str:
    """``word`` for one, ``many`` (default: ``word`` + "s") for any other number."""
    return word if n == 1 else (many or word + "s")


def counted(n: int | float, word: str, many: str | None = None) -> str:
    """ "1 trial", "0 trials", "1,200 pictures": the number (grouped; a float to one decimal, "15" for 15.0) and
    its noun."""
    number = f"{n:,}" if isinstance(n, int) else f"{n:,.1f}".removesuffix(".0")
    return f"{number} {plural(n, word, many)}"
