"""What a run means and what to do next (:mod:`cnnstudio.engine.runs.advice`), shown on the Train page when a
run ends and on the Evaluate page for the run shown.

:class:`AdvicePanel` lists the findings, most important first, each with a coloured mark, its sentence and, when
the app can do it, one button ("Train 20 more epochs", "Turn on augmentation", "Try transfer learning"). A button
emits :attr:`AdvicePanel.action_requested` with the action; :func:`follow_advice` (connected by the workspace)
sets what it says on the Train and Model pages and shows the page it names. A button that sets up a next run sets
up the advised run again (its design, as the runs list's "Use this design", and its settings), then its change, and
the Train page's status line says so ("Set up from run “LeNet-5 · 4 epochs”: its design and settings, for 24
epochs. Press Start to train it."). "Look at the mistakes" lists the mistakes between the two classes on the
Evaluate page. Nothing starts by itself: the user presses Start. The one exception is "Resume: train epochs 4 to 5"
(a run stopped before its planned epochs): it resumes that run with its own settings, as the runs list's Resume does.
"Check the labels" (a model no better than guessing) shows the Data page's "Check data" tab, where the user starts
the check. "Add pictures" opens the Data page's import (Import a folder…); for too few validation pictures it says
that Split then puts some of the new ones in validation (imported pictures have no split), and shows "Split & health".

In a project open for viewing only, the buttons that set up or train a run are off, the project's read-only sentence
their tooltip (:func:`button_words`); "Look at the mistakes" only lists and "Check the labels" only shows a tab, and
they stay on.

A button's words are always whole: on one line where the finding's sentence keeps its room beside it, else wrapped
at whole words over as many lines as they need (:func:`fit_label`, :func:`wrap_words`; QA at 1,024 x 614 read
"Train a new run for…"), whole in its tooltip and accessible name too. Only a single word wider than the room (a
translation's) is cut with "…".

The findings quote the validation pictures (the engine's one rule, ``advice_data.judged_on``), never the test
pictures, looked at or not (a run without validation pictures is judged on its training pictures, and says so); on a
page showing other pictures (Evaluate on the test pictures) the title says which pictures its numbers come from.

The panel is a light box on a light window and a tint of the palette's base colour on a dark one, its words in the
palette's text colour, each finding's mark in its status colour (:mod:`cnnstudio.ui.colours`, chosen when the panel
is made and when its findings are set).
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from .colours import note_colours, status_colour
from .read_only_words import read_only_note

KINDS = {"high": "error", "medium": "warning", "low": "muted", "good": "ok"}  # severity -> its status colour
WORDS = {"high": "Important", "medium": "Worth doing", "low": "Good to know", "good": "Good"}
PAGES = ("Data", "Model", "Train", "Tune", "Evaluate", "Predict")  # = workspace.STEPS, in order
MAX_SHOWN = 5
TITLE = "<b>What this means</b>"
SPLIT_WORDS = {"val": "validation", "test": "test"}
BUTTON_CHARS = 24  # an advice button may be this wide, in characters, at the least; longer words wrap in it
SENTENCE_CHARS = 80  # a finding's sentence keeps this much room, in characters, beside a wider button
SHOWS_TAB = ("look_at_mistakes", "check_data")  # buttons that only show something: on in a read-only project too
FIND_WAITS = "The learning-rate finder waits while a run trains: press Find when it has ended."  # Find off, no reason
READ_ONLY_DOING = "set up or train a new run"  # "… so CNN Studio cannot set up or train a new run: …"


class AdvicePanel(QFrame):
    """The findings of one run. ``items`` (the :class:`~cnnstudio.engine.runs.advice.Advice` shown) and
    ``buttons`` (one per finding with an action, in order) are there for tests."""

    action_requested = Signal(dict)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("advice")
        bg, words, border = note_colours("neutral", self)
        self.setStyleSheet(f"QFrame#advice {{ background: {bg}; border: 1px solid {border}; border-radius: 4px; }}"
                           f" QFrame#advice QLabel {{ color: {words}; }}")
        self.items: list = []
        self.buttons: list[QPushButton] = []
        self.run_id: str | None = None
        self.read_only = ""  # why the project, open for viewing only, cannot train: the buttons that would are off
        self.other_pictures = ""  # the pictures ("validation") the findings' numbers come from, when not those shown
        self._lay = QVBoxLayout(self)
        self._lay.setContentsMargins(8, 6, 8, 6)
        self._lay.setSpacing(4)
        self.title = QLabel(TITLE)
        self._lay.addWidget(self.title)
        self._rows: list[QWidget] = []
        self._texts: list[QLabel] = []
        self.hide()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """A wrapped sentence keeps the lines it needs at this width (a splitter's layouts do not ask a wrapping
        label its height for a width, and would cut its last line off); each button's words fit its room
        (:func:`fit_label`)."""
        super().resizeEvent(event)
        for button in self.buttons:
            fit_label(button, self.width())
        for text in self._texts:
            need = text.heightForWidth(max(1, text.width()))
            if need > 0 and text.minimumHeight() != need:
                text.setMinimumHeight(need)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """Shown again at the same width (no resize): the buttons' words fit it."""
        super().showEvent(event)
        for button in self.buttons:
            fit_label(button, self.width())

    def clear(self) -> None:
        for w in self._rows:
            self._lay.removeWidget(w)
            w.deleteLater()
        self._rows, self.items, self.buttons, self.run_id = [], [], [], None
        self._texts: list[QLabel] = []
        self.hide()

    def show_run(self, project, run_id: str | None, shown_split: str | None = None) -> None:
        """The advice of ``run_id`` (read from its files); nothing shown when it has none or cannot be read.
        ``shown_split``: the pictures the page shows ("val", "test"): the title says when the findings' numbers
        come from other pictures."""
        from ..engine.errors import EngineError
        from ..engine.runs.advice import advise
        from ..project.errors import ProjectError

        if not run_id:
            self.clear()
            return
        self.read_only = read_only_note(project, READ_ONLY_DOING)
        try:
            items = advise(project, run_id, looking_at_test=shown_split == "test")  # the Evaluate page's look
        except (EngineError, ProjectError, OSError, KeyError, ValueError):
            items = []
        self.set_advice(items)
        self.run_id = run_id
        quoted = {a.evidence.get("split") for a in self.items} & set(SPLIT_WORDS)
        if shown_split and len(quoted) == 1 and shown_split not in quoted:
            self.other_pictures = SPLIT_WORDS[quoted.pop()]
            self.title.setText(f"<b>What this means</b> <small>· its numbers are from the {self.other_pictures} "
                               "pictures, not the ones shown below</small>")

    def set_advice(self, items: list) -> None:
        self.clear()
        self.title.setText(TITLE)
        self.other_pictures = ""
        self.items = list(items)[:MAX_SHOWN]
        for a in self.items:
            row = QWidget()
            rl = QHBoxLayout(row)
            rl.setContentsMargins(0, 0, 0, 0)
            colour = status_colour(KINDS.get(a.severity, "muted"), self)
            text = QLabel(f"<span style='color:{colour}; font-weight:600'>● {WORDS.get(a.severity, a.severity)}:"
                          f"</span> {escape(a.text)}")
            text.setWordWrap(True)
            text.setTextFormat(Qt.TextFormat.RichText)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            text.setToolTip(f"{a.kind}")
            rl.addWidget(text, 1)
            self._texts.append(text)
            if a.action:
                button = QPushButton(a.action["label"])
                tip, enabled = button_words(a.action, self.read_only)
                button.setProperty("tip", tip)
                button.setAccessibleName(a.action["label"])  # its words whole, also when they are cut to fit
                button.setEnabled(enabled)
                button.setToolTip(tip)
                button.clicked.connect(lambda _=False, act=a.action: self.action_requested.emit(dict(act)))
                rl.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
                self.buttons.append(button)
            self._lay.addWidget(row)
            self._rows.append(row)
        self.setVisible(bool(self.items))
        if self.isVisible():  # else when shown, at its width (resizeEvent)
            for button in self.buttons:
                fit_label(button, self.width())


