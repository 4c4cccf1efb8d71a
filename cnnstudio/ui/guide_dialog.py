"""Help > Guide: "Your first model in 5 steps" (:data:`.how_it_works.FIRST_MODEL`), how CNN Studio works (the welcome
page's steps: the sidebar's, 1 Data … 6 Predict, from :mod:`.how_it_works`) and the glossary of its precise words.

One scrollable window that can stay open beside the work (not modal): the walkthrough and the steps first, then every
term of :mod:`cnnstudio.project.glossary` with its plain-language meaning. "Find a word" puts the entries it finds (by
any of their names, by the names its words hold, then by their meaning) at the top, above the walkthrough; an empty box
restores the page.
"""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QTextBrowser, QVBoxLayout

from ..project.glossary import find, guide_rows
from .how_it_works import FIRST_MODEL


def guide_html(steps: list[tuple[str, str]], words: str = "") -> str:
    """The guide as HTML: the first model's walkthrough and the steps, then every glossary entry; with ``words``, the
    entries they find (:func:`cnnstudio.project.glossary.find`) come first, above the walkthrough, so the matches are
    in sight at the top."""
    steps_html = [f"<h2>Your first model in {len(FIRST_MODEL)} steps</h2>", "<ol>"]
    steps_html += [f"<li><b>{escape(title)}</b><br>{escape(text)}</li>" for title, text in FIRST_MODEL]
    steps_html += ["</ol>", "<h2>How it works</h2>"]
    steps_html += [f"<p><b>{escape(step)}</b><br>{escape(text)}</p>" for step, text in steps]
    if not words.strip():
        rows = guide_rows()
        return "\n".join(steps_html + ["<h2>Words you will meet</h2>"]
                         + [f"<p><b>{escape(term)}</b>: {escape(meaning)}</p>" for term, meaning in rows])
    rows = find(words)
    parts = [f"<h2>Words for “{escape(words.strip())}”</h2>"]
    if not rows:
        parts.append(f"<p><i>No word in the glossary matches “{escape(words.strip())}”.</i></p>")
    parts += [f"<p><b>{escape(term)}</b>: {escape(meaning)}</p>" for term, meaning in rows]
    return "\n".join(parts + steps_html)


FRAME = 40  # pixels a window manager's title bar and frame take above and below the dialog


def fitting_height(wanted: int, screen) -> int:
    """``wanted``, or less on a screen whose available height (less a window frame) is smaller: Close stays in
    sight at 1,024 x 614."""
    if screen is None:
        return wanted
    return max(200, min(wanted, screen.availableGeometry().height() - FRAME))


class GuideDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        from .welcome import GUIDE

        self.steps = GUIDE
        self.setWindowTitle("How CNN Studio works")
        self.find = QLineEdit()
        self.find.setPlaceholderText("Find a word (e.g. epoch, dropout)")
        self.find.setClearButtonEnabled(True)
        self.find.setAccessibleName("Find a word in the guide")
        self.find.textChanged.connect(self._show)
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.find)
        lay.addWidget(self.text, 1)
        lay.addWidget(buttons)
        self.resize(560, fitting_height(640, (parent or self).screen()))
        self._show()

    def _show(self, *_) -> None:
        self.text.setHtml(guide_html(self.steps, self.find.text()))
        self.text.verticalScrollBar().setValue(0)  # the matches (or the page's start) in sight
