"""The class panel: classes with colour, keyboard number (project/label_keys.py) and counts per split; add, rename,
recolour, delete, merge. Every change goes through the session's undo stack. Delete asks first when the class has
pictures (their labels go, and Undo does not outlive the window); an empty class goes at once.

Keys: F2 renames the selected class; a labelling key (the # column's, Backspace) pressed in the list labels the
gallery's selected pictures, as it does in the gallery (the list forwards it: :attr:`ClassPanel.label_key`), rather
than jump to a class whose name starts with that digit. A change of the list that moves other classes' keys says which
class now has which key (project/label_keys.key_changes).

On a project open for viewing only, Add, Rename, Colour, Merge and Delete are off, their tooltip why
(writing_controls.set_writing), and F2 says why in the status bar rather than ask a name it cannot save."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QKeyEvent, QKeySequence, QPixmap
from PySide6.QtWidgets import (QColorDialog, QGridLayout, QHeaderView, QInputDialog, QMessageBox, QPushButton,
                               QSplitter, QStyle, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from ...project import ProjectError
from ...project.label_keys import clear_key, key_changes, keys_of
from ...project.names import NO_CLASS  # the last row: the pictures without a class (a name no class may take)
from ..elided_label import NAME_ELIDE
from .class_columns import no_split_shown
from .picture_words import pictures
from ..session import ProjectSession
from ..sentence import sentence
from .shortcuts import ADD_CLASS_KEYS, RENAME_CLASS_KEYS
from .writing_controls import ADD_CLASS, CHANGE_CLASSES, refused, set_writing

# short headers, so that the counts fit a 1,024-pixel window: "No split" on two lines ("None" read as "no pictures";
# on one line it widened the window by 16 px)
COLUMNS = ["#", "Class", "Train", "Val", "Test", "No\nsplit", "All"]
NAME_COL = COLUMNS.index("Class")  # the one that stretches
NO_SPLIT_COL = COLUMNS.index("No\nsplit")  # then "All"; the class's own counts kept there as data
LEAST_WIDTH, MOST_WIDTH = 244, 420  # the panel's width at the default font: at least, at most (more for a larger font)
NAME_SPARE_CHARS = 1  # a name may widen the panel by this many average characters past LEAST_WIDTH (6 px at the default
#                      font; the Data page at a 1,024-pixel window has that much to spare)
NO_CLASS_TIP = "Pictures without a class (unlabelled): training leaves them out"


def swatch(color: str, size: int = 14) -> QIcon:
    pix = QPixmap(size, size)
    pix.fill(QColor(color))
    return QIcon(pix)


class ClassTree(QTreeWidget):
    """The class list: a labelling key goes to :attr:`label_key` (no type-to-search on digits)."""

    label_key = Signal(object)  # a QKeyEvent: a digit or Backspace, without modifiers

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        from .gallery_view import LABEL_KEYS

        plain = (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier) == Qt.KeyboardModifier.NoModifier
        if plain and (event.key() in LABEL_KEYS or event.key() == Qt.Key.Key_Backspace):
            self.label_key.emit(QKeyEvent(event.type(), event.key(), event.modifiers(), event.text()))
            return
        super().keyPressEvent(event)


class ClassPanel(QWidget):
    class_activated = Signal(object)  # class id: show it in the gallery

    def __init__(self, session: ProjectSession, parent=None):
        super().__init__(parent)
        self.session = session
        self.tree = ClassTree()
        self.label_key = self.tree.label_key
        self.tree.setAccessibleName("Classes")
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setToolTip("Select pictures in the gallery and press the class's key (the # column) to label them.\n"
                             f"Double-click a class to show only its pictures; {RENAME_CLASS_KEYS} renames it.")
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setMinimumSectionSize(20)
        # the counts as wide as they need, the name in the rest (cut in its middle): never a horizontal scroll, so
        # the panel is at least as wide as the counts (_fit_width)
        for col in range(len(COLUMNS)):
            self.tree.header().setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch if col == 1
                                                    else QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # a name too long for its room is cut in the middle, the one rule of names (elided_label.NAME_ELIDE): classes
        # named alike keep what tells them apart ("circle_shapes…big", not "circle…"), whole in the row's tooltip
        self.tree.setTextElideMode(NAME_ELIDE)
        self.tree.headerItem().setToolTip(0, "The key that gives the selected pictures this class: a class named by a "
                                             "digit has that digit, the others the keys 1-9 left, in list order")
        self.tree.headerItem().setToolTip(NO_SPLIT_COL, "Pictures of this class in no split yet")
        self.tree.itemDoubleClicked.connect(self._activated)
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        buttons = QGridLayout()  # two rows: each word whole in the panel's least width
        buttons.setSpacing(2)
        self.buttons = {}
        self._tips: dict[str, str] = {}  # each button's own words (a read-only project's: why it is off)
        for key, text, tip, slot in (
            ("add", "Add", f"Add a class ({ADD_CLASS_KEYS})", self.add_class),
            ("rename", "Rename", f"Rename the selected class ({RENAME_CLASS_KEYS})", self.rename_class),
            ("color", "Colour", "Change the selected class's colour", self.recolor_class),
            ("merge", "Merge", "Move every picture of the selected class into another class, then remove the class "
                               "(undoable)", self.merge_class),
            ("delete", "Delete", "Delete the selected class; its pictures are left without a class (undoable)",
             self.delete_class),
        ):
            b = QPushButton(text)
            self._tips[key] = tip
            set_writing(b, session.project, ADD_CLASS if key == "add" else CHANGE_CLASSES, True, tip)
            b.clicked.connect(slot)
            buttons.addWidget(b, len(self.buttons) // 3, len(self.buttons) % 3)
            self.buttons[key] = b
        self.rename_action = QAction("Rename class", self)  # F2 in the list and its buttons
        self.rename_action.setShortcut(QKeySequence(RENAME_CLASS_KEYS))
        self.rename_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.rename_action.triggered.connect(self.rename_class)
        self.addAction(self.rename_action)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.tree, 1)
        lay.addLayout(buttons)
        self._counts: dict = {}  # the project's counts the list shows (class id -> split -> pictures)
        self.pending = None  # the camera's pictures on their way in (ui/camera/rules.PendingPictures), counted too
        for sig in (session.classes_changed, session.labels_changed, session.images_changed, session.splits_changed):
            sig.connect(self.refresh)
        self.refresh()

    def refresh(self, *args) -> None:
        current = self.current_class_id()
        counts = self.session.counts()
        self.tree.clear()
        classes = self.session.project.classes()
        keys = keys_of([c.name for c in classes])
        for c, key in zip(classes, keys):
            per = counts.get(c.id, {})
            values = ["" if key is None else str(key), c.name, per.get("train", 0), per.get("val", 0),
                      per.get("test", 0), per.get(None, 0), sum(per.values())]
            item = QTreeWidgetItem([str(v) for v in values])
            item.setData(NO_SPLIT_COL, Qt.ItemDataRole.UserRole, (per.get(None, 0), sum(per.values())))
            item.setIcon(1, swatch(c.color))
            item.setData(0, Qt.ItemDataRole.UserRole, c.id)
            for col in range(2, len(COLUMNS)):
                item.setTextAlignment(col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(1, c.name if key is None else f"{c.name}: press {key} to label the selected pictures")
            self.tree.addTopLevelItem(item)
            if c.id == current:
                self.tree.setCurrentItem(item)
        unl = counts.get(None, {})
        clear = clear_key([c.name for c in classes])
        item = QTreeWidgetItem([clear, NO_CLASS, *(str(unl.get(k, 0)) for k in ("train", "val", "test", None)),
                                str(sum(unl.values()))])
        item.setData(0, Qt.ItemDataRole.UserRole, -1)
        item.setToolTip(1, f"{NO_CLASS_TIP}. Press {'Backspace' if clear != '0' else '0 or Backspace'} to take the "
                           "class off the selected pictures")
        item.setForeground(1, QColor("gray"))
        for col in range(2, len(COLUMNS)):
            item.setTextAlignment(col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.tree.addTopLevelItem(item)
        self._counts = counts
        self.tree.setColumnHidden(NO_SPLIT_COL, not no_split_shown(counts))  # zeros only: the names get its room
        self.count_pending()
        self._update_buttons()
        self._fit_width()

    def least_width(self) -> int:
        """The panel's least width: every count column whole (a larger font or a larger count widens them), the
        word "Class" for the names, the frame and room for a vertical scroll bar; never under
        :data:`LEAST_WIDTH`, the panel's width at the default font."""
        tree, header = self.tree, self.tree.header()
        counts = sum(max(header.sectionSizeHint(col), tree.sizeHintForColumn(col))
                     for col in range(len(COLUMNS)) if col != NAME_COL and not tree.isColumnHidden(col))
        bar = tree.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, tree)
        least = max(LEAST_WIDTH, counts + header.sectionSizeHint(NAME_COL) + 2 * tree.frameWidth() + bar)
        # the longest name whole when a little more room does it (QA: "triangle" read "tri…gle" beside the "No split"
        # column, 2 px short), at most NAME_SPARE_CHARS average characters more: what a 1,024-pixel window has to
        # spare; a longer name is cut in its middle, whole in its tooltip
        spare = NAME_SPARE_CHARS * tree.fontMetrics().averageCharWidth()
        return max(least, min(self.names_width(), LEAST_WIDTH + spare))

    def names_width(self) -> int:
        """The panel's width with every name whole beside the count columns shown."""
        tree, header = self.tree, self.tree.header()
        counts = sum(max(header.sectionSizeHint(col), tree.sizeHintForColumn(col))
                     for col in range(len(COLUMNS)) if col != NAME_COL and not tree.isColumnHidden(col))
        names = counts + tree.sizeHintForColumn(NAME_COL) + 2 * tree.frameWidth()
        if tree.verticalScrollBar().isVisible():
            names += tree.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, tree)
        return names

    def _fit_width(self) -> None:
        least = self.least_width()
        self.setMinimumWidth(least)
        self.setMaximumWidth(max(MOST_WIDTH, least))
        self._give_names_room()

    def _give_names_room(self) -> None:
        """A name cut while the gallery beside can spare the pixels: the Data page's splitter gives the list the
        room its names need (up to its most width), the gallery keeping its least width; never narrower (QA at
        1,366 px: "bananas" read "ba…as" beside the "No split" column, the gallery 600 px wide)."""
        splitter = self.parentWidget()
        if not isinstance(splitter, QSplitter) or not self.isVisible():
            return
        want = min(self.names_width(), self.maximumWidth())
        sizes = splitter.sizes()
        i = splitter.indexOf(self)
        if i < 0 or i + 1 >= len(sizes) or sizes[i] >= want:
            return
        beside = splitter.widget(i + 1)
        give = min(want - sizes[i], sizes[i + 1] - max(beside.minimumSizeHint().width(), beside.minimumWidth()))
        if give > 0:
            sizes[i], sizes[i + 1] = sizes[i] + give, sizes[i + 1] - give
            splitter.setSizes(sizes)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._give_names_room()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange) and hasattr(self, "tree"):
            self._fit_width()

    def count_pending(self, *args) -> None:
        """Add the camera's pictures on their way in to their class's "No split" and "All" counts, in
        place (called for every frame kept while recording)."""
        for i in range(self.tree.topLevelItemCount() - 1):  # the last row is NO_CLASS
            item = self.tree.topLevelItem(i)
            no_split, total = item.data(NO_SPLIT_COL, Qt.ItemDataRole.UserRole)
            coming = self.pending.count(item.text(1)) if self.pending is not None else 0
            item.setText(NO_SPLIT_COL, str(no_split + coming))
            item.setText(NO_SPLIT_COL + 1, str(total + coming))
            if coming and self.tree.isColumnHidden(NO_SPLIT_COL):  # the camera's pictures come in no split
                self.tree.setColumnHidden(NO_SPLIT_COL, not no_split_shown(self._counts, coming))
                self._fit_width()

    def current_class_id(self) -> int | None:
        item = self.tree.currentItem()
        cid = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        return cid if cid not in (None, -1) else None

    def select_class(self, class_id: int) -> None:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, Qt.ItemDataRole.UserRole) == class_id:
                self.tree.setCurrentItem(item)

    def _update_buttons(self) -> None:
        """Add on, the others on for a selected class (Merge: with another class to merge into); all off on a
        project open for viewing only, their tooltip why (writing_controls.set_writing)."""
        project = self.session.project
        has = self.current_class_id() is not None
        set_writing(self.buttons["add"], project, ADD_CLASS, True, self._tips["add"])
        for key in ("rename", "color", "merge", "delete"):
            on = has and (key != "merge" or len(project.classes()) > 1)
            set_writing(self.buttons[key], project, CHANGE_CLASSES, on, self._tips[key])

    def _activated(self, item: QTreeWidgetItem, column: int) -> None:
        self.class_activated.emit(item.data(0, Qt.ItemDataRole.UserRole))

    def _try(self, fn, *args, done: str = "") -> bool:
        """Make a change; say ``done`` and which classes' keys it moved in the status bar, or why it failed."""
        before = [(c.id, c.name) for c in self.session.project.classes()]
        try:
            fn(*args)
        except ProjectError as e:
            QMessageBox.warning(self, "CNN Studio", sentence(str(e)))
            return False
        moved = key_changes(before, [(c.id, c.name) for c in self.session.project.classes()])
        said = " ".join(t for t in (done, moved) if t)
        status_bar = getattr(self.window(), "statusBar", None)  # a panel shown on its own has none
        if said and status_bar is not None:
            status_bar().showMessage(said, 10000 if moved else 6000)
        return True

    def add_class(self) -> None:
        name, ok = QInputDialog.getText(self, "Add class", "Name of the new class:")
        if ok and name.strip():
            self._try(self.session.add_class, name.strip())

    def rename_class(self) -> None:
        cid = self.current_class_id()
        if cid is None:
            return
        why = refused(self.session.project, CHANGE_CLASSES)  # F2 on a project open for viewing only: why, no dialog
        if why:
            status_bar = getattr(self.window(), "statusBar", None)  # a panel shown on its own has none
            if status_bar is not None:
                status_bar().showMessage(why, 8000)
            return
        old = self.session.class_info(cid).name
        name, ok = QInputDialog.getText(self, "Rename class", f"New name for “{old}”:", text=old)
        if ok and name.strip() and name.strip() != old:
            self._try(self.session.rename_class, cid, name.strip())

    def recolor_class(self) -> None:
        cid = self.current_class_id()
        if cid is None:
            return
        info = self.session.class_info(cid)
        color = QColorDialog.getColor(QColor(info.color), self, f"Colour of “{info.name}”")
        if color.isValid():
            self._try(self.session.recolor_class, cid, color.name())

    def delete_class(self) -> None:
        cid = self.current_class_id()
        if cid is None:
            return
        info = self.session.class_info(cid)
        n = sum(self.session.counts().get(cid, {}).values())  # its pictures, out of the trash
        if n == 0:  # nothing to lose: deleted at once
            self._delete(cid, info.name)
            return
        # a class with pictures: asked first (its labels go; Undo does not outlive the window). Opened, not exec'd:
        # a test answers the real box; Cancel is the default and Escape's
        self.delete_box = box = QMessageBox(QMessageBox.Icon.Question, "Delete class", delete_words(info.name, n),
                                            QMessageBox.StandardButton.Cancel, self)
        delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda _r: box.clickedButton() is delete and self._delete(cid, info.name))
        box.open()

    def _delete(self, cid: int, name: str) -> None:
        if any(c.id == cid for c in self.session.project.classes()):  # not deleted meanwhile (another program)
            self._try(self.session.delete_class, cid,
                      done=f"Deleted class “{name}”; its pictures have no class now. Ctrl+Z brings it back.")

    def merge_class(self) -> None:
        cid = self.current_class_id()
        if cid is None:
            return
        others = [c for c in self.session.project.classes() if c.id != cid]
        src = self.session.class_info(cid).name
        self.merge_dialog = dlg = QInputDialog(self)  # opened, not exec'd: a test answers the real dialog
        dlg.setWindowTitle("Merge classes")
        dlg.setLabelText(merge_words(src))
        dlg.setComboBoxItems([c.name for c in others])
        dlg.setComboBoxEditable(False)
        dlg.textValueSelected.connect(lambda name: self._merge_into(cid, others, name))
        dlg.open()

    def _merge_into(self, cid: int, others, name: str) -> None:
        target = next((c for c in others if c.name == name), None)
        if target is not None:
            self._try(self.session.merge_classes, cid, target.id)


def delete_words(name: str, n: int) -> str:
    """Delete's question for a class with ``n`` pictures: the class and what its pictures lose."""
    return f"Delete the class “{name}” and leave its {pictures(n)} with no class?"


def merge_words(name: str) -> str:
    """The Merge dialog's question: what moves, and that the class goes."""
    return (f"Move every picture of “{name}” into another class; “{name}” is then removed (Ctrl+Z undoes it).\n\n"
            "Into:")