def fit_label(button: QPushButton, width: int) -> None:
    """Show a button's words (its accessible name) on one line when they fit :func:`button_room`, else wrapped at
    whole words (:func:`wrap_words`), each line within the room; its tooltip then starts with the whole words. The
    finding's sentence beside it so keeps its width however long the words (or their translation), and the words are
    never cut but for a single word wider than the room."""
    label, tip = button.accessibleName(), button.property("tip") or ""
    metrics = button.fontMetrics()
    widest = max(metrics.horizontalAdvance(line) for line in button.text().split("\n"))
    pad = max(0, button.sizeHint().width() - widest)  # its frame and margins
    room = button_room(metrics, width) - pad
    lines = [line if metrics.horizontalAdvance(line) <= room else
             metrics.elidedText(line, Qt.TextElideMode.ElideRight, room)  # one word wider than the room
             for line in wrap_words(label, room, metrics.horizontalAdvance)]
    shown = "\n".join(lines)
    if button.text() != shown:
        button.setText(shown)
    tip = tip if shown == label else f"{label.rstrip('.')}. {tip}"
    if button.toolTip() != tip:
        button.setToolTip(tip)


def wrap_words(words: str, room: int, width) -> list[str]:
    """``words`` in lines of whole words, each at most ``room`` wide by ``width`` (a text's width: a font's
    ``horizontalAdvance``), as many words on a line as fit; a word wider than the room alone on its line."""
    lines: list[str] = []
    for word in words.split():
        if lines and width(f"{lines[-1]} {word}") <= room:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def button_room(metrics, width: int) -> int:
    """The most pixels an advice button may take in a panel ``width`` wide: what the finding's sentence leaves when
    it keeps the room of :data:`SENTENCE_CHARS` characters, and at least the room of :data:`BUTTON_CHARS`."""
    return max(metrics.averageCharWidth() * BUTTON_CHARS, width - metrics.averageCharWidth() * SENTENCE_CHARS)


