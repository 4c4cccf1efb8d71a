"""The dialog that asks for a new name (Rename run): its field shows the current name from its start, wide enough for
all of it (up to half the screen), selected so that typing replaces it. Qt's own ``QInputDialog.getText`` opened a
field too narrow for "Recommended design · 2 epochs", scrolled to the end: "mmended design · 2 epochs" (QA keys #8).
"""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

LEAST_LETTERS = 30  # the field is at least this many average letters wide, for a longer new name


class NameDialog(QInputDialog):
    def __init__(self, parent: QWidget | None, title: str, label: str, text: str = ""):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setLabelText(label)
        self.setInputMode(QInputDialog.InputMode.TextInput)
        self.setTextValue(text)
        self.edit = self.findChild(QLineEdit)
        fm = self.edit.fontMetrics()
        want = max(fm.horizontalAdvance(text), LEAST_LETTERS * fm.averageCharWidth()) + 4 * fm.averageCharWidth()
        screen = (parent.screen() if parent is not None else None) or self.screen()
        most = screen.availableGeometry().width() // 2 if screen is not None else want
        self.edit.setMinimumWidth(min(want, most))

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.from_start()

    def from_start(self) -> None:
        """The whole name selected with the cursor at its start: the field shows its first letters (Qt selects it
        all with the cursor at its end, which scrolls a long name's start out of sight)."""
        n = len(self.edit.text())
        self.edit.setSelection(n, -n)


def ask_name(parent: QWidget | None, title: str, label: str, text: str = "") -> tuple[str, bool]:
    """``QInputDialog.getText``'s answer (the name, and whether OK was pressed), from :class:`NameDialog`."""
    dialog = NameDialog(parent, title, label, text)
    ok = dialog.exec() == QInputDialog.DialogCode.Accepted
    name = dialog.textValue()
    dialog.deleteLater()
    return name, ok
