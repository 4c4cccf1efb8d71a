"""Splits and dataset health: ratios, seed, re-split; a bar chart of class x split; plain warnings.

What Split does is :func:`cnnstudio.project.splits.plan_split`'s rule, the one ``cnnstudio split`` follows: a
project with train and test pictures but no validation ones (imported from ``train/`` and ``test/`` folders, whose
splits a re-split keeps) gets the Val share of each class's training pictures for validation, test kept
(:func:`~cnnstudio.project.splits.carve_validation`); the health warning carries a button that does the same with
the same Val share (hidden at 0%, where the health line says to give Val a share first). Both are undoable. The
ratios follow :func:`~cnnstudio.project.splits.parse_ratios` (they add up to 100%). Until there is a labelled
picture, Split, the Seed and the re-draw options are off, their tooltip saying why (health.NOTHING_TO_SPLIT); until
a picture is in a split, the chart is hidden behind a one-line note (:data:`NO_SPLIT_YET`), not an empty plot. A
split's result ("Split: train 1,259, … Kept 30 pairs …", with the test pictures a re-split kept and how to re-draw
them, splits.kept_test_words, and a class left too few validation pictures, health.few_validation_words) is said in
the status bar and kept above the health lines
until the splits change (:meth:`SplitPanel._said`): the status bar's message goes after a while.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (QApplication, QCheckBox, QFormLayout, QFrame, QGridLayout, QGroupBox, QLabel, QPushButton,
                               QScrollArea, QSpinBox, QVBoxLayout, QWidget)

from ...project.counting import counted
from ...project.glossary import tip
from ...project.missing_files import TRASH_MISSING, missing_pictures, trash_missing_label
from ...project.health import (CARVE_VALIDATION, MORE_VALIDATION_GUI, NO_VALIDATION_GUI, NOTHING_TO_SPLIT, READY,
                                carve_gui, carve_label, dataset_warnings, few_validation_words)
from ...project.split_style import split_colors
from ...project.splits import (CARVE, NO_VALIDATION_EFFECT, SplitPlan, kept_test_over_share, kept_test_words,
                               parse_ratios, plan_split, train_from_folders, why_no_validation)
from ..colours import is_dark, status_colour, status_span
from ..readable_plot import readable_plot, tell
from ..session import ProjectSession
from .shortcuts import SPLIT_KEYS
from .split_task import CopyFinder, copies_words
from .writing_controls import SPLIT as SPLIT_DOING, TRASH, refused, set_writing

SPLIT_NAMES = {"train": "train", "val": "val", "test": "test"}  # the chart's legend: short, it fits a narrow panel
ICONS = {"error": "✖", "warning": "⚠", "info": "ℹ"}  # a health warning's mark, in its level's status colour
NO_SPLIT_YET = "A chart shows here once you split."  # in the chart's place before
TAB = "Split & health"  # this panel's tab, named by a message only when the panel is not in view


def split_counts(counts: dict) -> str:
    """ "train 1,262, validation 271, test 271": the pictures in each split, grouped in thousands like every count."""
    return f"train {counts['train']:,}, validation {counts['val']:,}, test {counts['test']:,}"


class SplitPanel(QWidget):
    def __init__(self, session: ProjectSession, parent=None):
        super().__init__(parent)
        self.session = session
        self.train = self._spin(70, "Share of labelled pictures used to train the network")
        self.val = self._spin(15, "Share used to check the network after every epoch and pick the best one\n\n"
                              + tip("validation"))
        self.test = self._spin(15, "Share kept aside for a final, honest score (kept when you re-split)\n\n"
                               + tip("test"))
        self.seed = QSpinBox()
        self.seed.setRange(0, 1_000_000)
        self.seed.setToolTip("The same seed gives the same split every time")
        self.seed.setAccessibleName("Split seed")
        self.resplit_test = QCheckBox("Re-draw the test split too")
        self.resplit_test.setToolTip("Normally the test split is kept, so scores stay comparable between runs\n\n"
                                     + tip("test"))
        self.resplit_folders = QCheckBox("Re-draw folder splits too")
        self.resplit_folders.setToolTip("Pictures imported from train/, val/ or test/ folders normally keep that split")
        self.apply = QPushButton("Split")
        self.copies = CopyFinder(session, self)  # copies of a picture found first, kept in one split
        self.apply.clicked.connect(self.do_split)
        self.sum_label = QLabel()  # why Split is off, on its own line over the button: whole in the narrowest panel
        self.sum_label.setWordWrap(True)
        self.sum_label.hide()
        self.result = QLabel()  # what the last split did, above the health lines while it is still so (_said)
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.hide()
        self._result_splits: dict | None = None  # the split counts the result's words are about
        for s in (self.train, self.val, self.test):
            s.valueChanged.connect(self._check_sum)
        self.val.valueChanged.connect(self._val_changed)
        for c in (self.resplit_test, self.resplit_folders):
            c.toggled.connect(self._check_sum)

        form = QFormLayout()
        self.ratios_row = ratios = QGridLayout()  # each name above its number: narrow enough for a small screen
        ratios.setHorizontalSpacing(8)  # "70%" and "Val" were touching
        ratios.setVerticalSpacing(0)
        self.ratio_labels = {}
        for col, (split, label, spin) in enumerate((("train", "Train", self.train), ("val", "Val", self.val),
                                                    ("test", "Test", self.test))):
            lab = QLabel(label)
            lab.setToolTip(spin.toolTip())
            lab.setBuddy(spin)
            spin.setAccessibleName(f"{label} split")  # "Train split", not the group's "Split"
            self.ratio_labels[split] = lab
            ratios.addWidget(lab, 0, col)
            ratios.addWidget(spin, 1, col)
        form.addRow(ratios)  # the group's title says what they are; their room goes to the numbers
        self.seed.setMaximumWidth(110)
        form.addRow("Seed", self.seed)
        form.addRow(self.resplit_test)
        form.addRow(self.resplit_folders)
        form.addRow(self.sum_label)
        form.addRow(self.apply)
        box = QGroupBox("Split")
        box.setLayout(form)

        pg.setConfigOptions(antialias=True)
        self.plot = pg.PlotWidget(background=None)
        self.plot.setMinimumHeight(110)  # with the legend above it, the refused ratios' line and the carve button: 614 px
        readable_plot(self.plot, "Pictures per class and split plot")  # its counts in words: refresh
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.installEventFilter(self)  # _fit_ticks to the plot's own width when it changes
        self.plot.hideButtons()
        self.plot.getPlotItem().setMenuEnabled(False)
        self.bars = {}
        colors = split_colors(is_dark(self))  # greys, light to dark on a dark window: the class colours are for classes
        for split, color in colors.items():
            item = pg.BarGraphItem(x=[], height=[], width=0.8, brush=pg.mkBrush(color), pen=pg.mkPen("#202020"),
                                   name=SPLIT_NAMES[split])
            self.plot.addItem(item)
            self.bars[split] = item
        self.chart = chart = QGroupBox("Pictures per class and split")  # shown once a picture is in a split
        self.no_split_note = QLabel(NO_SPLIT_YET)  # in its place before: no empty plot with fractional counts
        self.no_split_note.setWordWrap(True)
        order = "light: train, middle: validation, dark: test" if is_dark(self) else \
            "dark: train, middle: validation, light: test"
        chart.setToolTip(f"How many pictures of each class are in each split ({order}), the classes in the class "
                         "list's order (numbered 1, 2, 3… when their names do not fit under the bars)\n\n"
                         + tip("validation", "test"))
        self.no_split_note.setToolTip(chart.toolTip())
        cl = QVBoxLayout(chart)
        # the legend above the plot, not in it: tall stacks never run under it
        self.legend = QLabel(" &nbsp; ".join(
            f"<span style='color:{color}; font-size:15px'>■</span> {SPLIT_NAMES[split]}"
            for split, color in colors.items()))
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        cl.addWidget(self.legend)
        cl.addWidget(self.plot)

        self.health = QLabel()
        self.health.setWordWrap(True)
        self.health.setTextFormat(Qt.TextFormat.RichText)
        self.health.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.carve = QPushButton(carve_label(self.val.value()))
        set_writing(self.carve, session.project, SPLIT_DOING, True, "Move the Val share of each class's training "
                    "pictures to validation; the test pictures stay as they are (Ctrl+Z undoes it)")
        self.carve.clicked.connect(self.carve_asked)
        self.trash_missing = QPushButton()  # the health line of pictures whose file is gone: them to the trash
        set_writing(self.trash_missing, session.project, TRASH, True, "Move the pictures whose file is missing from "
                    "the project folder to the project's trash (Ctrl+Z brings them back)")
        self.trash_missing.clicked.connect(self.trash_missing_asked)
        self.trash_missing.hide()
        hb = QGroupBox("Dataset health")
        hl = QVBoxLayout(hb)
        # a line per warning can be many (ten small classes): they scroll, the window stays on a small screen
        health_scroll = QScrollArea()
        health_scroll.setWidgetResizable(True)
        health_scroll.setFrameShape(QFrame.Shape.NoFrame)
        health_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        health_body = QWidget()  # the last split's result, then the warnings: scrolled, never cut on a small screen
        body = QVBoxLayout(health_body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.result)
        body.addWidget(self.health)
        body.addStretch(1)
        health_scroll.setWidget(health_body)
        health_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # words to read, no control: Tab goes on to the classes
        self.health_scroll = health_scroll
        hl.addWidget(health_scroll, 1)
        hl.addWidget(self.carve, 0, Qt.AlignmentFlag.AlignLeft)
        hl.addWidget(self.trash_missing, 0, Qt.AlignmentFlag.AlignLeft)

        self.setMinimumWidth(242)  # the three percentages side by side (_spin); the Data page fits 1024 px
        self.setMaximumWidth(460)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(box)
        lay.addWidget(self.no_split_note)
        lay.addWidget(chart, 1)
        lay.addWidget(hb, 1)
        for sig in (session.classes_changed, session.labels_changed, session.images_changed, session.splits_changed):
            sig.connect(self.refresh)
        QApplication.instance().applicationStateChanged.connect(self._back_to_window)  # files deleted meanwhile
        self._load_settings()
        self.refresh()

    def _fit_ticks(self) -> None:
        """The classes' names under their bars, shortened with "…" to the room each bar has; when even three
        letters do not fit (many classes in a narrow panel), the class's number in the list instead."""
        names = getattr(self, "_names", [])
        metrics = self.plot.fontMetrics()
        room = max(1, self.plot.width() - 50) // max(1, len(names)) - 4  # the y axis, a gap between names
        if names and any(metrics.horizontalAdvance(n) > room for n in names) and \
                metrics.horizontalAdvance("Wi…") > room:
            labels = [str(i) for i in range(1, len(names) + 1)]
        else:
            labels = [metrics.elidedText(n, Qt.TextElideMode.ElideRight, room) for n in names]
        self.tick_labels = labels
        self.plot.getAxis("bottom").setTicks([list(enumerate(labels))])

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().resizeEvent(event)
        self._fit_ticks()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt name
        """The plot resized (shown after the first split, the panel's size unchanged): the names fit it again."""
        if watched is self.plot and event.type() == QEvent.Type.Resize:
            self._fit_ticks()
        return super().eventFilter(watched, event)

    @staticmethod
    def _spin(value: int, tip: str) -> QSpinBox:
        s = QSpinBox()
        s.setRange(0, 100)
        s.setValue(value)
        s.setSuffix("%")  # "70%", as every figure on screen
        s.setToolTip(tip)
        s.setMinimumWidth(s.fontMetrics().horizontalAdvance("100%") + 30)  # the number and the arrows, never cut
        return s

    def _load_settings(self) -> None:
        import json

        raw = self.session.project.meta("split_settings")
        if raw:
            try:
                cfg = json.loads(raw)
                t, v, te = (round(x * 100) for x in cfg["ratios"])
                self.train.setValue(t), self.val.setValue(v), self.test.setValue(te)
                self.seed.setValue(int(cfg.get("seed", 0)))
            except (ValueError, KeyError, TypeError):
                pass

    def ratios(self) -> tuple[int, int, int]:
        return self.train.value(), self.val.value(), self.test.value()

    def plan(self) -> SplitPlan | None:
        """What Split would do now (the rule shared with ``cnnstudio split``); None when the ratios are refused."""
        try:
            parse_ratios(self.ratios(), percent=True)  # the boxes are percentages: 1%, 0%, 0% is not whole
        except ValueError:
            return None
        return plan_split(self.session.counts(), self.ratios(), self.resplit_test.isChecked(),
                          self.resplit_folders.isChecked())

    def _check_sum(self) -> None:
        self.carve.setText(carve_label(self.val.value()))
        shown = getattr(self, "_carve_shown", False) and self.val.value() > 0
        if not shown and self.carve.hasFocus():  # the focus stays on this tab, not on the class list's first row
            self.apply.setFocus(Qt.FocusReason.OtherFocusReason)
        self.carve.setVisible(shown)
        total = sum(self.ratios())
        plan = self.plan()
        self.sum_label.setText("" if plan else (f"Ratios add up to {total}%, not 100%." if total != 100
                                                else "Train needs more than 0%."))
        self.sum_label.setStyleSheet(f"color: {status_colour('error', self)};")
        self.sum_label.setVisible(plan is None)
        labelled = getattr(self, "_labelled", 0) > 0
        set_writing(self.apply, self.session.project, SPLIT_DOING, plan is not None and labelled,  # viewing only: off
                    NOTHING_TO_SPLIT if not labelled else
                    "Take the Val share of each class's training pictures for validation; the test "
                    "pictures stay (tick 'Re-draw folder splits too' to re-split everything)"
                    if plan and plan.action == CARVE else
                    f"Divide the labelled pictures into train / validation / test, per class ({SPLIT_KEYS})")

    def do_split(self) -> None:
        if self._refused():
            return
        plan = self.plan()
        if plan is None:  # the button is off; the data check's "Split now" still asks: say why nothing moved
            said = self.sum_label.text()
            self._message(f"Nothing was split: {said[:1].lower()}{said[1:]}"
                          + ("" if self.isVisible() else f" Set the ratios on the {TAB} tab."))
            return
        if not getattr(self, "_labelled", 0):  # Edit > Split Dataset: no undo step that moves nothing
            self._message(NOTHING_TO_SPLIT)
            return
        if plan.action == CARVE:
            self.carve_validation(plan.share)
            return
        seed = self.seed.value()
        self.copies.find(lambda groups: self._split(plan, seed, groups), self._message)

    def _split(self, plan: SplitPlan, seed: int, groups: list[list[int]]) -> None:
        """The split, each group of copies in one split (:class:`~.split_task.CopyFinder` found them)."""
        before = self.session.counts()
        kept = 0 if plan.resplit_test else sum(by_split.get("test", 0) for cid, by_split in before.items()
                                                if cid is not None)
        over = bool(kept) and kept_test_over_share(before, plan.ratios)
        self.session.split(plan.ratios, seed, plan.resplit_test, plan.resplit_folders, groups)
        s = self.session.summary()["splits"]
        redraw = f"tick '{self.resplit_test.text()}' and press 'Split' again"  # the option as the panel names it
        share = f"{round(plan.ratios[2] * 100)}%" if over else None
        notes = [kept_test_words("Split", kept, max(0, s["test"] - kept), share, redraw)] if kept else []
        notes += [few_validation_words(self.session.project, MORE_VALIDATION_GUI), copies_words(self.session, groups)]
        self._said(f"Split: {split_counts(s)}. {''.join(n + ' ' for n in notes if n)}Ctrl+Z undoes it."
                   + self._no_validation(plan, s["val"]), s)

    def carve_asked(self) -> None:
        """The carve button, or the data check's fix: the Val ratio's share of train, the amount Split takes."""
        if self._refused():
            return
        if self.val.value() <= 0:
            self._message("Nothing was split: Val is 0%." + (" Give it a share above 0% first." if self.isVisible()
                                                             else f" Give it a share on the {TAB} tab first."))
            return
        if not getattr(self, "_labelled", 0):  # the data check's fix after the labels went: nothing to take from
            self._message(NOTHING_TO_SPLIT)
            return
        self.carve_validation(self.val.value() / 100)

    def _back_to_window(self, state) -> None:
        """Back to the window from elsewhere (a file manager that deleted pictures' files): the health reads again,
        cheaply (project/missing_files.py lists again only the folders that changed)."""
        if state == Qt.ApplicationState.ApplicationActive and self.isVisible():  # a closed project's panel is not
            self.refresh()

    def trash_missing_asked(self) -> None:
        """The pictures whose file is gone from the project folder, to the project's trash: one step Ctrl+Z undoes."""
        ids = missing_pictures(self.session.project)
        if ids:
            self.session.delete_images(ids)
            one = len(ids) == 1
            self._message(f"Moved {counted(len(ids), 'picture')} whose {'file is' if one else 'files are'} missing to "
                          f"the project's trash. Ctrl+Z brings {'it' if one else 'them'} back.")

    def carve_validation(self, share: float) -> None:
        seed = self.seed.value()
        self.copies.find(lambda groups: self._carve(share, seed, groups), self._message)

    def _carve(self, share: float, seed: int, groups: list[list[int]]) -> None:
        self.session.carve_validation(share, seed, groups)
        s = self.session.summary()["splits"]
        notes = [few_validation_words(self.session.project, MORE_VALIDATION_GUI), copies_words(self.session, groups)]
        self._said(f"Took {round(share * 100)}% of each class's training pictures for validation: "
                   f"{split_counts(s)} (unchanged). {''.join(n + ' ' for n in notes if n)}Ctrl+Z undoes it."
                   + self._no_validation(SplitPlan(CARVE, (1 - share, share, 0.0)), s["val"]), s)

    def _no_validation(self, plan: SplitPlan, n_val: int) -> str:
        """A split that left validation empty says so, and what to do here (never silent)."""
        if n_val:
            return ""
        why = why_no_validation(plan, train_from_folders(self.session.project))
        return f" Validation has 0 pictures: {NO_VALIDATION_EFFECT}. {NO_VALIDATION_GUI[why]}"

    def _refused(self) -> bool:
        """Edit > Split Dataset or the data check's fix on a project open for viewing only: why nothing moved."""
        why = refused(self.session.project, SPLIT_DOING)
        if why:
            self._message(why)
        return bool(why)

    def _message(self, text: str) -> None:
        w = self.window()
        if hasattr(w, "statusBar"):
            w.statusBar().showMessage(text, 6000)  # a long one stays longer: ui/status_bar.shown_for

    def _said(self, text: str, splits: dict) -> None:
        """A split's result: in the status bar, and kept under the Split button until the splits change."""
        self._message(text)
        self.result.setText(text)
        self.result.show()
        self.health_scroll.verticalScrollBar().setValue(0)
        self._result_splits = dict(splits)

    def _forget_result(self, splits: dict) -> None:
        """The result's words go once the splits are no longer the ones they tell (undone, re-split, labelled)."""
        if self._result_splits is not None and dict(splits) != self._result_splits:
            self._result_splits = None
            self.result.clear()
            self.result.hide()

    def refresh(self, *args) -> None:
        summary = self.session.summary()
        self._forget_result(summary["splits"])
        classes = summary["classes"]
        x = np.arange(len(classes), dtype=float)
        bottom = np.zeros(len(classes))
        for split, item in self.bars.items():
            h = np.array([c["counts"][split] for c in classes], dtype=float)
            item.setOpts(x=x, height=h, y0=bottom.copy(), width=0.8)
            bottom += h
        self._names = [c["name"] for c in classes]
        tell(self.plot, "Pictures per class: " + "; ".join(
            f"{c['name']}: {split_counts(c['counts'])}"
            for c in classes) if classes else "No class yet")
        self._fit_ticks()
        self.plot.setXRange(-0.6, max(len(classes), 1) - 0.4, padding=0)
        self.plot.setYRange(0, max(1.0, float(bottom.max()) if len(bottom) else 1.0) * 1.05, padding=0)
        split = bool(bottom.max()) if len(bottom) else False
        self.chart.setVisible(split)  # no empty axis of fractional counts with nothing to draw: the note instead
        self.no_split_note.setVisible(not split)
        warnings = dataset_warnings(self.session.project, summary)
        if not warnings:
            self.health.setText(f"{status_span('ok', '✔', self)} {READY}")
        else:
            self.health.setText("<br>".join(f"{status_span(w.level, ICONS[w.level], self)} {self._in_app(w)}"
                                            for w in warnings))
        self._carve_shown = any(w.fix == CARVE_VALIDATION for w in warnings)
        gone = [w for w in warnings if w.fix == TRASH_MISSING]
        if gone:
            self.trash_missing.setText(trash_missing_label(len(missing_pictures(self.session.project))))
        self.trash_missing.setVisible(bool(gone))
        self._labelled = summary["images"] - summary["unlabelled"]
        self._options_for(self._labelled)
        self._check_sum()

    def _options_for(self, labelled: int) -> None:
        """Seed and the re-draw options say nothing before there is a labelled picture to split: off, and why."""
        if not hasattr(self, "_option_tips"):
            self._option_tips = {w: w.toolTip() for w in (self.seed, self.resplit_test, self.resplit_folders)}
        for w, tip_text in self._option_tips.items():
            w.setEnabled(labelled > 0)
            w.setToolTip(tip_text if labelled else f"{NOTHING_TO_SPLIT}\n\n{tip_text}")

    def _val_changed(self) -> None:
        if getattr(self, "_carve_shown", False):  # the health line names the Val share
            self.refresh()

    def _in_app(self, w) -> str:
        """A warning in the page's words: the carve's, with the Val ratio the page has now."""
        return f"{w.text} {carve_gui(self.val.value())}" if w.fix == CARVE_VALIDATION else w.in_app
