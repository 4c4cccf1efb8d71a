"""The Tune step, between Train and Evaluate: search for better settings, watch the trials, use the best.

Left: what to search and the budget (:mod:`.space_form`). Right: the project's studies (a list: choosing one
shows it), the buttons — one big "Find better settings (15 minutes)" for beginners (the default search),
Start (a new study with the form), Stop, Continue (the chosen study, more trials) — the result in plain
words, the trials (:mod:`.trials_table`) with "Use these settings" (:mod:`.trial_use`), and the plots
(:mod:`.tune_plots`).

A new study starts from the Model page's design and the Train page's settings; Continue carries on the chosen
study from what it started from, read back from the study (:mod:`.study_inputs`). It runs in a child process
(:class:`cnnstudio.engine.tune.child.TuneChild`) whose events a :class:`~.tune_thread.TuneThread` turns
into signals; they feed the Qt-free :class:`~.tune_state.TuneState` the table and plots show. Every trial is
an ordinary run (the runs list, Evaluate and Predict show it): ``runs_changed`` tells the workspace.

When no search can start, the page says why with the Train page's note and a button to the page that fixes
it (``go_to_step``): the rule is :func:`~.search_blocker.search_blocker`, the Train page's rule plus a search's own.
A form that cannot be searched is said in the same place, its wrong fields framed red.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QMessageBox, QPushButton, QSplitter, QVBoxLayout, QWidget)

from ...engine.data.planned_pictures import planned_pictures
from ...engine.tune.words import trial_words
from ...project.counting import counted
from ...project import run_records
from ..colours import note_style
from ..errors import failure_html
from ..session import ProjectSession
from ..fitting_button import FittingButton
from ..keyboard import WordsLabel, follow_action
from ..train.run_words import split_pictures
from ..train.start_blocker import data_problem, missing_weights
from .page_parts import GivingBox, LowerSplitter, SearchBlockedNote
from .search_blocker import final_run_applies, search_blocker
from .search_events import SearchEvents
from .space_form import SpaceForm
from .trials_table import TrialsModel, TrialsView
from . import quick_search
from .quick_search import QUICK_MINUTES
from .tune_plots import TunePlots
from .study_list import StudyList
from .study_inputs import (CHANGED_FORM, CONTINUE_KEEPS, CONTINUE_TIP, continue_refusal, continued_inputs,
                           design_kind, form_differs, new_inputs)
from .trial_use import (FINAL_TIP, final_model, final_model_words, final_test_seen, searched_titles, use_tip,
                        use_trial, used_words)
from .start_words import left_out_choices, starting_text
from .tune_state import PRUNED_TIP, TuneState, shown_text, trials_budget, unique_name
from .tune_thread import TuneThread

QUICK_TIP = ("The one-click search: puts the usual choices back on the left (it asks first when you changed them), "
             "then tries many settings for {time}, starting from the Train page's, and keeps the best")  # {time}: QUICK_MINUTES in words
START_TIP = ("Starts a new search with exactly what you chose on the left: the settings to try, their ranges and "
             "the time or number of trials")
STOP_TIP = ("Stop now: the finished trials are kept; the trial in training ends and is shown as stopped. Continue "
            "carries on the same search")
BOX = "padding: 8px; border-radius: 4px;"  # the failure's and the result's boxes: the palette's notes (colours.py)
RESULT = f"font-size: 14px; {BOX}"


def _label(style: str = "") -> QLabel:
    w = WordsLabel()  # selectable words; a tab stop only while it holds a link (keyboard.py)
    w.setWordWrap(True)
    if style:
        w.setStyleSheet(style)
    return w


def _button(text: str, slot, tip: str) -> QPushButton:
    b = QPushButton(text)
    b.setToolTip(tip)
    b.clicked.connect(slot)
    return b


class TunePage(SearchEvents, QWidget):
    study_started = Signal()
    study_ended = Signal(object)  # the last event (StudyEnded, or None after a failure); the thread has ended
    study_shown = Signal(str)  # a study of the list was read back and is shown
    runs_changed = Signal()
    go_to_train = Signal()
    go_to_model = Signal()
    go_to_step = Signal(str)  # a step key ("data", "model", "train"): the page that fixes why no search can start

    def _val_pictures(self, run_id: str) -> int:
        info = run_records.find_run(self.session.project, run_id)
        return split_pictures(info.summary, "val") if info is not None else 0

    def __init__(self, session: ProjectSession, designer, train_page, parent=None):
        super().__init__(parent)
        self.session, self.designer, self.train_page = session, designer, train_page
        self.state = TuneState()
        self.thread: TuneThread | None = None
        self.last_event = None
        self.threads: int | None = None  # CPU threads per trial (None: the physical cores)
        self._details = ""
        self._dirty = False
        self.blocker = None  # why no search can start (start_blocker.Blocker) or None
        self._counts: dict = {}  # the project's pictures per class and split, and why they cannot be trained on
        self._data_error: str | None = None
        self._data_stale = True
        self._started_at: float | None = None  # when the running search started (its StudyStarted), for time left
        self._stopping = False
        self.final_name = ""  # the shown search's model (its last run on every training picture), or ""

        self.form = SpaceForm()
        self.form.changed.connect(self._update_buttons)
        self.form.changed.connect(lambda: self._show_starting())  # what the ranges leave out of the Train page's
        self.study_list = StudyList(session.project, lambda name: self.running or name == self.state.study)
        self.study_list.shown.connect(self._shown)
        self.study_list.failed.connect(self._show_failure)
        self.quick_button = FittingButton(f"Find better settings ({counted(QUICK_MINUTES, 'minute')})",
                                          f"Find better ({QUICK_MINUTES} min)")  # a narrow window's
        self.quick_button.setToolTip(QUICK_TIP.format(time=counted(QUICK_MINUTES, "minute")))
        self.quick_button.clicked.connect(self.find_better)
        # a selector, so the style stays on the button: a bare rule reached its tooltip too (large and bold)
        self.quick_button.setStyleSheet("QPushButton { font-weight: bold; font-size: 14px; padding: 8px 18px; }")
        self.start_action = QAction("Start My Searc&h", self)  # the Train menu's item: the button follows it
        self.start_action.setStatusTip(START_TIP)
        self.start_action.triggered.connect(self._start_shown)
        self.start_button = QPushButton("▶  Start my search")
        self.start_button.setToolTip(START_TIP)
        follow_action(self.start_button, self.start_action)
        self.stop_button = _button("■  Stop", self.stop, STOP_TIP)
        self.continue_button = _button("Continue", self.continue_study, CONTINUE_TIP)
        self.starting = _label("color: palette(placeholder-text);")
        self.status = _label()
        self.status.setToolTip(PRUNED_TIP)  # its counts say "stopped early": what that means
        self.status.linkActivated.connect(self._link)
        self.failure = _label(note_style("error", self, extra=BOX))
        self.failure.linkActivated.connect(self._link)
        self.failure.hide()
        self.blocked_box = SearchBlockedNote()  # why no search can start, and a button to the page that fixes it
        self.blocked_box.go_to.connect(self.go_to_step)
        self.blocked_label, self.blocked_button = self.blocked_box.label, self.blocked_box.button
        self.result = GivingBox(_label(note_style("ok", self, extra=RESULT)))  # gives way to the table's rows on a short window
        self.result.hide()
        self.final_line = _label("font-weight: bold;")  # the search's model: its last run on all training pictures
        self.final_line.setToolTip(FINAL_TIP)
        self.final_line.hide()
        self.table_model = TrialsModel(self.state, self)
        self.table_model.val_pictures = self._val_pictures
        self.table = TrialsView(self.table_model)
        self.table.reading = self.study_list.reading  # "Reading this search's trials…", not "Start a search"
        self.study_list.reading_changed.connect(lambda *_: self.table.viewport().update())
        self.table.trial_selected.connect(self._trial_selected)
        self.use_button = _button("Use these settings", self.use_settings, use_tip("", ""))
        self.plots = TunePlots(self.state)
        self.plots.trial_clicked.connect(self.table.select_number)
        self.timer = QTimer(self)  # the plots redraw at most ten times a second
        self.timer.setInterval(100)
        self.timer.timeout.connect(self._flush)
        self._lay_out()
        # a hidden page weighs the design when it is shown (showEvent) or a search starts: not at every Model-page edit
        designer.design_changed.connect(lambda *_: self.isVisible() and self._design_changed())
        train_page.run_started.connect(self._update_buttons)  # a run starts and ends: Start waits for it
        train_page.run_ended.connect(self._update_buttons)
        train_page.runs_changed.connect(self._update_buttons)
        train_page.settings_form.no_validation.toggled.connect(self._update_buttons)
        for sig in (session.labels_changed, session.classes_changed, session.images_changed, session.splits_changed):
            sig.connect(self._data_changed)
        self._design_changed()
        self.study_list.load()

    def _start_shown(self) -> None:
        """Start from the button or the Train menu: this page is shown; focus to Stop (Start goes off)."""
        if not self.isVisible():
            self.go_to_step.emit("tune")
        self.start()
        if self.isVisible() and self.stop_button.isEnabled():
            self.stop_button.setFocus()

    def _lay_out(self) -> None:
        buttons = QHBoxLayout()
        for w in (self.quick_button, self.start_button, self.stop_button, self.continue_button):
            buttons.addWidget(w)
        buttons.addStretch(1)
        table_box = QWidget()
        tl = QVBoxLayout(table_box)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.table, 1)
        use_row = QHBoxLayout()
        use_row.addWidget(self.use_button)
        use_row.addStretch(1)
        tl.addLayout(use_row)
        lower = LowerSplitter(Qt.Orientation.Vertical)
        lower.addWidget(table_box)
        lower.addWidget(self.plots)
        lower.setStretchFactor(0, 1)
        lower.setStretchFactor(1, 1)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.study_list)
        rl.addLayout(buttons)
        for w in (self.starting, self.blocked_box, self.failure, self.status, self.result, self.final_line):
            rl.addWidget(w)
        rl.addWidget(lower, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.form)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([380, 1000])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addWidget(splitter)

    # ================================================================== the project's studies
    def _shown(self, shown: dict) -> None:
        """The study chosen in the list, read back."""
        self.state.show(shown)
        self.form.set_space(shown.get("space"))
        self.form.set_objective(self.state.objective)
        self._show_state()
        self.status.setText(shown_text(shown))
        self._update_buttons()
        self.study_shown.emit(self.state.study)

    def _show_state(self) -> None:
        self.table_model.reset()
        self.plots.reset()
        self._show_result()
        best = self.state.best_number()
        if best is not None:
            self.table.select_number(best)

    def _show_result(self) -> None:
        """The result in words: a success's colours only when a trial finished (a best to offer), a warning's when
        the search had to end because its trials kept failing, else plain."""
        said = self.state.said()
        found = (self.state.summary or {}).get("best") is not None
        failing = bool((self.state.summary or {}).get("ended_why"))  # it had to end: its trials kept failing
        self.result.label.setStyleSheet(note_style("ok" if found else "warning" if failing else "neutral", self,
                                                   extra=RESULT))
        self.result.setText(said)
        self.result.setVisible(bool(said))
        self.final_name = final_model(self.session.project, self.state.summary)
        self.final_line.setText(final_model_words(self.final_name, final_test_seen(self.state.summary)))
        self.final_line.setVisible(bool(self.final_name))

    # ================================================================== what may start
    @property
    def running(self) -> bool:
        return self.thread is not None

    def _design_changed(self) -> None:
        """The structure parameters apply to the built-in design only."""
        try:
            settings = self.train_page.settings()
            spec = self.designer.spec()
        except Exception:  # noqa: BLE001 - a broken design or setting: reason() says why
            return
        pp = settings.preprocess
        self._design_kind = design_kind(spec.to_json(), pp.height, pp.width, pp.channels)
        self.form.set_structure_allowed(self._design_kind == "built-in")
        self._show_starting(settings)

    def _show_starting(self, settings=None) -> None:
        """The "Starts from…" line, with the Train page's settings the form's ranges leave out; while a search is
        chosen, that this is Start's and Continue keeps the search's own start, and when the form differs from it,
        that Continue keeps its settings to try."""
        try:
            settings = settings or self.train_page.settings()
            space = self.form.space()
        except Exception:  # noqa: BLE001 - a setting or a number that cannot be read: the page says why elsewhere
            return
        chosen = bool(self.state.study) and not self.running  # Continue would carry it on from its own start
        train_pictures = planned_pictures(self.session.project.counts()).train
        said = starting_text(self.form.structure_allowed, settings, space,
                             variant=getattr(self, "_design_kind", "") == "variant", chosen=chosen,
                             train_pictures=train_pictures)
        self.form.set_left_out("batch_size", left_out_choices(space, train_pictures))  # as the words say
        if chosen:
            said = f"{said} {CONTINUE_KEEPS}"
        if chosen and form_differs(space, self.state.space):
            said = f"{said} {CHANGED_FORM}"
        self.starting.setText(said)

    def _data_changed(self, *_) -> None:
        self._data_stale = True
        if self.isVisible():
            self._update_buttons()

    def _check_data(self) -> None:
        """The pictures per class and split, and why the engine cannot train on them (the Train page's check)."""
        from ...engine.data.entries import dataset_entries

        self._data_stale = False
        self._counts = self.session.project.counts()
        self._data_error = data_problem(*dataset_entries(self.session.project), self._counts)
        self.form.set_final_allowed(final_run_applies(self._counts))

    def blocked(self, continued: bool = False) -> str:
        """Why no search can start, whatever the form says ("" when one can): the words of :func:`search_blocker`
        (the Train page's rule, then a search's own). For Continue (``continued``) without the Model page's design:
        Continue trains the search's own design, whatever the Model page holds now."""
        if self._data_stale:
            self._check_data()
        form = self.train_page.settings_form  # its read_only: why a project open for viewing only cannot train
        design_error = None if continued or self.designer.is_valid() else self.designer.reason()
        blocker = search_blocker(self._counts, self._data_error, design_error,
                                 validation=form.values()["validation"], training=self.train_page.running,
                                 read_only=form.read_only,
                                 weights="" if continued else missing_weights(self.designer.design.backbone),
                                 frozen="" if continued or design_error else self._frozen_refusal())
        if not continued:
            self.blocker = blocker
        return blocker.text if blocker else ""

    def _frozen_refusal(self) -> str:
        """Why the Model page's frozen design leaves nothing to search ("" when it does not: the engine's rule)."""
        from ...engine.tune.space import frozen_refusal

        try:
            return frozen_refusal(self.form.space(), self.designer.spec().to_json(), self.train_page.settings())
        except Exception:  # noqa: BLE001 - a number or setting that cannot be read: the form's error says why
            return ""

    def reason(self, continued: bool = False) -> str:
        """Why Start cannot start a search ("" when it can): :meth:`blocked`, or the form's sentence; for Continue
        (``continued``) without the Model page's design, and the budget's alone, the one part of the form it reads."""
        return self.blocked(continued) or (self.form.budget_error() if continued else self.form.error())

    def _update_buttons(self, *_) -> None:
        running = self.running
        blocked = "" if running else self.blocked()
        held = "" if running else self.blocked(continued=True)  # Continue's: the search's own design, not the page's
        form_error = "" if running or blocked else self.form.error()
        budget_error = "" if running or held else self.form.budget_error()  # the one part Continue reads
        self.quick_button.setEnabled(not running and not blocked)
        self.start_action.setEnabled(not running and not (blocked or form_error))  # and the button (follow_action)
        refused = continue_refusal(self.state.summary)  # its trials kept failing: they would fail again
        self.continue_button.setEnabled(not running and not (held or budget_error) and not refused
                                        and bool(self.state.study) and self.study_list.chosen() == self.state.study)
        self.continue_button.setToolTip(refused or CONTINUE_TIP)
        self.stop_button.setEnabled(running)
        self.study_list.set_enabled(not running)
        self.form.set_editable(not running)
        self.blocked_box.show_blocker(self.blocker if blocked else None)
        if form_error:  # said by the buttons it turns off, not at the foot of the form
            both = " ".join(dict.fromkeys((form_error, budget_error)))  # the ranges' and the budget's, when both
            self.blocked_box.show_form_error(both.strip(), budget=bool(budget_error))
        n = self.table.selected_number()
        self._trial_selected(-1 if n is None else n)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self._design_changed()
        self._update_buttons()

    def _link(self, target: str) -> None:
        if target == "train":
            self.go_to_train.emit()
        elif target == "model":
            self.go_to_model.emit()
        elif target == "details":
            QMessageBox.information(self, "Details", self._details or "(none)")

    # ================================================================== start / stop / continue
    def find_better(self) -> bool:
        """The beginner's button: the usual search for :data:`QUICK_MINUTES` minutes (:mod:`.quick_search`)."""
        return quick_search.find_better(self, QUICK_MINUTES)

    def start(self) -> bool:
        """A new study with the form's search, from the Train page's settings and the Model page's design."""
        from ...engine.tune.study import new_study_name

        return self._begin(unique_name(new_study_name(), self.study_list.names()), self.form.objective(), None)

    def continue_study(self) -> bool:
        """More trials of the study shown (the same name: the same study) with the form's budget: its own space,
        design and starting settings, read back from it (the pages may hold others now)."""
        from ...engine.errors import EngineError
        from ...engine.tune.overview import study_base

        if not self.state.study or self.running or continue_refusal(self.state.summary):
            return False
        try:
            base = study_base(self.session.project, self.state.study)
        except (EngineError, OSError) as e:
            self._show_failure("This search cannot be carried on.", str(e))
            return False
        return self._begin(self.state.study, base["objective"], base)

    def _begin(self, name: str, objective: str, base: dict | None) -> bool:
        """Start study ``name``: a new one from the pages and the form (``base`` None), or a continued one from
        what it started from (``base``: :func:`~cnnstudio.engine.tune.overview.study_base`)."""
        from ...engine.errors import EngineError
        from ...engine.tune.child import TuneChild, request
        from ...project.splits import needs_auto_split

        if self.running:
            return False
        self._design_changed()
        self._data_stale = True  # the pictures as they are now (a split made outside this window too)
        reason = self.reason(continued=base is not None)
        if reason:
            self._show_failure("The search cannot start.", reason)
            return False
        if needs_auto_split(self.session.project.counts()):  # as the Train page does before a first run: copies of a
            return self.train_page.first_split.split_then(  # picture in one split, then the search
                "tune", lambda: self._begin(name, objective, base), self._show_failure)
        try:
            inputs = (continued_inputs(base) if base is not None
                      else new_inputs(self.train_page.settings(), self.designer.spec().to_json(), self.form.space()))
        except EngineError as e:
            self._show_failure("These settings cannot be used.", str(e))
            return False
        rows = list(self.state.rows.values()) if base is not None else []
        more, minutes = self.form.budget()
        req = request(**inputs, objective=objective, study=name, pruning=self.form.use_pruning(),
                      trials=trials_budget(rows, more), minutes=minutes, threads=self.threads,
                      final=self.form.use_final())
        if base is None:
            self.state.clear()
            self.state.study, self.state.objective, self.state.space = name, objective, inputs["space"]
            self._show_state()
        self.state.set_budget(req.get("trials"), minutes)
        self._started_at, self._stopping = None, False
        project = self.session.project
        self.failure.hide()
        self.result.hide()
        self.last_event = None
        self.status.setText("Starting the search (the first trial takes a few seconds to begin)…")
        self.thread = TuneThread(lambda stop: TuneChild(project, req, stop=stop).events(), self)
        self.thread.yielded.connect(self._on_event)
        self.thread.errored.connect(self._on_error)
        self.thread.finished.connect(self._thread_done)
        self.thread.start()
        self.timer.start()
        self._update_buttons()
        self.study_started.emit()
        return True

    def stop(self) -> None:
        if self.thread is not None:
            self._stopping = True
            self.thread.request_stop()
            self.status.setText("Stopping… the finished trials are kept.")

    def shutdown(self) -> None:
        """The project closes: stop the study and wait for its thread (and a study being read)."""
        self.study_list.shutdown()
        if self.thread is not None:
            self.thread.stop_and_wait()
            self._thread_done()
        self.timer.stop()

    def _on_error(self, message: str, details: str) -> None:
        self._show_failure(f"The search stopped: {message}", "", details)
        self.status.setText("The finished trials are kept: Continue carries on the same search.")

    def _show_failure(self, what: str, advice: str = "", details: str = "") -> None:
        self._details = details
        self.failure.setText(failure_html(what, advice, details))
        self.failure.show()

    def _thread_done(self) -> None:
        if self.thread is None:
            return
        self.thread.deleteLater()
        self.thread = None
        self.timer.stop()
        self.state.searching = False
        self._flush()
        self.study_list.load(select=self.state.study or None)
        self._update_buttons()
        self._show_starting()
        self.runs_changed.emit()
        self.study_ended.emit(self.last_event)

    # ================================================================== using a trial
    def _trial_selected(self, number: int) -> None:
        row = self.state.rows.get(number) if number >= 0 else None
        read_only = self.train_page.settings_form.read_only  # the project's refusal: nothing can be saved
        self.use_button.setEnabled(bool(row and row.get("run")) and row.get("state") != "running" and not read_only)
        self.use_button.setToolTip(use_tip(read_only, self.final_name))
        self.plots.set_selected(number if row else None)

    def use_settings(self) -> bool:
        """The selected trial's settings onto the Train page, its design (and augmentation) onto the Model page."""
        from ...engine.errors import EngineError

        number = self.table.selected_number()
        row = self.state.rows.get(number) if number is not None else None
        if not row or not row.get("run") or self.train_page.settings_form.read_only:
            return False
        try:
            kept = use_trial(self.session.project, row["run"], self.train_page, self.designer)
        except (EngineError, OSError, KeyError) as e:
            self._show_failure(f"{trial_words(number).capitalize()}'s settings cannot be read: {e}")
            return False
        self.failure.hide()
        final = (self.state.summary or {}).get("final") or {}
        self.status.setText(used_words(number, self.final_name, final.get("trial"), searched_titles(row.get("params")),
                                       kept_epochs=kept))
        return True
