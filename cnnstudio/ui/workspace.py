"""An open project: the workflow steps on the left (Data, Model, Train, Tune, Evaluate, Predict), the page on the right.

The Model, Train, Tune, Evaluate and Predict pages import the engine (and so PyTorch): each is built the first
time it is shown (or asked for through :attr:`Workspace.model_page` etc.), so the window and the Data page
appear without loading PyTorch. Before the first such page is built, PyTorch is made single-threaded on
the GUI thread (:mod:`.torch_thread`: training, in its own thread, keeps every core).

Steps are named by the keys in :data:`STEP_KEYS`: "data", "model", "train", "tune", "evaluate", "predict" (the
step's name in lower case; :func:`step_index` turns a key into its row).

The contract for a page: any page widget may define a Qt signal ``go_to_step = Signal(str)`` carrying a step key;
the workspace connects it when it builds the page, and emitting it shows that step (e.g. the Train page's
"import and label pictures first" button emits ``go_to_step.emit("data")``). An unknown key raises KeyError.

Keyboard (QA keyboard and screen-reader report, finding 8): each page is named "Step 3: Train" for a screen reader,
and showing a step (Ctrl+1…6, the View menu, a click in the step list, a page's link) puts keyboard focus on the
page's first control (:func:`~.keyboard.focus_first`), unless focus is in that page already. The step list
(:class:`StepList`) is a tab stop before the page shown: Tab goes from it to the page's first control and Shift+Tab
from there back to it; in it the arrow keys show the step above or below while focus stays in the list, and Enter
goes into the step shown. :attr:`page_built` tells the main window a page exists (its Train menu takes the Train and
Tune pages' Start, Pause and Stop).

A project folder that went while the window had it open (deleted, moved, renamed, its drive removed): the step's page
gives way to the project's one sentence (:class:`~.folder_gone.FolderGonePanel`, with "Look again", "Open Project…" and
"Close Project") whenever a step is shown or the window asks before an action (:meth:`Workspace.check_folder`), so no
page is built or shown that would give a wrong reason ("Train a model first") or fail to build.

Undo follows the page: when the step changes, the session's undo group makes that step's stack the active one
(:meth:`~.session.ProjectSession.activate`), so Edit > Undo acts on the page the user looks at.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCursor, QFontMetrics
from PySide6.QtWidgets import (QApplication, QFrame, QHBoxLayout, QListWidget, QListWidgetItem, QScrollArea,
                               QStackedWidget, QVBoxLayout, QWidget)

from .data.data_page import DataPage
from .folder_gone import FolderGonePanel
from .font_sizes import LARGER, font_css, scaled_font
from .keyboard import first_tab_stop, focus_first, tab_leaves
from .sentence import sentence
from .session import ProjectSession
from .torch_thread import prepare as prepare_torch

STEPS = [("Data", "Collect, label and split your images"), ("Model", "Design the network"),
         ("Train", "Train it and watch it learn"), ("Tune", "Search for better settings"),
         ("Evaluate", "See what it gets right and wrong"),
         ("Predict", "Use it on new pictures, export it")]
STEP_KEYS = [name.lower() for name, _tip in STEPS]  # "data", "model", "train", "tune", "evaluate", "predict"


def step_index(key: str) -> int:
    """The row of step ``key`` (one of :data:`STEP_KEYS`); KeyError for any other word."""
    try:
        return STEP_KEYS.index(key)
    except ValueError:
        raise KeyError(f"no step called {key!r}: the steps are {', '.join(STEP_KEYS)}") from None


class LazyPage(QWidget):
    """Holds the place of a page and builds it the first time it is shown. A page that fails to build leaves a
    sentence and "Try again" in its place (the error itself goes on to the window's error report), not a blank."""

    def __init__(self, factory: Callable[[], QWidget], parent=None):
        super().__init__(parent)
        self.factory = factory
        self.page: QWidget | None = None
        self.failed: QWidget | None = None  # the "could not be opened" note, while there is one
        self._lay = QVBoxLayout(self)
        self._lay.setContentsMargins(0, 0, 0, 0)

    def ensure(self) -> QWidget:
        if self.page is None:
            self._clear_failure()
            QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
            try:
                prepare_torch()
                self.page = self.factory()
            except Exception as e:
                self._show_failure(e)
                raise
            finally:
                QApplication.restoreOverrideCursor()
            self._lay.addWidget(self.page)
        return self.page

    def _show_failure(self, error: Exception) -> None:
        from PySide6.QtWidgets import QLabel, QPushButton

        self.failed = note = QWidget()
        lay = QVBoxLayout(note)
        lay.addStretch(1)
        from .sentence import sentence

        words = QLabel(sentence(f"This page could not be opened: {str(error) or type(error).__name__}")
                       + "\nYour work is safe; the error report has the details.")
        words.setWordWrap(True)
        words.setAlignment(Qt.AlignmentFlag.AlignCenter)
        again = QPushButton("Try again")
        again.setToolTip("Build the page again (after freeing memory or disk space, or closing another program)")
        again.clicked.connect(self._try_again)
        lay.addWidget(words)
        lay.addWidget(again, 0, Qt.AlignmentFlag.AlignCenter)
        lay.addStretch(1)
        self._lay.addWidget(note)

    def _try_again(self) -> None:
        try:
            self.ensure()
        except Exception:  # noqa: BLE001 - the note is back; sys.excepthook reports it as on the first try
            import sys

            sys.excepthook(*sys.exc_info())

    def _clear_failure(self) -> None:
        if self.failed is not None:
            self.failed.deleteLater()
            self._lay.removeWidget(self.failed)
            self.failed = None

    def showEvent(self, event) -> None:  # noqa: N802
        self.ensure()
        super().showEvent(event)


class StepList(QListWidget):
    """The steps, a tab stop that Tab reaches and leaves (:func:`~.keyboard.tab_leaves`): the arrow keys (Home, End...)
    show another step and leave focus here, so the next press moves on; Enter or Return emits :attr:`entered` (the
    workspace puts focus on the step's first control). A click shows the step without taking focus (focus goes to
    the page, as from the View menu)."""

    entered = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.keyed = False  # while a key pressed here moves the current row
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        tab_leaves(self)
        self.setAccessibleName("Steps")
        self.setAccessibleDescription("The arrow keys show another step; Enter goes into the step shown.")

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            self.entered.emit()
            return
        self.keyed = True
        try:
            super().keyPressEvent(event)
        finally:
            self.keyed = False


class PageStack(QStackedWidget):
    """The pages, one shown at a time: only the page shown sets how small the window may be (a wide page does
    not keep the window wider than a laptop's screen while another page is shown)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.currentChanged.connect(lambda _i: self.updateGeometry())

    def minimumSizeHint(self):  # noqa: N802 - Qt name
        page = self.currentWidget()
        return page.minimumSizeHint() if page is not None else super().minimumSizeHint()

    def sizeHint(self):  # noqa: N802 - Qt name
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()


class PageScroll(QScrollArea):
    """The page stack in a scroll area that shows scroll bars only when the screen is smaller than the page shown
    (800 x 600, or a large text scale): the window never grows past the screen, and every control stays reachable.
    On a screen the page fits (1024 x 614 and up), the window keeps at least the page's own minimum size, as before:
    no scroll bar."""

    #: bound the pages' minimum by the screen. The test suite's offscreen screen is 800 x 600: its windows are
    #: measured as on a screen the pages fit (tests/ui/conftest.py), and one test measures this bound on its own
    fit_screen = True

    def __init__(self, pages: QStackedWidget, parent=None):
        super().__init__(parent)
        self.setWidget(pages)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        pages.currentChanged.connect(lambda _i: self.updateGeometry())  # another page, another minimum
        self.viewport().installEventFilter(self)  # a page's new minimum reaches the window (Qt stops at a viewport)
        pages.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt name
        if event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)

    def _room(self) -> QSize | None:
        """The most the pages may have on this screen: its free area less what the window puts around them."""
        screen = self.screen()
        if screen is None:
            return None
        around = self.window().size() - self.size() if self.isVisible() else QSize(200, 150)
        room = screen.availableGeometry().size() - around
        return QSize(max(room.width(), 200), max(room.height(), 150))

    def minimumSizeHint(self):  # noqa: N802 - Qt name
        want = self.widget().minimumSizeHint()
        room = self._room() if self.fit_screen else None
        return want if room is None else want.boundedTo(room)

    def sizeHint(self):  # noqa: N802 - Qt name
        return self.widget().sizeHint()


class Workspace(QWidget):
    training_ended = Signal()  # a run on the Train page or a search on the Tune page has ended (its thread is done)
    page_built = Signal(str, QWidget)  # a step key and its page, once the page is made

    def __init__(self, session: ProjectSession, parent=None):
        super().__init__(parent)
        self.session = session
        self.nav = StepList()
        self.nav.setIconSize(QSize(24, 24))
        # the steps a quarter larger than the body text, whatever the user's font (font_sizes)
        self.nav.setStyleSheet(f"QListWidget {{ {font_css(LARGER)}; }} QListWidget::item {{ padding: 12px 8px; }}")
        self.pages = PageStack()
        self.data = DataPage(session)
        self.pages.addWidget(self.data)
        self._connect_page(self.data)
        self.lazy = {key: LazyPage(lambda make=make, key=key: self._built(key, self._connect_page(make())))
                     for key, make in (("model", self._make_model), ("train", self._make_train),
                                       ("tune", self._make_tune), ("evaluate", self._make_evaluate),
                                       ("predict", self._make_predict))}
        for i, (step, tip) in enumerate(STEPS):
            (self.lazy[step.lower()] if i else self.data).setAccessibleName(f"Step {i + 1}: {step}")
            item = QListWidgetItem(f"{i + 1}  {step}")
            item.setToolTip(f"{tip} (Ctrl+{i + 1})")
            self.nav.addItem(item)
            if i:
                self.pages.addWidget(self.lazy[step.lower()])
        self.gone = FolderGonePanel()  # after the steps' pages: a step's row is its page's index
        self.gone.look_again.connect(self.check_folder)
        self.pages.addWidget(self.gone)
        font = scaled_font(self.nav.font(), LARGER)  # as the style sheet says
        widest = max(QFontMetrics(font).horizontalAdvance(self.nav.item(i).text()) for i in range(self.nav.count()))
        self.nav.setFixedWidth(widest + 2 * 8 + 2 * self.nav.frameWidth() + 16)  # the padding, the frame, room
        self.nav.currentRowChanged.connect(lambda _row: self.check_folder())  # the step's page, or why not
        self.nav.currentRowChanged.connect(lambda row: session.activate(STEP_KEYS[max(0, row)]))
        self.nav.currentRowChanged.connect(self._focus_page)
        for key in STEP_KEYS:  # every page has its stack, empty where nothing there is undoable
            session.stack(key)
        self.nav.setCurrentRow(0)
        session.activate("data")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.nav)
        self.scroll = PageScroll(self.pages)  # scroll bars only on a screen smaller than the page
        lay.addWidget(self.scroll, 1)
        self.nav.entered.connect(lambda: focus_first(self.pages.currentWidget()))

    # -- the pages, built on first use ---------------------------------------------------------------
    def _connect_page(self, page: QWidget) -> QWidget:
        """The page contract (module docstring): a page's ``go_to_step(str)`` signal shows that step."""
        signal = getattr(page, "go_to_step", None)
        if signal is not None:
            signal.connect(self.show_step_key)
        return page

    def _built(self, key: str, page: QWidget) -> QWidget:
        self.page_built.emit(key, page)
        return page

    def read_again(self, areas) -> None:
        """Another program changed the project (``areas``: project/changed_elsewhere.py, as ``MainWindow.
        changed_elsewhere`` carries them): each built page with a ``read_again(areas)`` reads what it shows again (the
        page contract; the Data page hears the window itself, and the session's signals it sends)."""
        for lazy in self.lazy.values():
            reader = getattr(lazy.page, "read_again", None)
            if reader is not None:
                reader(areas)

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 - Qt's name
        """Tab from the step list goes to the shown page's first control, Shift+Tab from that control back to the
        list (the window's focus chain has the pages built later at its end); any other Tab as Qt moves it."""
        page = self.pages.currentWidget()
        focus = QApplication.focusWidget()
        if page is not None and focus is not None:
            if forward and focus is self.nav and focus_first(page) is not None:
                return True
            if not forward and focus is first_tab_stop(page) and self.nav.isVisible():
                self.nav.setFocus(Qt.FocusReason.BacktabFocusReason)
                return True
        return super().focusNextPrevChild(forward)

    def _focus_page(self, row: int) -> None:
        """The step shown: keyboard focus to its first control, unless it is in the page already or the step was
        chosen with the keys of the step list (focus stays there, for the next key)."""
        if self.nav.keyed:
            return
        page = self.pages.widget(row)
        focus = QApplication.focusWidget()
        inside = (focus is not None and focus is not page and page is not None and page.isAncestorOf(focus)
                  and bool(focus.focusPolicy() & Qt.FocusPolicy.TabFocus))  # a control of the page, not its frame
        if page is not None and self.isVisible() and not inside and focus_first(page) is None:
            QTimer.singleShot(0, lambda: self._focus_built(page))  # a page just built shows its controls later

    def _focus_built(self, page: QWidget) -> None:
        if self.pages.currentWidget() is page:
            focus_first(page)

    def _make_model(self):
        from ..engine.runs.saved_pages import start_batch_size
        from .model.designer import ModelPage

        page = ModelPage(self.session)
        # the memory warning counts the batch Start would train with (_make_train: the Train page's, as it changes)
        page.layer_stack.set_batch_size(start_batch_size(self.session.project))
        return page

    def _make_train(self):
        from .train.train_page import TrainPage

        page = TrainPage(self.session, self.model_page)
        page.runs.design_requested.connect(self.model_page.use_run)  # "Use this design": one Model-page step
        page.go_to_model.connect(lambda: self.show_step(1))
        page.go_to_data.connect(lambda: self.show_step(0))
        page.runs_changed.connect(self._runs_changed)
        page.advice.action_requested.connect(self.follow_advice)
        page.run_ended.connect(lambda *_: self.training_ended.emit())
        self._share_memory_warning(page.settings_form, self.model_page)
        return page

    @staticmethod
    def _share_memory_warning(form, model) -> None:
        """The memory warning on both pages counts the design's estimate (the Model page's) and the batch size (the
        Train page's): each page is told when the other's part changes."""
        form.batch_size.valueChanged.connect(model.layer_stack.set_batch_size)
        model.layer_stack.set_batch_size(form.batch_size.value())

        def design_changed() -> None:
            form.set_memory(model.report.memory if model.report is not None else None)

        model.design_changed.connect(design_changed)
        design_changed()

    def _make_tune(self):
        from .tune.tune_page import TunePage

        page = TunePage(self.session, self.model_page, self.train_page)
        page.go_to_model.connect(lambda: self.show_step(1))
        page.go_to_train.connect(lambda: self.show_step(2))
        page.runs_changed.connect(self._trials_changed)
        train = self.train_page  # one thing trains at a time: the Train page's Start waits for the search
        train.busy_elsewhere = lambda: ("A search for better settings is running on the Tune page: stop it "
                                        "there first." if page.running else "")
        page.study_started.connect(train._update_buttons)
        page.study_ended.connect(lambda *_: train._update_buttons())
        page.study_ended.connect(lambda *_: self.training_ended.emit())
        return page

    def _make_evaluate(self):
        from .evaluate.evaluate_page import EvaluatePage

        page = EvaluatePage(self.session)
        page.go_to_train.connect(lambda: self.show_step(2))
        page.advice.action_requested.connect(self.follow_advice)
        return page

    def _make_predict(self):
        from .predict.predict_page import PredictPage

        page = PredictPage(self.session)
        page.go_to_train.connect(lambda: self.show_step(2))
        return page

    @property
    def model_page(self):
        return self.lazy["model"].ensure()

    @property
    def train_page(self):
        return self.lazy["train"].ensure()

    @property
    def tune_page(self):
        return self.lazy["tune"].ensure()

    @property
    def evaluate_page(self):
        return self.lazy["evaluate"].ensure()

    @property
    def predict_page(self):
        return self.lazy["predict"].ensure()

    def built(self, name: str):
        """The page if it was built, else None (without building it)."""
        return self.lazy[name].page

    def _runs_changed(self) -> None:
        for name in ("evaluate", "predict"):
            page = self.built(name)
            if page is not None:
                page.refresh_runs()

    def _trials_changed(self) -> None:
        """A study's trial started or ended: it is a run like any other."""
        train = self.built("train")
        if train is not None and not train.running:
            train.runs.refresh()
        self._runs_changed()

    # ------------------------------------------------------------------------------------------------
    def show_step(self, index: int) -> None:
        self.nav.setCurrentRow(index)

    def show_step_key(self, key: str) -> None:
        """Show step ``key`` ("data", "model", ...: :data:`STEP_KEYS`)."""
        self.show_step(step_index(key))

    def check_folder(self) -> bool:
        """Whether the project folder is still where it was opened. While it is, the step's page shows; while it is
        not, the project's one sentence stands in its place (the page is neither built nor shown), unless that page
        runs a training or a search: its Stop stays at hand, and the run says itself what failed."""
        row = max(0, self.nav.currentRow())
        gone = self.session.project.gone_error()
        if gone is None or (row and getattr(self.built(STEP_KEYS[row]), "running", False)):
            self.pages.setCurrentIndex(row)
            return gone is None
        self.gone.say(sentence(str(gone)))
        self.pages.setCurrentWidget(self.gone)
        return False

    def current_step(self) -> str:
        return STEP_KEYS[max(0, self.nav.currentRow())]

    def follow_advice(self, action: dict) -> None:
        """An advice button: set what it says and show its page (advice_panel.follow_advice); nothing starts. While
        a run trains, a button that would change the Train page's settings says why it waits instead
        (train/running_form.py): they show what the run trains."""
        from .advice_panel import follow_advice
        from .train.running_form import advice_waits

        waits = advice_waits(action, self.training_running())
        if waits:
            self.window().statusBar().showMessage(waits, 15000)
            return
        follow_advice(self, action)

    def training_running(self) -> bool:
        """A run trains, or a study searches."""
        return any(page is not None and page.running for page in (self.built("train"), self.built("tune")))

    def close(self) -> None:
        """Stop every thread the pages own (a running training run is stopped and waited for)."""
        from .data.split_task import CopyFinder

        for finder in self.findChildren(CopyFinder):  # a search for copies before a split: nothing is split
            finder.shutdown()
        for name in ("tune", "train", "predict", "evaluate", "model"):
            page = self.built(name)
            if page is not None:
                page.shutdown()
        self.data.close()