def button_tip(act: dict) -> str:
    """What an advice button does, in its tooltip."""
    if act.get("resume"):
        return "Goes on training this run on the Train page, with its own settings."
    if act.get("id") == "look_at_mistakes":
        return "Lists the pictures of these two classes that the model mixed up, on the Evaluate page."
    if act.get("tool") == "check_data":
        return "Shows the Data page's Check data, which looks for wrong labels among all the pictures."
    if act.get("id") == "add_pictures":
        return add_pictures_words(act)
    if act.get("run"):
        return ("Sets up this run again on the Model and Train pages, its design and settings with this change; "
                "nothing starts until you press Start.")
    return f"Sets this up on the {act['page']} page; nothing starts until you press Start."


def add_pictures_words(act: dict) -> str:
    """What "Add pictures" does, in its tooltip and on the window's message line: it opens the Data page's import; for
    too few validation (or test) pictures, importing alone puts none there (new pictures have no split yet), so it
    says that Split then shares them out."""
    said = "Opens the Data page's import: choose a folder of pictures to add."
    if act.get("split") in ("validation", "test"):
        said += (f" Then press Split on the Data page: it shares the pictures out again, some of the new ones into "
                 f"{act['split']}.")
    return said


def button_words(act: dict, read_only: str = "") -> tuple[str, bool]:
    """An advice button's tooltip and whether it can be pressed. ``read_only``: why the project, open for viewing
    only, cannot train (:data:`READ_ONLY_DOING`): every button but those that only show something
    (:data:`SHOWS_TAB`: "Look at the mistakes", "Check the labels") is off, and that is its tooltip."""
    if read_only and act.get("id") not in SHOWS_TAB:
        return read_only, False
    return button_tip(act), True


