"""The gallery's grid arithmetic (Qt-free): as many columns of tiles as fit, the leftover width spread over them,
so the grid fills the width instead of leaving a strip of empty space beside the last column."""

from __future__ import annotations

TILE_EXTRA_W = 16  # a tile is the thumbnail plus this much (border and gap)
TILE_EXTRA_H = 34  # ... plus the class strip below it


def tile_size(thumb: int) -> tuple[int, int]:
    """The least width and height of a tile showing thumbnails of side ``thumb``."""
    return thumb + TILE_EXTRA_W, thumb + TILE_EXTRA_H


def grid_cell(viewport_width: int, thumb: int) -> tuple[int, int, int]:
    """(columns, cell width, cell height) for a viewport ``viewport_width`` pixels wide: whole tiles only, each
    cell wider by an equal share of what is left, so ``columns * cell width`` is the width less 1 to ``columns``
    pixels (QListView wraps a line whose cells would reach the viewport's last pixel)."""
    w, h = tile_size(thumb)
    usable = viewport_width - 1
    columns = max(1, usable // w)
    return columns, max(w, usable // columns), h
