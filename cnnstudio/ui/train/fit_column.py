"""The Train page's column above the runs list: its wrapped notes (why Start is off, what went wrong) get the lines
they need at the column's width.

A splitter's layouts ask a widget its minimum height without its width, so a note that wraps to two lines at a
1,093-pixel window asked for one: the column took more height than it said it needed, and the plots under the notes
were cut at the bottom. Here each visible widget that wraps gets its height at this width as its minimum (the
window then knows how tall the page must be), whenever the column is resized or its layout changes. A widget made of
parts (a note in its box, the plots under their legend) gets the least its layout needs at this width, not its height
for that width, which is the height it would like: the plots' wish (520 pixels) made the window 827 pixels tall once
a run was selected for comparison.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QWidget


class FitColumn(QWidget):
    def event(self, ev) -> bool:
        if ev.type() == QEvent.Type.LayoutRequest:  # a note changed its words or was shown
            self.fit()
        return super().event(ev)

    def resizeEvent(self, ev) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(ev)
        self.fit()

    def fit(self) -> None:
        lay = self.layout()
        if lay is None:
            return
        for i in range(lay.count()):
            w = lay.itemAt(i).widget()
            if w is None or w.isHidden():
                continue
            if not w.hasHeightForWidth():  # no longer wraps (the plots' legend on one line again): its own minimum
                if w.property("fitted"):
                    w.setProperty("fitted", False)
                    w.setMinimumHeight(0)
                continue
            w.setProperty("fitted", True)
            width = max(1, self.width())
            inner = w.layout()  # a widget of parts (a note in a box, the plots under their legend): the least its
            need = inner.minimumHeightForWidth(width) if inner is not None else w.heightForWidth(width)  # layout needs
            if need > 0 and w.minimumHeight() != need:
                w.setMinimumHeight(need)
