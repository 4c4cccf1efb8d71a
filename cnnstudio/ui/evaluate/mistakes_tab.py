"""The Evaluate page's "Mistakes" tab: a note over the list, "Show all mistakes" while two classes' are listed, and
the :class:`~.mistakes_table.MistakesTable` with one button a row, centred at its normal height in its cell.

The button follows :mod:`.mistake_words`: on validation pictures "Relabel as <the model's guess>" (one click) where a
good enough model was sure (:func:`~.mistake_words.offers_relabel`), else, and on test pictures, "Change label…", a
menu of the classes to choose from. The model's skill is read from the evaluation when the page gives it
(``fill(evaluation=…)``), else from the pictures the split holds now and the mistakes listed. Either is one undoable
command through :meth:`ProjectSession.label` (the gallery follows), and the buttons follow every change of the labels
(an undo too). A button's words longer than :data:`BUTTON_CHARS` characters (a long class name) are cut in their
middle, the one rule of names (:func:`~..elided_label.elide_name`), and said whole in its tooltip.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QMenu, QPushButton, QTableWidgetItem, QVBoxLayout, QWidget)

from ...engine.use.figures import probability_percent
from ...project import ProjectError
from ...project.names import quoted
from ..elided_label import elide_name
from ..read_only_words import read_only_note
from ..session import ProjectSession
from .mistake_words import between, button_words, doubt, evaluation_skill, mistakes_note, offers_relabel
from .mistakes_table import MistakesTable

MAX_MISTAKES = 200
BUTTON_CHARS = 28  # the widest a button's words are, in average characters: a longer class name is cut in its middle
READ_ONLY_DOING = "change labels"  # what a project open for viewing only cannot do here (read_only_words)


class MistakesTab(QWidget):
    show_all = Signal()  # "Show all mistakes": the page lists every mistake again

    def __init__(self, session: ProjectSession, thumb: int, request_thumb: Callable, parent=None):
        super().__init__(parent)
        self.session = session
        self.thumb = thumb
        self._request_thumb = request_thumb  # (image id, table item): the page loads the picture into the item
        self.split = "test"
        self.skill = 0.0  # the model's on these pictures (mistake_words.model_skill)
        self.classes = 0  # how many classes the model answers (mistake_words.unsure_answer)
        self.wrong: list[dict] = []  # the mistakes listed
        self.rows: dict[int, int] = {}  # image id -> its row
        self.buttons: dict[int, QPushButton] = {}  # image id -> its row's button
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.all_button = QPushButton("Show all mistakes")
        self.all_button.setToolTip("List the mistakes between every two classes again.")
        self.all_button.clicked.connect(self.show_all)
        self.all_button.hide()
        self.table = MistakesTable(thumb)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.note, 1)
        top.addWidget(self.all_button, 0, Qt.AlignmentFlag.AlignTop)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)  # the table's columns need the width more than the tab needs margins
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        session.labels_changed.connect(self._labels_changed)

    def fill(self, wrong: list[dict], split: str, classes=None, evaluation: dict | None = None) -> int:
        """List the mistakes of ``wrong`` on ``split`` (between the two ``classes`` only, when given), most
        confident first as they come; returns how many there are. ``evaluation``: the one they come from (the
        model's skill)."""
        self.split = split
        self.skill = evaluation_skill(evaluation or {})  # none: nothing evaluated, nothing one click away
        self.classes = len((evaluation or {}).get("classes") or (evaluation or {}).get("per_class") or ())
        chosen = between(wrong, classes)
        shown = chosen[:MAX_MISTAKES]
        self.wrong, self.rows, self.buttons = shown, {}, {}
        self.table.setRowCount(len(shown))
        self.note.setText(mistakes_note(split, len(chosen), len(wrong), MAX_MISTAKES, classes, self.skill))
        self.all_button.setVisible(bool(classes))
        for row, m in enumerate(shown):
            pic = QTableWidgetItem()
            pic.setData(Qt.ItemDataRole.UserRole, m["id"])
            pic.setSizeHint(QSize(self.thumb + 8, self.thumb + 4))
            self.table.setItem(row, 0, pic)
            pair = QTableWidgetItem(f"{m['true']}  →  {m['predicted']}")
            pair.setToolTip(f"Labelled {quoted(m['true'])}; the model took it for {quoted(m['predicted'])}.")  # whole
            self.table.setItem(row, 1, pair)
            conf = QTableWidgetItem(probability_percent(m["confidence"]))
            conf.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 2, conf)
            self.table.setCellWidget(row, 3, self._button_cell(m))
            self.rows[m["id"]] = row
            self._request_thumb(m["id"], pic)
        self.update_buttons(list(self.rows))
        self.table.setColumnWidth(0, self.thumb + 12)
        return len(chosen)

    def _sure(self, m: dict) -> bool:
        """Whether mistake ``m`` is offered one click to the model's guess (mistake_words.offers_relabel)."""
        return offers_relabel(self.split, float(m.get("confidence", 0.0)), self.skill)

    def _button_cell(self, m: dict) -> QWidget:
        """The row's button at its own height, centred in the 128-pixel-high cell (stretched, it read as a blank
        panel)."""
        button = QPushButton()
        if self._sure(m):
            button.clicked.connect(lambda _=False, i=m["id"], c=m["predicted"]: self.relabel(i, c))
        else:  # the test pictures, or the model unsure: the user chooses the class
            menu = QMenu(button)
            menu.aboutToShow.connect(lambda i=m["id"], mn=menu: self._fill_menu(mn, i))
            button.setMenu(menu)
        self.buttons[m["id"]] = button
        cell = QWidget()
        lay = QHBoxLayout(cell)
        lay.setContentsMargins(4, 0, 4, 0)
        lay.addWidget(button, 0, Qt.AlignmentFlag.AlignCenter)
        return cell

    def _fill_menu(self, menu: QMenu, image_id: int) -> None:
        """The classes to choose from, the picture's label now ticked."""
        p = self.session.project
        menu.clear()
        try:
            now = p.image(image_id).class_id
        except ProjectError:  # deleted meanwhile: nothing to choose
            return
        for c in p.classes():
            act = menu.addAction(c.name)
            act.setCheckable(True)
            act.setChecked(c.id == now)
            act.setEnabled(c.id != now)
            act.triggered.connect(lambda _=False, i=image_id, name=c.name: self.relabel(i, name))

    def menu_for(self, image_id: int) -> QMenu | None:
        """The class menu of a mistake's button (test pictures, or the model unsure), filled as when it opens (None
        for a one-click relabel)."""
        button = self.buttons.get(image_id)
        menu = button.menu() if button is not None else None
        if menu is not None:
            self._fill_menu(menu, image_id)
        return menu

    def relabel(self, image_id: int, class_name: str) -> bool:
        """Label the picture ``class_name`` (one undoable command)."""
        c = self.session.project.class_by_name(class_name)
        if c is None:
            return False
        self.session.label([image_id], c.id)
        return True

    def _labels_changed(self, ids: list) -> None:
        mine = [i for i in ids if i in self.rows]
        if mine:
            self.update_buttons(mine)

    def update_buttons(self, ids: list[int]) -> None:
        p = self.session.project
        names = {c.id: c.name for c in p.classes()}
        current = {r.id: names.get(r.class_id) for r in p.records(ids)}
        by_id = {m["id"]: m for m in self.wrong}
        read_only = read_only_note(p, READ_ONLY_DOING)
        for image_id in ids:
            button, m = self.buttons.get(image_id), by_id.get(image_id)
            if button is None or m is None:
                continue
            text, tip, enabled = button_words(self.split, m["true"], m["predicted"], current.get(image_id),
                                              image_id not in current, p.class_by_name(m["predicted"]) is not None,
                                              read_only, doubt(self.split, float(m.get("confidence", 0.0)),
                                                               self.skill, self.classes))
            shown = elide_name(button.font(), text, button.fontMetrics().averageCharWidth() * BUTTON_CHARS)
            button.setText(shown)  # a long name must not widen the column and squeeze the class names
            button.setToolTip(tip if shown == text else f"{text}\n{tip}" if tip else text)  # the words whole
            button.setEnabled(enabled)
        self.table.resizeColumnToContents(3)  # "✓ now labelled cat" is longer than "Relabel as cat"


__all__ = ["MAX_MISTAKES", "MistakesTab"]
