"""The Evaluate step: how good is a trained model, and where does it go wrong?

Pick a run and a split (validation or test). The numbers come from the engine: the evaluation stored
when the run finished (``evaluation.json``), or :func:`cnnstudio.engine.runs.lifecycle.evaluate_run` in a
:class:`~cnnstudio.ui.workers.TaskThread` held by a :class:`~cnnstudio.ui.workers.LatestTask` ("Evaluate again", or
a run that has none stored).

Shown: accuracy, a confusion matrix with counts (rows: the true class, columns: the prediction; click a
cell to see its pictures), per-class precision / recall / F1, and the mistakes, most confident first
(:mod:`.mistakes_tab`): on validation pictures each with a one-click relabel to the model's guess, on test pictures
a class to choose, never the guess in one click (:mod:`.mistake_words` says why). An advice's "Look at the mistakes"
lists the mistakes between its two classes on the pictures its numbers come from (:meth:`EvaluatePage.show_mistakes`).
A double-click on a mistake or on a cell's picture opens the gallery's large preview
(:class:`~cnnstudio.ui.data.preview.PreviewDialog`).
Every percentage is written by :func:`cnnstudio.engine.use.figures.percent`; the precise words carry the glossary's
plain meaning as a tooltip. Its parts: the top bar (:mod:`.top_bar`), the headline (:mod:`.headline`), the advice,
folded so that the page fits a 1,024 x 614 screen (:mod:`.advice_box`), the scores (:mod:`.scores_panel`), the
"Mistakes" and "Pictures of a cell" tabs (:mod:`.mistakes_tab`, :mod:`.cell_tab`).

Scores of a run whose data changed since training carry the report's warning (``report.changed_note``), checked again
whenever the session says the data changed: at once while shown, else when shown next (:meth:`update_data_note`).
The page opens on the validation pictures (on the test pictures for a run that has none, saying why); on the test
pictures one sentence says they are for the end (:mod:`.split_words`). A run's test score asked for while other runs'
test scores were looked at already is shown only once the user says so (:mod:`.test_look`; Cancel: the validation
pictures). While an evaluation runs, the scores of before
are greyed and Cancel or Escape stops it (they come back: :mod:`.cancel_key`); a model or pictures chosen meanwhile are evaluated when it ends, so
the scores always belong to the names above them.
"Evaluate again" scores the model the same way: on the pictures and with the labels it was trained with (its own
record), so a label changed since counts in the next model trained, and its tooltip says so.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QSplitter, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from ..advice_panel import AdvicePanel
from ..colours import status_span
from ..data.preview import PreviewDialog
from ..empty_state import empty_state
from ..session import ProjectSession
from ..workers import LatestTask
from .advice_box import EvaluateAdvice
from .cancel_key import EscapeCancels
from .cell_tab import CellTab
from .headline import headline_html, headline_tip
from .item_thumbs import ItemThumbs
from .mistake_words import tab_text
from .mistakes_tab import MistakesTab
from .scores_panel import ScoresPanel
from .test_look import ask_to_show_test
from .split_words import (CANCELLED, EVALUATING, FIRST, SPLITS, TEST_NOT_SHOWN, has_pictures, split_note,
                          usable_split)
from .split_words import split_name as split_name_of
from .top_bar import EvaluateBar

THUMB = 128  # the side of a mistake's and a cell picture's thumbnail (the project's thumbnails are 128 px)
NO_MODEL = ("Train a model first", "Evaluation shows how well a trained model recognises pictures it has not learned "
            "from, which classes it confuses, and its most confident mistakes.")  # the empty page: no run yet
TRAINING = ("A model is being trained", "A run is training: its model can be evaluated here when the run ends.")
NAME_ROOM = 120  # pixels a class name may ask of the per-class table: longer names are cut in their middle


class EvaluatePage(QWidget):
    evaluated = Signal()  # a result is on screen (and no thread is left running)
    cell_shown = Signal(int, int, int)  # true index, predicted index, number of pictures
    data_note_checked = Signal(str)  # the data-changed warning under the scores was checked again ("" for none)
    go_to_train = Signal()

    def __init__(self, session: ProjectSession, parent=None):
        super().__init__(parent)
        self.session = session
        self.result: dict | None = None
        self.run_id: str | None = None
        self.split = FIRST
        self._shown: tuple | None = None  # (run, split) of the scores on screen
        self._wanted: tuple | None = None  # (run, split, fresh): the last choice made while an evaluation ran
        self._cancelled = False
        self.task = LatestTask(self)  # the evaluation in flight; one let go of (the project closed) is not heard
        self.task.progress.connect(self._progress)
        self.task.succeeded.connect(self._keep)
        self.task.errored.connect(self._errored)
        self.task.ended.connect(self._thread_done)
        self.thumbs = ItemThumbs(session, THUMB, self)
        self.preview_dialog: PreviewDialog | None = None
        self._between: tuple | None = None  # (run, split, two classes): "Look at the mistakes" lists only theirs

        self.bar = top = EvaluateBar(session.project, lambda: self.run_id, self)
        self.run_combo, self.split_combo, self.again = top.run_combo, top.split_combo, top.again
        self.save_report, self.progress, self.cancel_button = top.save_report, top.progress, top.cancel_button
        self._summaries: dict[str, dict] = {}  # run id -> its record's summary: which pictures it has
        self._picked: str | None = None  # the run the user chose in the box: kept; else the page follows the best
        self._test_allowed: set[str] = set()  # runs whose test score the user chose to show after being asked
        self.again.clicked.connect(lambda: self.evaluate(self.run_combo.currentData(), self.split_combo.currentData(),
                                                         fresh=True))
        self.run_combo.activated.connect(lambda _i: self._chosen())
        self.split_combo.activated.connect(lambda _i: self._chosen())
        self.cancel_button.clicked.connect(self.cancel)
        self.escape = EscapeCancels(self, self.cancel)  # Escape does what Cancel does, while it runs
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.split_note = QLabel()  # on test pictures: they are for the end (split_words)
        self.split_note.setObjectName("split-note")
        self.split_note.setWordWrap(True)
        self.split_note.hide()

        left = self.scores_panel = ScoresPanel()  # the confusion matrix and the per-class scores
        left.cell_asked.connect(self.show_cell)
        self.confusion_model, self.confusion, self.per_class = left.confusion_model, left.confusion, left.per_class
        self.confusion_title, self.per_class_title = left.confusion_title, left.per_class_title
        self.range_note = left.range_note

        self.cell_tab = cell_tab = CellTab(THUMB, self.preview)
        self.cell_title, self.cell_list = cell_tab.title, cell_tab.list
        self.mistakes_tab = MistakesTab(session, THUMB, self.thumbs.request)
        self.mistakes_tab.show_all.connect(self.show_all_mistakes)
        self.mistakes, self.mistakes_note = self.mistakes_tab.table, self.mistakes_tab.note
        self.mistakes.open_picture.connect(self._mistake_double_clicked)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.mistakes_tab, "Mistakes")
        self.tabs.addTab(cell_tab, "Pictures of a cell")
        self.advice = AdvicePanel()  # what the run means and what to do next (advice_panel.py): above the scores, and
        # made before them, so that Tab reaches its buttons before the tables; folded, as on the Train page
        self.advice_box = EvaluateAdvice(self.advice)
        splitter = self.scores = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 4)  # the mistakes' four columns need a little more than the scores
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([400, 500])
        content = QWidget()
        cl2 = QVBoxLayout(content)
        cl2.setContentsMargins(0, 0, 0, 0)
        cl2.addWidget(self.summary)
        cl2.addWidget(self.split_note)
        cl2.addWidget(self.advice_box)
        cl2.addWidget(splitter, 1)

        self.empty = empty_state(*NO_MODEL, "Go to Train", self.go_to_train)
        self.body = QStackedWidget()
        self.body.addWidget(self.empty)
        self.body.addWidget(content)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addLayout(top)
        lay.addWidget(self.body, 1)
        top.set_tab_order()
        self._scores_html = ""  # the summary's scores; the data-changed warning goes under them
        self._data_dirty = False  # the data changed since the warning was last checked
        self._note_timer = QTimer(self, singleShot=True, interval=0)  # several signals of one action: one check
        self._note_timer.timeout.connect(self.update_data_note)
        for sig in (session.labels_changed, session.images_changed, session.splits_changed, session.classes_changed):
            sig.connect(self._data_touched)
        self._stale = True
        self.refresh_runs()

    # ================================================================== runs
    def refresh_runs(self) -> None:
        """Fill the run combo with the runs that have a model; keep the run the user chose, else show the best run
        (a new best, trained since, is shown when the page is next looked at), else the one shown."""
        current = self.run_combo.currentData()
        self._summaries, best = self.bar.fill_runs(self.session.project)
        has = self.run_combo.count() > 0
        self.body.setCurrentIndex(1 if has else 0)
        for w in (self.run_combo, self.split_combo):
            w.setEnabled(has)
        self.again.setEnabled(has and not self.task.busy)
        self.save_report.set_available(has)
        if not has:
            self.result = None
            self._say_empty()
            return
        listed = [r for r in (self._picked, best and best.id, current) if r and self.run_combo.findData(r) >= 0]
        target = listed[0] if listed else self.run_combo.itemData(0)
        self.run_combo.setCurrentIndex(self.run_combo.findData(target))
        if target != self.run_id and self.isVisible():
            self._combo_changed()
        elif target != self.run_id:
            self._stale = True

    def _say_empty(self) -> None:
        """No run has a model yet: while one trains (here, paused, or from the command line), the page says so and
        that its model can be evaluated when it ends; else "Train a model first"."""
        from ...project.run_records import list_runs

        title, text = TRAINING if list_runs(self.session.project, "running") else NO_MODEL
        self.empty.findChild(QLabel, "emptyStateText").setText(f"<h2>{title}</h2><p>{text}</p>")

    def read_again(self, areas) -> None:
        """Another program changed the project: its runs (trained, finished, deleted from the command line) are the
        run box's rows again (its pictures and classes come with the session's signals)."""
        if "runs" in areas:
            self.refresh_runs()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self.refresh_runs()
        if self._stale and self.run_combo.count():
            self._combo_changed()
        elif self._data_dirty:
            self.update_data_note()

    def _chosen(self) -> None:
        """The user chose a run or pictures: every mistake is listed again; that run stays shown."""
        self._between = None
        self._picked = self.run_combo.currentData()
        self._combo_changed()

    def _combo_changed(self) -> None:
        self._stale = False
        self.evaluate(self.run_combo.currentData(), self.split_combo.currentData())

    # ================================================================== evaluating
    def evaluate(self, run_id: str, split: str = FIRST, fresh: bool = False) -> None:
        """Show the stored evaluation of ``run_id`` on ``split``, or compute it in a thread. Asked while one runs:
        the last such choice is evaluated when it ends (:meth:`_thread_done`), so the scores on screen are always
        those of the model and pictures named above them."""
        from ...engine.runs import lifecycle as runs
        from ...engine.errors import Cancelled, EngineError
        from ...project import run_records as index

        if run_id is None:
            return
        split = usable_split(self._summaries.get(run_id, {}), split)  # never pictures the run has none of
        if self.task.busy:
            self._wanted = (run_id, split, fresh)
            return
        if split == "test" and not self._may_show_test(run_id):  # Cancel: back to the validation pictures
            if not has_pictures(self._summaries.get(run_id, {}), FIRST):
                self._test_refused()
                return
            split = FIRST
        self.run_id, self.split = run_id, split
        self.bar.show_choice(run_id, split, self._summaries.get(run_id, {}))
        p = self.session.project
        if not fresh:
            path = index.run_dir(p, run_id) / index.EVALUATION
            try:
                stored = runs.read_json(path) if path.exists() else {}
            except EngineError:
                stored = {}
            if isinstance(stored, dict) and split in stored and stored[split].get("predictions") is not None:
                self._show(stored[split])
                return

        def work(progress=None, cancel=None):  # kept in the run's folder, unless the project is open for viewing only
            def said(done, total, message=""):  # Cancel stops it at the next picture read
                if cancel is not None and cancel.is_set():
                    raise Cancelled("the evaluation was cancelled")
                progress(done, total, message)

            return runs.evaluate_run(p, run_id, split, progress=said, save=not p.read_only)[1].to_json()

        self._scores_html = ""  # no scores shown while it evaluates, nor under an error: no warning to put
        self.summary.setText(EVALUATING)
        self.split_note.hide()
        self._cancelled = False
        self._busy(True)
        self._pending = None
        self.task.run(work)

    def _may_show_test(self, run_id: str) -> bool:
        """Whether run ``run_id``'s test score may be shown: at once, unless other runs' test scores were looked at
        already (seen_scores.another_look_words); then the user is asked once for that run (Show / Cancel)."""
        from ...project.errors import ProjectError
        from ...project.seen_scores import another_look_words

        if run_id in self._test_allowed:
            return True
        try:
            words = another_look_words(self.session.project, run_id)
        except (OSError, ProjectError):
            words = ""
        if words and not ask_to_show_test(self, words):
            return False
        self._test_allowed.add(run_id)
        return True

    def _test_refused(self) -> None:
        """Cancel on the test pictures of a run that has no validation pictures: the scores shown before come back
        (or the page says why it shows none)."""
        if self.result is not None and self._shown is not None and self.run_combo.findData(self._shown[0]) >= 0:
            self._back_to_shown()
            return
        self.run_id, self.split = None, FIRST
        self.summary.setText(TEST_NOT_SHOWN)
        self.split_note.hide()
        self.evaluated.emit()

    @property
    def thread(self):
        """The evaluation's thread while one runs (None: none)."""
        return self.task.thread

    def _progress(self, done: int, total: int, _message: str) -> None:
        self.bar.set_progress(done, total)

    def _keep(self, result: dict) -> None:
        self._pending = result

    def _errored(self, message: str, _tb: str) -> None:
        self._pending = {"error": message}

    def _busy(self, busy: bool) -> None:
        """While it evaluates: a progress bar and Cancel (and Escape), and the scores of before greyed (they belong to
        what was evaluated before, not to the names above them)."""
        self.bar.set_busy(busy)
        self.escape.set_running(busy)
        self.scores.setVisible(self.result is not None)  # no empty, greyed tables before a first result
        self.scores.setEnabled(not busy)
        self.advice.setEnabled(not busy)

    def cancel(self) -> None:
        """Stop the evaluation that runs (Cancel, or Escape): the scores shown before it come back, with their model
        and pictures. Nothing runs: nothing to do."""
        if self.task.busy:
            self._wanted = None
            self._cancelled = True
            self.task.stop()  # it stays the page's until it ends: then the scores of before come back

    def _thread_done(self, _thread) -> None:
        self._busy(False)
        result, self._pending = self._pending, None
        wanted, self._wanted = self._wanted, None
        if wanted is not None and (wanted[:2] != (self.run_id, self.split) or wanted[2]):
            self.evaluate(*wanted)  # chosen meanwhile: evaluated now, and this result is not shown under its names
            return
        if self._cancelled:
            self._back_to_shown()
            return
        if result is None or "error" in result:
            self.summary.setText(status_span("error", "This model cannot be evaluated on these pictures: "
                                             f"{(result or {}).get('error', 'unknown error')}", self))
            # the scores of before are not this evaluation's: not left under its error as if they were (QA)
            self.result, self._shown = None, None
            self.scores.hide()
            self.evaluated.emit()
            return
        self._show(result)

    def _back_to_shown(self) -> None:
        """After Cancel: the scores shown before, under their own model and pictures again (or, with none, why the
        page is empty)."""
        if self.result is None or self._shown is None or self.run_combo.findData(self._shown[0]) < 0:
            self.summary.setText(CANCELLED)
            self.evaluated.emit()
            return
        self.run_id, self.split = self._shown
        self.bar.show_choice(self.run_id, self.split, self._summaries.get(self.run_id, {}))
        self._show(self.result)

    # ================================================================== showing
    def _show(self, ev: dict) -> None:
        self.result = ev
        self.scores.show()
        self._shown = (self.run_id, ev.get("split"))
        split_name = split_name_of(ev.get("split", ""))
        self.split_note.setText(split_note(ev.get("split", ""), self._summaries.get(self.run_id)))
        self.split_note.setVisible(bool(self.split_note.text()))
        self.advice_box.show_run(self.session.project, self.run_id, ev.get("split"))
        chain = [self.cancel_button, self.advice_box.header, *self.advice.buttons]  # by Tab after the top bar
        for a, b in zip(chain, chain[1:]):
            QWidget.setTabOrder(a, b)
        self._scores_html = headline_html(ev, split_name)
        self.update_data_note()
        self.summary.setToolTip(headline_tip(ev, split_name))
        self.scores_panel.show_scores(ev)
        QTimer.singleShot(0, self._room_for_names)  # once the tables have their columns' widths
        if self._between is not None and self._between[:2] != (self.run_id, ev.get("split")):
            self._between = None  # another run or other pictures: all their mistakes
        self._fill_mistakes()
        self.cell_tab.clear()
        self.evaluated.emit()

    def _room_for_names(self) -> None:
        """The class names whole in the per-class table where the mistakes can spare the room: the splitter moves
        right by what the longest name (up to :data:`NAME_ROOM` pixels) lacks, never leaving the mistakes less than
        they need (QA: "mushroom" read "mu…om" beside three other classes at 1,024 pixels). Only ever widens."""
        table = self.scores_panel.per_class
        names = [table.item(r, 0) for r in range(table.rowCount())]
        need = max((table.fontMetrics().horizontalAdvance(i.text()) + 16 for i in names if i is not None), default=0)
        lack = min(need, NAME_ROOM) - table.columnWidth(0)
        left, right = self.scores.sizes()
        give = min(lack, right - self.tabs.minimumSizeHint().width())
        if give > 0 and left > 0:
            self.scores.setSizes([left + give, right - give])

    # ================================================================== the data changed since training
    def _data_touched(self, *_args) -> None:
        self._data_dirty = True
        if self.isVisible() and self.result is not None:
            self._note_timer.start()

    def update_data_note(self) -> str:
        """Check now whether the shown run's data changed since it was trained and show the warning under the
        scores (or take it away: an undone relabel); returns it ("" for none)."""
        from ...engine.runs.report import changed_note

        self._note_timer.stop()
        self._data_dirty = False
        if self.result is None or self.run_id is None or not self._scores_html:
            return ""
        note = changed_note(self.session.project, self.run_id)
        warn = "<br>" + status_span("warning", f"⚠ {escape(note)}", self) if note else ""
        self.summary.setText(self._scores_html + warn)
        self.data_note_checked.emit(note)
        return note

    def _fill_mistakes(self) -> None:
        """List the shown evaluation's mistakes (only those between two classes after "Look at the mistakes"), the
        model's skill judged from that evaluation (not from the pictures the split holds now)."""
        wrong = (self.result or {}).get("misclassified") or []
        classes = self._between[2] if self._between is not None else None
        self.thumbs.keep_only(())
        shown = self.mistakes_tab.fill(wrong, self.split, classes, evaluation=self.result)
        self.tabs.setTabText(0, tab_text(shown, len(wrong), classes))

    def show_mistakes(self, classes, run_id: str | None = None, split: str | None = None) -> None:
        """List the mistakes between the two ``classes`` of ``run_id`` on ``split`` (the shown ones when None or
        unknown) on the Mistakes tab: an advice's "Look at the mistakes". Evaluates first when needed."""
        run_id = run_id if run_id and self.run_combo.findData(run_id) >= 0 else self.run_id
        split = usable_split(self._summaries.get(run_id, {}), split if split in dict(SPLITS) else self.split)
        if run_id is None or len(classes or ()) != 2:
            return
        self._between = (run_id, split, tuple(classes))
        self._picked = run_id  # the advice's run stays shown as a run chosen in the box does
        self.tabs.setCurrentIndex(0)
        if self.task.busy:  # an evaluation in flight: these are evaluated when it ends (_thread_done)
            self._wanted = (run_id, split, False)
            return
        if self.result is None or (run_id, split) != (self.run_id, self.result.get("split")):
            self.evaluate(run_id, split)
        else:
            self._fill_mistakes()

    def show_all_mistakes(self) -> None:
        self._between = None
        self._fill_mistakes()

    def show_cell(self, true_index: int, predicted_index: int) -> list[int]:
        """List the pictures of one confusion-matrix cell; returns their ids."""
        if self.result is None:
            return []
        classes = self.result["classes"]
        self.thumbs.keep_only(self.mistakes_tab.rows)
        ids = self.cell_tab.show(self.result.get("predictions", []), classes[true_index], classes[predicted_index],
                                 self.thumbs.request)
        self.tabs.setCurrentIndex(1)
        self.scores_panel.select_cell(true_index, predicted_index)
        self.cell_shown.emit(true_index, predicted_index, len(ids))
        return ids

    # ================================================================== the large preview
    def _mistake_double_clicked(self, row: int, _column: int = 0) -> None:
        item = self.mistakes.item(row, 0)
        if item is not None:
            self.preview(item.data(Qt.ItemDataRole.UserRole))

    def preview(self, image_id: int) -> PreviewDialog | None:
        """Open the gallery's large preview of one picture (None if it was deleted since)."""
        from ...project import ProjectError

        if self.preview_dialog is not None:
            self.preview_dialog.close()
        try:
            self.preview_dialog = PreviewDialog(self.session, image_id, self)
        except ProjectError:
            self.preview_dialog = None
            return None
        self.preview_dialog.open()  # as the gallery opens it
        return self.preview_dialog

    # ================================================================== relabelling
    def relabel(self, image_id: int, class_name: str) -> bool:
        """Label the picture ``class_name`` (one undoable command; the mistake's button follows)."""
        return self.mistakes_tab.relabel(image_id, class_name)

    # ================================================================== closing
    def shutdown(self) -> None:
        """The project closes: the evaluation in flight is stopped and waited for, and the page left idle (its
        ``ended`` is not coming: nothing waits to be shown or evaluated, no progress bar, no Cancel, no greyed
        scores)."""
        running = self.task.busy
        self.save_report.shutdown()
        self.task.shutdown()
        self._wanted = self._pending = None
        self._cancelled = False
        self._busy(False)
        if running:
            self.summary.setText(CANCELLED)
        self.thumbs.close()
