"""The Evaluate page's box of pictures to score on: validation, then test; the pictures a run has none of are
greyed in it, with a tooltip that says why (the rule and its words: :mod:`.split_words`)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ..model.params import ComboBox
from .split_words import SPLIT_TIP, SPLITS, UNOFFERED, has_pictures


class SplitBox(ComboBox):
    def __init__(self, parent=None):
        super().__init__(parent)
        for key, words in SPLITS:
            self.addItem(words, key)
        self.setToolTip(SPLIT_TIP)

    def offer(self, summary: dict) -> None:
        """Offer the pictures the run recorded in ``summary`` has; grey the others, saying why."""
        for i in range(self.count()):
            key = self.itemData(i)
            item = self.model().item(i)
            has = has_pictures(summary, key)
            item.setEnabled(has)
            item.setData(None if has else UNOFFERED.get(key), Qt.ItemDataRole.ToolTipRole)
