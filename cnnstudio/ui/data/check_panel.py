"""The Data step's "Check data" panel: runs :mod:`cnnstudio.engine.runs.doctor` in a worker thread held by a
:class:`~cnnstudio.ui.workers.LatestTask` (progress, cancel; closing waits for it), lists the findings grouped by kind,
worst first, and offers each finding's one-click fixes (:func:`~cnnstudio.engine.runs.doctor.fixes_for`: relabel,
trash, move to one split, keep), each one undoable action on the session's undo stack. Selecting a finding shows its
pictures in the gallery; a double-click, Enter or Compare shows them large, side by side (:mod:`.check_compare`).

A finished check is kept in the project (:mod:`~cnnstudio.engine.runs.doctor_kept`): opened again, the panel shows it
with when it was made ("Checked 2 Dec 16:40.") and how many pictures changed since; the findings fixed since stay
closed (:func:`~cnnstudio.engine.runs.doctor_review.still_open` reads the project). A project that cannot be written
says once, under the summary, that the results were not kept."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QIcon, QPixmap
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QMessageBox, QProgressBar, QPushButton, QStyledItemDelegate,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from ...engine.runs.doctor_findings import GROUPS  # each kind's title, the same in `cnnstudio doctor`
from ...project.counting import counted
from ...project.errors import ProjectError
from ...project.health import CARVE_VALIDATION, SPLIT_NOW
from ...project.glossary import tip
from ..session import SPLIT_PLACES, ProjectSession
from ..workers import LatestTask
from ..flow_layout import FlowLayout
from ..font_sizes import lines_height
from ..sentence import sentence
from .writing_controls import FIX, set_writing

FINDING = Qt.ItemDataRole.UserRole
GROUP = Qt.ItemDataRole.UserRole + 1  # a group row's kind, title and count: its state is kept across a rebuild
#: what a group's words mean, for its tooltip (the glossary's sentences)
GROUP_TIPS = {"leak": "The same picture in training and in validation or test makes the score look better than "
                      "it is.\n\n" + tip("validation", "test"),
              "label": "Pictures whose label the check's model disagrees with; most are fine, some are "
                       "mislabelled.",
              "near_duplicate": "The same picture, or almost the same, more than once: it counts twice in "
                                "training, and in two splits it leaks.\n\n" + tip("validation", "test")}


STARTING = "Starting the data check…"  # said at once: loading the check (torch, cleanlab) takes seconds, in its thread


def _check(project, progress, cancel):
    """The check, in the worker thread: its engine is imported there, not on the GUI thread (QA: the first check of a
    session froze the window ~3 s while torch and cleanlab loaded; a click on Model took effect after it)."""
    from ...engine.runs.doctor import check_data

    return check_data(project, progress=progress, stop=cancel, labels_if_possible=True)


class CheckPanel(QWidget):
    images_selected = Signal(list)  # the pictures of the selected finding
    checked = Signal(object)  # the DataReport of a finished check
    split_asked = Signal(str)  # a dataset finding's fix: project.health's SPLIT_NOW or CARVE_VALIDATION (the Data page
    #                            splits with its Split & health tab's ratios)

    def __init__(self, session: ProjectSession, parent=None):
        super().__init__(parent)
        self.session = session
        self.task = LatestTask(self)  # the check in flight: only it is heard, deleted once it ends
        self.task.progress.connect(self._on_progress)
        self.task.succeeded.connect(self._on_done)
        self.task.errored.connect(self._on_error)
        self.task.ended.connect(self._on_finished)
        self.report = None
        self._shown = None  # the findings the tree shows (the open ones)
        self._said = ""  # the summary of the report shown, as refresh last said it
        self._icons: dict[int, QIcon] = {}  # a finding's first picture, by image id
        self.run = QPushButton("Check data")
        self.run.setToolTip("Look for labels that may be wrong, near duplicates, copies that leak between the "
                            "splits, unusual and unusable pictures. Nothing changes until you press a fix.\n\n"
                            + tip("validation", "test"))
        self.run.clicked.connect(self.start)
        self.compare_button = QPushButton("Compare")
        self.compare_button.setToolTip("Show the selected finding's pictures large, side by side, with their "
                                       "details and its fixes (or double-click the finding, or press Enter)")
        self.compare_button.setEnabled(False)
        self.compare_button.clicked.connect(self.compare)
        self.compare_dialog = None
        self.cancel = QPushButton("Cancel")
        self.cancel.setVisible(False)
        self.cancel.clicked.connect(self._cancel)
        self.progress = QProgressBar()
        self.progress.setFormat("%p%")  # "0%" from the start, as the shares after it ("50%")
        self.progress.setVisible(False)
        self.summary = QLabel("Check your pictures before training: the check points at what may be wrong, "
                              "you decide.")
        self.summary.setWordWrap(True)
        self.when = QLabel()  # a kept check: when it was made, what changed since; a check that could not be kept
        self.when.setWordWrap(True)
        self.when.setVisible(False)
        self._keep_problem = ""  # why the last check could not be kept ("" when it was)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Findings of the data check")
        self.tree.setHeaderHidden(True)
        self.tree.setIconSize(QSize(40, 40))
        self.tree.setWordWrap(True)
        self.tree.setItemDelegate(FindingRows(self.tree))  # a finding's first two lines, whatever the font
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.tree.itemActivated.connect(lambda item, _col: self.compare() if item.data(0, FINDING) else None)
        self.tree.viewport().installEventFilter(self)  # a new width: the group titles are shortened again
        self.detail = QLabel()  # the selected finding in full: a row shows three lines of it at most
        self.detail.setWordWrap(True)
        self.detail.setVisible(False)
        self.fix_box = QWidget()  # the fixes side by side where there is room, else one under the other
        self.fix_bar = FlowLayout(self.fix_box)
        self.fix_buttons: list[QPushButton] = []  # the selected finding's fixes
        top = QHBoxLayout()
        top.addWidget(self.run)
        top.addWidget(self.compare_button)
        top.addStretch(1)
        # Cancel beside the bar of what it stops, not a third button on the top row: three buttons side by side
        # made the panel 260 px at least while a check ran, and the window grew past a 1,024 px screen for good (QA)
        running = QHBoxLayout()
        running.addWidget(self.progress, 1)
        running.addWidget(self.cancel)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(top)
        lay.addLayout(running)
        lay.addWidget(self.summary)
        lay.addWidget(self.when)
        lay.addWidget(self.tree, 1)
        lay.addWidget(self.detail)
        lay.addWidget(self.fix_box)
        for sig in (session.labels_changed, session.images_changed, session.splits_changed, session.classes_changed,
                    session.undo_stack.indexChanged):  # indexChanged: "Keep" and its undo change no data
            sig.connect(self.refresh)
        session.classes_changed.connect(lambda *_: self._show_fixes(self.selected_finding()))  # a class's new name
        # what changed since the check: read from every picture, so once after a burst of changes (labelling key
        # after key), and only while the panel is shown (else when it is shown next)
        self._when_timer = QTimer(self, singleShot=True, interval=300)
        self._when_timer.timeout.connect(self._say_when)
        self._when_due = False
        for sig in (session.labels_changed, session.images_changed, session.splits_changed):
            sig.connect(self._data_changed)
        self._load_kept()

    def _load_kept(self) -> None:
        """The check kept in the project, if any (a damaged or foreign file: none)."""
        from ...engine.runs.doctor_kept import load_report

        try:
            report = load_report(self.session.project)
        except ProjectError:
            return
        if report is not None:
            self.run.setText("Check again")
            self.show_report(report)

    # ------------------------------------------------------------------ running the check
    @property
    def thread(self):
        """The check's thread while it runs (None: none)."""
        return self.task.thread

    def start(self) -> None:
        if self.task.busy:
            return
        project = self.session.project
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.cancel.setVisible(True)
        self.run.setEnabled(False)
        self.summary.setText(STARTING)
        self.when.setVisible(False)  # when the check shown was made: said again if this one stops
        self.task.run(lambda progress, cancel: _check(project, progress, cancel))

    def _cancel(self) -> None:
        """Cancel: the check is asked to stop and stays the panel's until it ends ("The check was stopped…")."""
        if self.task.busy:
            self.task.stop()
            self.summary.setText("Stopping…")

    def _on_progress(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        # one total for the whole check (doctor_folds.SCALE): a share, not "40 of 100" things, rounded down so that
        # "100%" is only the end; what it does, with its step's own count ("Looking for near copies (1,200 of
        # 3,000)…", doctor.counted_steps) in the summary's wrapped words (in the bar, a long step such as "checking
        # each label against models trained without it" was cut off)
        self.progress.setFormat(f"{100 * min(done, total) // total}%" if total else "")
        if message and self.thread is not None and not self.thread.stop_event.is_set():  # "Stopping…" stays
            self.summary.setText(sentence(message + "…"))

    def _on_error(self, message: str, _details: str) -> None:
        stopped = "stopped" in message
        self.summary.setText("The check was stopped: nothing was changed." if stopped else message)
        self._say_when()

    def _on_finished(self, _thread=None) -> None:
        self.progress.setVisible(False)
        self.cancel.setVisible(False)
        self.run.setEnabled(True)
        self.run.setText("Check again")

    def _on_done(self, report) -> None:
        from ...engine.runs.doctor_kept import keep_report

        self._icons.clear()
        self._keep_problem = keep_report(self.session.project, report)
        self.show_report(report)
        self.checked.emit(report)

    def show_report(self, report) -> None:
        from ...engine.runs.doctor_review import method_tip

        self.report = report
        self._shown = None
        self.summary.setToolTip(method_tip(report))
        self.refresh()
        self._say_when()

    def _data_changed(self, *args) -> None:
        if self.report is None:
            return
        if self.isVisible():
            self._when_timer.start()
        else:
            self._when_due = True

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._when_due:
            self._say_when()

    def _say_when(self, *args) -> None:
        """Under the summary: when the check was made and how many pictures changed since (a kept check's), or why
        it could not be kept."""
        if self.report is None:
            return
        from ...engine.runs.doctor_kept import changed_since, changed_words, checked_words

        self._when_due = False
        try:
            changed = changed_since(self.session.project, self.report)
        except ProjectError:
            return
        # every picture trashed since: the summary says so (doctor_review.summary), not said twice
        changes = changed_words(changed) if changed.left or not self.report.images else ""
        words = " ".join(w for w in (checked_words(self.report), changes, self._keep_problem) if w)
        self.when.setText(words)
        self.when.setVisible(bool(words))

    def refresh(self, *args) -> None:
        """Show the report's findings that are still open (:func:`~...engine.runs.doctor_review.still_open`): a fix
        closes its finding, its undo opens it again. Rebuilt only when that list changed; the selection stays."""
        if self.report is None:
            return
        from ...engine.runs.doctor_review import still_open, summary

        try:
            findings = still_open(self.session.project, self.report)
            said = summary(self.report, findings, left=self.session.project.count())  # none left: all trashed
        except ProjectError:  # the project is going away; the next refresh says it
            return
        if findings == self._shown and said == self._said:
            return
        self._said = said
        if findings == self._shown:  # only the summary changed (everything trashed after every finding was done)
            self.summary.setText(said)
            return
        self._shown = findings
        self.summary.setText(said)
        # what the user left as it was: the groups they closed, where they had scrolled to, the finding selected
        selected, scroll = self.selected_finding(), self.tree.verticalScrollBar().value()
        expanded = {g.data(0, GROUP)[0]: g.isExpanded() for g in self._groups()}
        self.tree.blockSignals(True)
        self.tree.clear()
        for kind, title in GROUPS:
            items = [f for f in findings if f.kind == kind]
            if not items:
                continue
            group = QTreeWidgetItem(self.tree, [f"{title} ({len(items)})"])
            group.setData(0, GROUP, (kind, title, len(items)))
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            group.setToolTip(0, f"{title} ({len(items)})" + (f"\n\n{GROUP_TIPS[kind]}" if kind in GROUP_TIPS else ""))
            for f in items:
                row = QTreeWidgetItem(group, [f.reason])
                row.setData(0, FINDING, f)
                row.setToolTip(0, f.reason)
                if f.images:
                    row.setIcon(0, self._icon(f.images[0]))
                if f == selected:
                    row.setSelected(True)
                    self.tree.setCurrentItem(row)
            group.setExpanded(expanded.get(kind, True))
        self.tree.blockSignals(False)
        self._fit_titles()
        self.tree.doItemsLayout()  # the scroll bar's range for the new rows, before its place is put back
        self.tree.verticalScrollBar().setValue(scroll)
        self._show_fixes(self.selected_finding())

    def _groups(self) -> list[QTreeWidgetItem]:
        return [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]

    def _fit_titles(self) -> None:
        """Each group's title on one line of the tree's width, else on two, the second shortened with "…" if need
        be, its count always whole at the end: "Copies in more than one split\n(leaks) (56)"."""
        metrics = self.tree.fontMetrics()
        room = self.tree.viewport().width() - self.tree.indentation() - 12  # the arrow, the text's margins
        for group in self._groups():
            _kind, title, count = group.data(0, GROUP)
            group.setText(0, fit_title(metrics, title, f" ({count})", room))

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if watched is self.tree.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_titles()
            self.tree.scheduleDelayedItemsLayout()  # the rows' heights for the new width (FindingRows)
        return super().eventFilter(watched, event)

    def _icon(self, image_id: int) -> QIcon:
        if image_id not in self._icons:
            pix = QPixmap(str(self.session.project.thumbnail_path(image_id)))
            self._icons[image_id] = QIcon(pix) if not pix.isNull() else QIcon()
        return self._icons[image_id]

    # ------------------------------------------------------------------ fixes
    def selected_finding(self):
        items = self.tree.selectedItems()
        return items[0].data(0, FINDING) if items else None

    def is_open(self, finding) -> bool:
        """Whether ``finding`` is still one the panel shows (a fix or a change elsewhere closes it)."""
        self.refresh()
        return finding in (self._shown or [])

    def compare(self) -> None:
        """The selected finding's pictures side by side (:class:`~.check_compare.CompareDialog`)."""
        from .check_compare import CompareDialog

        f = self.selected_finding()
        if f is None or not f.images:
            return
        self.compare_dialog = CompareDialog(self, f, self.window())
        self.compare_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # its pictures go with it
        self.compare_dialog.open()

    def _selection_changed(self) -> None:
        f = self.selected_finding()
        self._show_fixes(f)
        if f is not None and f.images:
            self.images_selected.emit(list(f.images))

    def _show_fixes(self, finding) -> None:
        while self.fix_bar.count():
            w = self.fix_bar.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        self.fix_buttons = []
        self.detail.setText(sentence(finding.reason) if finding is not None else "")
        self.detail.setVisible(finding is not None)
        self.compare_button.setEnabled(finding is not None and bool(finding.images))
        if finding is None:  # nothing from the engine: importing it loads torch, seconds on the GUI thread
            return
        for fix in self.fixes(finding):
            b = QPushButton(fix.text)
            set_writing(b, self.session.project, FIX, True, fix.tip)  # viewing only: off, and why
            b.clicked.connect(lambda _=False, fx=fix, fd=finding: self.apply(fd, fx))
            self.fix_bar.addWidget(b)
            self.fix_buttons.append(b)

    def fixes(self, finding) -> list:
        """The buttons ``finding`` offers (:func:`~cnnstudio.engine.runs.doctor_review.fixes_for`), in the class names
        of now; the panel's and the compare view's."""
        from ...engine.runs.doctor_review import fixes_for, named_now

        return fixes_for(named_now(finding, self.report, self.session.project) if self.report else finding)

    def apply(self, finding, fix) -> None:
        """Run one fix as one undoable action; the finding leaves the list because the project changed."""
        s = self.session
        steps = s.undo_stack.index()
        try:
            if fix.action == "relabel":
                info = s.project.class_by_name(fix.value)
                if info is None and self.report is not None and fix.value in self.report.class_ids:  # renamed since
                    info = next((c for c in s.project.classes() if c.id == self.report.class_ids[fix.value]), None)
                if info is None:
                    raise ValueError(f"there is no class '{fix.value}' any more")
                s.label(list(fix.images), info.id)
            elif fix.action == "trash":
                s.delete_images(list(fix.images))
            elif fix.action == "same_split":
                where = SPLIT_PLACES.get(fix.value, fix.value)  # the count said again if pictures go for good
                s.set_split(list(fix.images), fix.value, lambda n: f"Move {counted(n, 'copy', 'copies')} to {where}")
            elif fix.action in (SPLIT_NOW, CARVE_VALIDATION):
                self.split_asked.emit(fix.action)
            else:
                s.keep_findings([finding.key])
        except (ProjectError, ValueError) as e:  # shown; the panel stays usable
            QMessageBox.warning(self, "Check data", sentence(str(e)))
            return
        said = fix.action in (SPLIT_NOW, CARVE_VALIDATION)  # the Split & health tab said its own (counts, warnings)
        if s.undo_stack.index() != steps and not said:  # what the fix did, as Edit > Undo names it
            w = self.window()
            if hasattr(w, "statusBar"):
                w.statusBar().showMessage(f"Done: {s.undo_stack.undoText()}. Ctrl+Z undoes it.", 6000)
        self.refresh()  # the finding closes (undo opens it again): still_open reads the project

    def shutdown(self) -> None:
        """The project closes: the check is stopped and waited for; nothing it still says is heard."""
        self.task.shutdown()


def fit_title(metrics: QFontMetrics, title: str, tail: str, room: int) -> str:
    """``title`` and ``tail`` (a count) in ``room`` pixels: on one line when they fit, else the title's first words
    on a line and the rest after them on a second, shortened with "…" so that ``tail`` stays whole."""
    width = metrics.horizontalAdvance
    if width(title + tail) <= room:
        return title + tail
    words = title.split(" ")
    first = next((n for n in range(len(words) - 1, 0, -1) if width(" ".join(words[:n])) <= room), 0)
    rest = " ".join(words[first:])
    second = metrics.elidedText(rest, Qt.TextElideMode.ElideRight, max(room - width(tail), 0)) or "…"
    return (" ".join(words[:first]) + "\n" if first else "") + second + tail


ROW_LINES = (2, 4)  # a finding's row: at least 2 lines of the tree's font, at most 4 (the rest: "…", its tooltip and
#                     the detail under the tree say it all)


class FindingRows(QStyledItemDelegate):
    """The tree's rows: a finding (a group's child) as many lines as its words take at the tree's width, from 2 to 4
    (:data:`ROW_LINES`), so that its words wrap beside its picture rather than end in "…" after a few (the tree would
    give it its picture's height; QA: on a 1,024 x 614 window "may be wrong, please look" was cut to "may b…"); a
    group's title as many lines as :func:`fit_title` made."""

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 - Qt's name
        hint = super().sizeHint(option, index)
        tree = option.widget or self.parent()
        text = str(index.data() or "")
        if index.parent().isValid():
            icon = tree.iconSize().width() if index.data(Qt.ItemDataRole.DecorationRole) else 0  # class rows: none
            room = tree.viewport().width() - 2 * tree.indentation() - icon - 16
            metrics = tree.fontMetrics()
            wrapped = metrics.boundingRect(QRect(0, 0, max(room, 40), 100_000), Qt.TextFlag.TextWordWrap, text)
            lines = min(max(ROW_LINES[0], -(-wrapped.height() // metrics.lineSpacing())), ROW_LINES[1])
        else:
            lines = text.count("\n") + 1
        return QSize(hint.width(), max(hint.height(), lines_height(tree, lines)))
