"""The Train page's status line after an advice button set up a next run ("Set up from run “x”: its design and
settings, with the learning rate at 0.009. Press Start to train it."): it says what Start trains only while the form
shows those settings. A setting changed since (by hand, "Recommended settings", Ctrl+Z) puts back the line that was
there before, so the page never says 0.009 beside a field showing 0.003 (QA, beginner shot 74)."""

from __future__ import annotations

from PySide6.QtCore import QObject


class SetUpLine(QObject):
    """Says an advice button's set-up sentence on ``status`` (a label) for the settings ``form`` shows now
    (:meth:`say`), and takes it back when they change."""

    def __init__(self, form, status):
        super().__init__(status)
        self.form, self.status = form, status
        self.said: str | None = None  # the sentence said, while it is true
        self._values: dict | None = None  # the settings it was said for
        self._before = ""  # the line it replaced
        form.edited.connect(self._changed)  # every setting's field, a field added later too

    def say(self, said: str) -> None:
        """Show ``said`` for the settings the form shows now."""
        if self.said is None or self.status.text() != self.said:  # a second set-up keeps the first one's line
            self._before = self.status.text()
        self.said, self._values = said, self.form.values()
        self.status.setText(said)

    def _changed(self) -> None:
        if self.said is None or self.form.values() == self._values:
            return
        if self.status.text() == self.said:  # still shown (a run's own line may have replaced it)
            self.status.setText(self._before)
        self.said = self._values = None


__all__ = ["SetUpLine"]
