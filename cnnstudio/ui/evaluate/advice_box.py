"""The Evaluate page's advice (:class:`~cnnstudio.ui.advice_panel.AdvicePanel`) folded as the Train page's is
(:class:`~cnnstudio.ui.train.advice_fold.AdviceFold`): a one-line header ("What this means: 5 findings (1
important, …)") that opens and closes the findings, and the findings in a scroll area at most :data:`ADVICE_HEIGHT`
pixels high, at least the first finding whole. So on a 1,024 x 614 screen they leave the scores their room (QA: five
findings made the window 630 pixels tall, the per-class table showed one of its two classes and the 2 x 2 matrix
scrolled; squeezed, a finding's last line hid under the next one).

The findings open when the page first shows them and then stay as the user left them, for every run and pictures.
Over pictures other than those the findings' numbers come from (the test pictures), a line under the header says
so (:attr:`~cnnstudio.ui.advice_panel.AdvicePanel.other_pictures`), while they are open."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QSizePolicy

from ..train.advice_fold import AdviceFold

ADVICE_HEIGHT = 130  # pixels of findings before they scroll: about three, with their buttons


class EvaluateAdvice(AdviceFold):
    def __init__(self, panel, parent=None):
        super().__init__(panel, ADVICE_HEIGHT, parent=parent)
        self.wants_open = True  # as the user left it (open the first time)
        self.note = QLabel()  # which pictures the numbers come from, when not the ones shown
        self.note.setObjectName("advice-pictures")
        # one line, never wrapped: a wrapping label would make the box ask a box layout for its whole height at the
        # least (Qt's height-for-width), and squeeze the scores below instead; nor may it widen the window
        self.note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.note.setContentsMargins(8, 0, 8, 2)
        self.note.hide()
        self.layout().insertWidget(1, self.note)
        self.header.clicked.connect(lambda checked: setattr(self, "wants_open", checked))  # the user's click only
        self.header.toggled.connect(self._say_note)

    def show_run(self, project, run_id: str | None, shown_split: str | None) -> None:
        """The findings of ``run_id`` over the ``shown_split`` pictures, open or folded as the user left them."""
        self.panel.show_run(project, run_id, shown_split)
        other = self.panel.other_pictures
        words = f"The findings' numbers are from the {other} pictures, not the ones shown below." if other else ""
        self.note.setText(f"<small>{words}</small>" if words else "")
        self.note.setToolTip(words)
        self.show_advice(self.wants_open)
        self._say_note()

    def _say_header(self) -> None:
        """The header's words, its tooltip ending with a full stop as every tooltip of the page does."""
        super()._say_header()
        tip = self.header.toolTip()
        if tip and not tip.endswith("."):
            self.header.setToolTip(f"{tip}.")

    def _say_note(self, *_args) -> None:
        self.note.setVisible(bool(self.note.text()) and self.is_open)


__all__ = ["ADVICE_HEIGHT", "EvaluateAdvice"]