def follow_advice(workspace, act: dict) -> None:
    """Do what an advice button says: set up the run it is about again (:func:`_set_up_run`), set the training
    settings it names on the Train page (augmentation on the Model page, where it is designed), choose the design it
    names, and show its page; "Look at the mistakes" lists them on the Evaluate page. "Resume" (a run stopped before
    its planned epochs) resumes that run on the Train page with its own settings, as the runs list's Resume does:
    there is nothing to set first."""
    if act.get("resume"):
        _resume(workspace, act["resume"])
        return
    said, settings = _set_up_run(workspace, act)
    if "augment" in settings:
        workspace.model_page.set_augment(settings.pop("augment"))
    if act.get("preset"):
        workspace.model_page.apply_preset(act["preset"])
    if settings:
        form = workspace.train_page.settings_form
        values = form.values()
        values.update({k: v for k, v in settings.items() if k in values})
        form.set_values(values)
        form.save()
    page = act.get("page")
    if page in PAGES:
        workspace.show_step(PAGES.index(page))
    if said:  # what Start trains now, on the page and on the window's message line
        train = workspace.train_page
        if not train.running:  # a run's own progress line stays while it trains
            train.set_up_line.say(said)  # taken back once a setting changes (train/set_up_line.py)
        workspace.window().statusBar().showMessage(said, 15000)
    if act.get("id") == "look_at_mistakes" and act.get("classes"):
        workspace.evaluate_page.show_mistakes(act["classes"], act.get("run"), act.get("split"))
    if act.get("tool") == "check_data":  # the Data page's Check data tab, its Check data button ready: Enter starts
        data = workspace.data
        data.side.setCurrentWidget(data.check)
        data.check.run.setFocus(Qt.FocusReason.OtherFocusReason)
    if act.get("id") == "add_pictures":
        _add_pictures(workspace, act)
    if act.get("tool") == "lr_find":  # the finder's dialog: a short measurement on a copy, with Cancel
        find = workspace.train_page.settings_form.find_lr
        if find.isEnabled():
            find.click()
        else:  # Find is off (Start's reason, a search, missing weights, read-only, a run training): say why
            workspace.window().statusBar().showMessage(find.blocked or FIND_WAITS, 15000)


def _add_pictures(workspace, act: dict) -> None:
    """"Add pictures": the Data page's "Split & health" (where Split is, for too few validation pictures), what to do
    said on the window's message line (:func:`add_pictures_words`), then the Data page's "Import a folder…" (the
    window's File > Import Folder…), once the page is shown."""
    data = workspace.data
    data.side.setCurrentWidget(data.splits)
    workspace.window().statusBar().showMessage(add_pictures_words(act), 30000)
    QTimer.singleShot(0, data.import_folder_requested.emit)


def _set_up_run(workspace, act: dict) -> tuple[str, dict]:
    """For a button that sets up a next run (it names its run): that run's design back on the Model page (the runs
    list's "Use this design": one undo step there) and its own settings with the button's change
    (``advice_actions.next_settings``). Returns the sentence that says so ("" for another button, or a run deleted
    meanwhile) and the settings to set."""
    from ..engine.runs.advice_actions import NEXT_RUN, next_settings, set_up_words
    from ..engine.runs.run_design import has_design
    from ..project import run_records

    run_id = act.get("run") if act.get("id") in NEXT_RUN else None
    info = run_records.find_run(workspace.session.project, run_id) if run_id else None
    if info is None:
        return "", dict(act.get("settings") or {})
    design = has_design(info.config)
    if design:
        workspace.model_page.use_run(run_id)
    return (set_up_words(info.name, act, design),
            next_settings(run_records.run_settings(info.config), act))


def _resume(workspace, run_id: str) -> None:
    """Show the Train page and resume ``run_id`` there; nothing starts while another run trains or when the run
    cannot go on any more (it was resumed and finished meanwhile)."""
    from ..project import run_records

    workspace.show_step(PAGES.index("Train"))
    page = workspace.train_page
    info = run_records.find_run(workspace.session.project, run_id)  # None: deleted meanwhile
    if info is None or info.status not in ("stopped", "failed"):
        said = "That run cannot be resumed any more: it was deleted, or it has finished meanwhile."
    elif page.running:
        said = "Another run is training: resume this one from the runs list once it has ended."
    else:
        page.resume(run_id)
        return
    workspace.window().statusBar().showMessage(said, 8000)


__all__ = ["AdvicePanel", "add_pictures_words", "button_room", "button_tip", "button_words", "fit_label",
           "follow_advice", "wrap_words"]
