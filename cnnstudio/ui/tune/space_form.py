"""The Tune page's form: the budget (more trials and/or minutes, epochs per trial) first, so a small screen shows
how long a search runs without scrolling, the goal (accuracy, or accuracy and size), then what to search (a check
box and a range per parameter, with a line that explains it).

The form makes the search space as the engine reads it (:func:`cnnstudio.engine.tune.space.parse_space`) and
says in one sentence why it cannot be searched (:meth:`SpaceForm.error`), with a red frame round the fields it
is about (:meth:`SpaceForm.bad_rows`); the page shows that sentence beside its disabled buttons. The structure
parameters (depth, width, dropout) apply to the built-in design only: the page tells the form whether the Model page
holds it (:meth:`SpaceForm.set_structure_allowed`). The last run on all training pictures happens only without
validation pictures (:meth:`SpaceForm.set_final_allowed`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QScrollArea,
                               QVBoxLayout, QWidget)

from ..colours import status_colour

from ...engine.tune.space import AUTO, DEFAULT_EPOCHS, PARAMS, STRUCTURE, SpaceError, default_space, parse_space
from ...project.counting import plural
from ..font_sizes import SMALLER, font_css
from ..keyboard import not_a_tab_stop
from ..model.params import ComboBox, SpinBox
from .tune_state import number_text, param_title, parse_number, value_text

OBJECTIVES = (("accuracy", "Highest validation accuracy"), ("accuracy+size", "Accuracy and a small model"))
FINAL_TIP = ("Without a validation split, each trial keeps some training pictures aside to be judged on; once the "
             "best settings are found, one last run trains them on every training picture (time is kept for it). "
             "That run is the search's model.")
FINAL_OFF = ("Only for a project without validation pictures: this project has some, so each trial is judged on "
             "them and keeps all its training pictures; no last run is needed.")
DEFAULT_TRIALS, DEFAULT_MINUTES = 20, 15


def hint_style() -> str:
    """A hint under a setting: greyed, a little smaller than the body text, whatever the user's font (font_sizes)."""
    return f"color: palette(placeholder-text); {font_css(SMALLER)};"


class NumberEdit(QLineEdit):
    """A number as people write it ("0.001", "1e-4"); ``value()`` is None when the text is not one."""

    def __init__(self, tip: str, parent=None):
        super().__init__(parent)
        # room for "0.000001" (the longest default) and the frame: the Tune page fits a 1024 px wide window
        self.setFixedWidth(self.fontMetrics().horizontalAdvance("0.000001") + 14)
        self.setToolTip(tip)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)

    def value(self) -> float | None:
        return parse_number(self.text())

    def set_value(self, v) -> None:
        self.setText(number_text(v))


class ParamRow(QWidget):
    """One parameter: a check box with its title, its range (low to high, or the choices), its explanation."""

    changed = Signal()

    def __init__(self, name: str, parent=None):
        super().__init__(parent)
        p = PARAMS[name]
        self.name, self.kind, self.log = name, p.kind, bool(p.default.get("log"))
        self.allowed = True  # False: a structure parameter with a design of the user's own (shown unticked)
        self._wanted = True  # whether it is ticked once allowed again
        self.bad = False  # framed red: the form's error is about this row
        self.check = QCheckBox(p.title[0].upper() + p.title[1:])
        self.check.setToolTip(p.explain)
        self.check.toggled.connect(self._toggled)
        self.low = self.high = None
        self.choices: dict = {}  # value -> check box
        self._left_out: dict = {}  # a choice the search leaves out (greyed, unticked) -> whether the user ticked it
        editors = QHBoxLayout()
        editors.setContentsMargins(0, 0, 0, 0)
        editors.addWidget(self.check, 1)
        if p.kind == "choice":
            self._choice_box = editors
            for c in p.default["choices"]:
                self._add_choice(c)
        else:
            self.low = NumberEdit(f"The smallest {p.title} to try")
            self.high = NumberEdit(f"The largest {p.title} to try")
            self.scale = QLabel()
            self.scale.setStyleSheet(hint_style())
            for w in (self.low, QLabel("to"), self.high, self.scale):
                editors.addWidget(w)
            for w, end in ((self.low, "from"), (self.high, "to")):
                w.textEdited.connect(self.changed)
                w.setAccessibleName(f"{p.title} {end}")  # "learning rate from": the row's words, said whole
        explain = QLabel(p.explain)
        explain.setWordWrap(True)
        explain.setStyleSheet(hint_style())
        explain.setContentsMargins(22, 0, 0, 0)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 2, 0, 4)
        lay.setSpacing(1)
        lay.addLayout(editors)
        lay.addWidget(explain)
        self.set_range(p.default)
        self.check.setChecked(True)

    def _add_choice(self, value) -> None:
        box = QCheckBox(value_text(self.name, value))
        box.setAccessibleName(f"{PARAMS[self.name].title} {value_text(self.name, value)}")  # "batch size 32"
        box.setChecked(True)
        box.toggled.connect(self.changed)
        self.choices[value] = box
        self._choice_box.addWidget(box)

    def _toggled(self, on: bool) -> None:
        for w in self.editors():
            w.setEnabled(on and w not in (self.choices.get(c) for c in self._left_out))
        self.changed.emit()

    def set_left_out(self, why: dict) -> None:
        """The choices the search leaves out (value -> why: the batch sizes above the training pictures, which the
        page says it leaves out): unticked and greyed, why their tooltip, so the boxes and the words agree; the
        user's tick is kept (the space still asks for it) and shown again once they are back in."""
        for c, box in self.choices.items():
            out = c in why
            if out != (c in self._left_out):
                box.blockSignals(True)  # the space asked does not change
                if out:
                    self._left_out[c] = box.isChecked()
                    box.setChecked(False)
                else:
                    box.setChecked(self._left_out.pop(c))
                box.blockSignals(False)
            box.setEnabled(not out and self.check.isChecked())
            box.setToolTip(why.get(c, ""))

    def editors(self) -> list[QWidget]:
        return list(self.choices.values()) if self.kind == "choice" else [self.low, self.high]

    def is_on(self) -> bool:
        return self.check.isChecked() and self.allowed

    def set_on(self, on: bool) -> None:
        """Tick or untick it; a row not allowed stays unticked, ticked as asked once it is allowed again."""
        if self.allowed:
            self.check.setChecked(on)
        else:
            self._wanted = on

    def set_allowed(self, allowed: bool, why: str = "") -> None:
        """A structure row with a design that is not the built-in one: off and unticked (a ticked grey box looked
        searched), ``why`` its tooltip; allowed again, ticked as it was."""
        if allowed == self.allowed:
            return
        if not allowed:
            self._wanted = self.check.isChecked()
        self.allowed = allowed
        self.check.setChecked(self._wanted if allowed else False)
        self.setEnabled(allowed)
        self.setToolTip("" if allowed else why)

    def set_range(self, r) -> None:
        """Show a range of the space (``{"low", "high", "log"}`` / ``{"choices"}``); a fixed value is shown as
        a range of one."""
        if self.kind == "choice":
            chosen = r.get("choices", []) if isinstance(r, dict) else [r]
            for c in chosen:
                if c not in self.choices:
                    self._add_choice(c)
            for c, box in self.choices.items():
                if c in self._left_out:  # greyed and unticked: the tick is kept for when it is back in
                    self._left_out[c] = c in chosen
                else:
                    box.setChecked(c in chosen)
            return
        if not isinstance(r, dict):
            r = {"low": r, "high": r}
        self.low.set_value(r.get("low"))
        self.high.set_value(r.get("high"))
        self.log = bool(r.get("log"))
        self.scale.setText("log scale" if self.log else "")
        self.scale.setToolTip("Tried evenly on a log scale: as many values from 0.001 to 0.01 as from 0.01 to 0.1"
                              if self.log else "")

    def set_bad(self, bad: bool) -> None:
        """A red frame round this row's fields (a choice's words in red) while the form's error is
        about it."""
        colour = status_colour("error", self)
        for w in self.editors():
            w.setStyleSheet((f"QCheckBox {{ color: {colour}; }}" if self.kind == "choice"
                             else f"QLineEdit {{ border: 2px solid {colour}; border-radius: 3px; }}") if bad else "")
        self.bad = bad

    def error(self) -> str:
        """Why this row alone cannot be searched ("" when it can): its range as the engine checks it."""
        if not self.is_on():
            return ""
        try:
            parse_space({"params": {self.name: self.range()}})
        except SpaceError as e:
            return str(e)
        return ""

    def range(self):
        """This row's range as the space writes it; raises SpaceError when a number cannot be read."""
        if self.kind == "choice":
            return {"choices": [c for c, box in self.choices.items()
                                if self._left_out.get(c, box.isChecked())]}  # a left-out choice: as ticked
        out = {}
        for key, edit in (("low", self.low), ("high", self.high)):
            v = edit.value()
            if v is None:
                raise SpaceError(f"the {key}est {param_title(self.name)} to try, {edit.text()!r}, is not a number")
            out[key] = int(v) if self.kind == "int" and float(v).is_integer() else v
        if self.log:
            out["log"] = True
        return out


class SpaceForm(QScrollArea):
    changed = Signal()  # any edit

    def __init__(self, parent=None):
        super().__init__(parent)
        self.structure_allowed = True
        self.rows = {name: ParamRow(name) for name in PARAMS}
        self.structure_note = QLabel("Depth, width and dropout can be searched only from the built-in design "
                                     "(Model page: “Recommended”). The design on the Model page now keeps its "
                                     "layers.")
        self.structure_note.setWordWrap(True)
        self.structure_note.setStyleSheet(hint_style())
        self.structure_note.hide()
        what = QGroupBox("What to tune")
        wl = QVBoxLayout(what)
        wl.setSpacing(2)
        for name, row in self.rows.items():
            if name == STRUCTURE[0]:
                wl.addWidget(self.structure_note)
            wl.addWidget(row)
            row.changed.connect(self.changed)

        self.epochs = self._spin(0, 1000, DEFAULT_EPOCHS, "epoch", "Every trial trains this long (hopeless "
                                 "trials are stopped earlier). Auto: as long as your settings on the Train page "
                                 "(their Auto: what the first trial's timing gives), so the first trial is the "
                                 "run you would get without tuning")
        self.epochs.setSpecialValueText("Auto (as the Train page)")
        self.use_trials = QCheckBox("Trials")
        self.use_trials.setChecked(True)
        self.trials = self._spin(1, 10000, DEFAULT_TRIALS, "", "How many more settings to try")
        self.trials.setSuffix(" more")
        self.use_minutes = QCheckBox("Time limit")
        self.use_minutes.setChecked(True)
        self.minutes = self._spin(1, 100000, DEFAULT_MINUTES, "minute", "Stop the search after this long (the "
                                  "trial in flight then is stopped)")
        for c, s in ((self.use_trials, self.trials), (self.use_minutes, self.minutes)):
            c.toggled.connect(s.setEnabled)
            s.setAccessibleName(c.text())  # the check box beside it is its label
            c.toggled.connect(self.changed)
        budget = QGroupBox("Budget")
        bl = QFormLayout(budget)
        bl.addRow(self.use_trials, self.trials)
        bl.addRow(self.use_minutes, self.minutes)
        each = QLabel("Each trial")
        each.setBuddy(self.epochs)  # a screen reader names the box by its label, not by its value ("4 epochs")
        self.epochs.setAccessibleName("Each trial")
        bl.addRow(each, self.epochs)

        self.objective_combo = ComboBox()
        for key, text in OBJECTIVES:
            self.objective_combo.addItem(text, key)
        self.objective_combo.setToolTip("With a small model too, the result is a choice: the trials no other "
                                        "trial beats on both accuracy and size")
        self.objective_combo.currentIndexChanged.connect(self._objective_changed)
        self.pruning = QCheckBox("Stop hopeless trials early")
        self.pruning.setChecked(True)
        self.pruning.setToolTip("A trial far behind the others after a few epochs is stopped, so more settings "
                                "can be tried (not with two goals)")
        self.pruning.toggled.connect(self.changed)
        self.final = QCheckBox("Then train the best settings on all training pictures")
        self.final.setChecked(True)
        self.final.setToolTip(FINAL_TIP)
        self.final.toggled.connect(self.changed)
        self.final.toggled.connect(self._final_chosen)
        self.final_allowed = True  # False: the project has validation pictures (set_final_allowed)
        self._final_wanted = True  # the box as the user left it: shown unticked while it is off, ticked back after
        self.objective_combo.setAccessibleName("Goal")
        goal = QGroupBox("Goal")
        gl = QVBoxLayout(goal)
        gl.addWidget(self.objective_combo)
        gl.addWidget(self.pruning)
        gl.addWidget(self.final)

        inner = QWidget()
        lay = QVBoxLayout(inner)
        lay.setContentsMargins(0, 0, 4, 0)
        for w in (budget, goal, what):  # how long first: seen whole on a 1,024 x 614 screen
            lay.addWidget(w)
        lay.addStretch(1)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(inner)
        not_a_tab_stop(self)  # the form's frame: Tab goes to its first field
        self.setMinimumWidth(inner.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width() + 6)
        self.changed.connect(self._show_error)
        self._show_error()

    def _spin(self, lo, hi, value, word, tip) -> SpinBox:
        """A spin box whose number is followed by ``word``, plural but for 1 ("1 epoch", "2 epochs")."""
        s = SpinBox()
        s.setRange(lo, hi)
        if word:
            s.valueChanged.connect(lambda v: s.setSuffix(f" {plural(v, word)}"))
            s.setSuffix(f" {plural(value, word)}")
        s.setValue(value)
        s.setToolTip(tip)
        s.valueChanged.connect(self.changed)
        return s

    # -- what the page asks --------------------------------------------------------------------------------
    def space(self) -> dict:
        """The search space as JSON; raises SpaceError when a number cannot be read."""
        return {"epochs": self.epochs.value() or AUTO,
                "params": {n: row.range() for n, row in self.rows.items() if row.is_on()}}

    def error(self) -> str:
        """Why this form cannot start a new search, in one sentence ("" when it can): :meth:`space_error`, then
        :meth:`budget_error`."""
        return self.space_error() or self.budget_error()

    def space_error(self) -> str:
        """Why the settings to try cannot be searched ("" when they can): a new search's alone (Continue carries
        on a search with its own)."""
        try:
            parse_space(self.space(), structure_allowed=self.structure_allowed)
        except SpaceError as e:
            text = str(e)
            for name in PARAMS:  # the engine names parameters as the space file does; people read titles
                text = text.replace(f"'{name}'", param_title(name))
            return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")
        return ""

    def budget_error(self) -> str:
        """Why the budget cannot be used ("" when it can): the part of the form Continue reads too."""
        if not (self.use_trials.isChecked() or self.use_minutes.isChecked()):
            return "Give a budget: a number of trials, a time limit, or both."
        return ""

    def budget(self) -> tuple[int | None, float | None]:
        """(more trials, minutes), None for the one not used."""
        return (self.trials.value() if self.use_trials.isChecked() else None,
                float(self.minutes.value()) if self.use_minutes.isChecked() else None)

    @staticmethod
    def first_budget() -> tuple[int, float]:
        """The budget the form opens with (more trials, minutes): not a choice the user made."""
        return DEFAULT_TRIALS, float(DEFAULT_MINUTES)

    def objective(self) -> str:
        return self.objective_combo.currentData()

    def use_pruning(self) -> bool:
        return self.pruning.isChecked() and self.objective() == "accuracy"

    def use_final(self) -> bool:
        return self.final.isChecked() and self.objective() == "accuracy" and self.final_allowed

    # -- what the page sets --------------------------------------------------------------------------------
    def set_structure_allowed(self, allowed: bool) -> None:
        if allowed == self.structure_allowed:
            return
        self.structure_allowed = allowed
        for name in STRUCTURE:
            self.rows[name].set_allowed(allowed, self.structure_note.text())
        self.structure_note.setVisible(not allowed)
        self.changed.emit()

    def set_left_out(self, name: str, why: dict) -> None:
        """The choices of ``name`` the search leaves out, greyed and unticked (:meth:`ParamRow.set_left_out`)."""
        self.rows[name].set_left_out(why)

    def set_space(self, space: dict | None) -> None:
        """Show a study's space (a parameter it left out is unchecked)."""
        if not isinstance(space, dict):
            return
        params = space.get("params") if isinstance(space.get("params"), dict) else {}
        for name, row in self.rows.items():
            if name in params:
                row.set_range(params[name])
            row.set_on(name in params)
        if isinstance(space.get("epochs"), int) or space.get("epochs") == AUTO:
            self.epochs.setValue(space["epochs"] if isinstance(space["epochs"], int) else 0)
        self.changed.emit()

    def reset(self) -> None:
        """The default space: every parameter the design allows, the default ranges and budget."""
        self.set_space(default_space(self.structure_allowed))
        self.set_objective("accuracy")
        self.pruning.setChecked(True)
        self._final_wanted = True
        self._objective_changed()

    def set_budget(self, trials: int | None, minutes: float | None) -> None:
        self.use_trials.setChecked(trials is not None)
        self.use_minutes.setChecked(minutes is not None)
        if trials is not None:
            self.trials.setValue(trials)
        if minutes is not None:
            self.minutes.setValue(round(minutes))

    def set_objective(self, objective: str) -> None:
        self.objective_combo.setCurrentIndex(max(0, self.objective_combo.findData(objective)))

    def set_final_allowed(self, allowed: bool) -> None:
        """Whether the last run on all training pictures can happen: not with validation pictures (the box is
        then off, its tooltip says why). Unchanged: nothing to do (``changed`` would redo the page's checks)."""
        if allowed == self.final_allowed:
            return
        self.final_allowed = allowed
        self._objective_changed()
        self.final.setToolTip(FINAL_TIP if allowed else FINAL_OFF)

    def bad_rows(self) -> list[str]:
        """The parameters whose own range the form's error is about (framed red)."""
        return [name for name, row in self.rows.items() if row.bad]

    def set_editable(self, on: bool) -> None:
        self.widget().setEnabled(on)

    def _objective_changed(self) -> None:
        self.pruning.setEnabled(self.objective() == "accuracy")
        on = self.objective() == "accuracy" and self.final_allowed
        self.final.setEnabled(on)
        self.final.setChecked(on and self._final_wanted)  # a grey box is unticked: it does nothing (as the rows)
        self.changed.emit()

    def _final_chosen(self, ticked: bool) -> None:
        if self.final.isEnabled():  # the user's choice, not the box unticked while it is off
            self._final_wanted = ticked

    def _show_error(self) -> None:
        """A red frame round the rows the form's error is about (the page says the error by its buttons)."""
        text = self.error()
        for row in self.rows.values():
            row.set_bad(bool(text) and bool(row.error()))
