"""The layer palette: the engine's layer catalog as a tree grouped by category, with an "Add layer" button.

Each layer's help is its tooltip. Enter or a double-click on a layer (Qt's "activated": one signal, so a double-click
adds one layer, not two) or "Add layer" emits :attr:`LayerPalette.chosen` with the layer type; the page decides where
in the stack it goes. The page tells the palette how many layers the design has (:meth:`LayerPalette.set_layer_count`):
at :data:`~cnnstudio.engine.model.spec.MAX_LAYERS` it adds none, "Add layer" is disabled with a tooltip that says
why, and a layer chosen anyway (Enter, a double-click) shows that sentence under the list (:attr:`LayerPalette.note`).
The keyboard's arrows and typed letters choose layers only, never a heading (:meth:`CatalogTree.moveCursor`).
With no layer chosen (the page opens so; a category heading is no layer) "Add layer" says "Choose a layer in the list
above first." in its tooltip and, pressed, under the list, and the list takes the keyboard focus; it stays a tab stop.

Every title is shown whole, never "Global average po…": the categories are headings that stay open (no branch
arrows, less indentation), the page's splitter starts the list as wide as its longest title at the font it has
(:meth:`CatalogTree.whole_width`, 158 px at the default font: it fits beside the cards at 1,024 px), and where the
page gives it less room its titles wrap onto a second line (:class:`CatalogTree`).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtWidgets import (QLabel, QPushButton, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from ..colours import status_colour

CATEGORY_TITLES = {"convolution": "Convolution", "normalisation": "Normalisation", "activation": "Activation",
                   "pooling": "Pooling", "regularisation": "Regularisation", "reshape": "Reshape",
                   "dense": "Fully connected", "composite": "Blocks"}
ADD_TIP = "Add the chosen layer after the selected one (or at the end)"
CHOOSE_FIRST = "Choose a layer in the list above first."  # "Add layer" with no layer chosen (a heading is none)
INDENT = 10  # px: a layer under its category (Qt's 20 cut "Global average pooling" at 1,024 px wide)


def full_words(count: int) -> str:
    """Why nothing is added to a design of ``count`` layers, the most a design may have."""
    return f"The design has {count:,} layers, the most CNN Studio allows: remove one to add another."


class _WrappingDelegate(QStyledItemDelegate):
    """A title as tall as it needs at its column's width: wrapped onto more lines, never cut (Qt's tree measures an
    item on one line, however narrow its column)."""

    def whole_width(self, option, index, longest_word: bool = False) -> int:
        """The width of the title on one line (of its longest word: ``longest_word``), with its indentation."""
        one_line = super().sizeHint(option, index).width() + self.parent().indent_of(index)
        if not longest_word:
            return one_line
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        fm = opt.fontMetrics
        return one_line - fm.horizontalAdvance(opt.text) + max(fm.horizontalAdvance(w) for w in opt.text.split())

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 - Qt's name
        tree = self.parent()
        one_line = super().sizeHint(option, index)
        room = tree.columnWidth(0) - tree.indent_of(index)
        if one_line.width() <= room:
            return one_line
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        margin = 2 * (tree.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, tree) + 1)
        lines = opt.fontMetrics.boundingRect(QRect(0, 0, max(1, room - margin), 100_000),
                                             Qt.TextFlag.TextWordWrap, opt.text)
        return QSize(room, one_line.height() - opt.fontMetrics.height() + lines.height())


class CatalogTree(QTreeWidget):
    """The catalog's tree: as wide as its widest title when it has the room (:meth:`sizeHint`), its titles wrapped
    when the page gives it less (a design with wide numbers on its cards, a large font)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # nothing to scroll sideways to
        self.setWordWrap(True)
        self.setItemDelegate(_WrappingDelegate(self))
        # a narrower or wider column: the rows are measured again (Qt keeps the heights it measured first)
        self.header().sectionResized.connect(lambda *_: self.scheduleDelayedItemsLayout())

    def moveCursor(self, action, modifiers):  # noqa: N802 - Qt's name
        """The keyboard's moves land on layers only: a category heading is passed over in the direction of the move
        (to the first layer from the top; Left, which goes to a heading, stays put). A heading was the current row
        after ↑ or ↓, and Enter there only said it was a heading (QA k1)."""
        index = super().moveCursor(action, modifiers)
        if not index.isValid() or index.parent().isValid():
            return index
        move = QTreeWidget.CursorAction
        if action in (move.MoveLeft, move.MoveRight):
            return self.currentIndex()
        item = self.itemFromIndex(index)
        up = action in (move.MoveUp, move.MovePrevious, move.MovePageUp)
        landed = self.itemAbove(item) if up else self.itemBelow(item)
        if landed is None:  # the first heading, going up: its first layer
            landed = self.itemBelow(item)
        return self.indexFromItem(landed) if landed is not None else self.currentIndex()

    def keyboardSearch(self, search: str) -> None:  # noqa: N802 - Qt's name
        """Typing a title's first letters chooses a layer: one that matches, or the first under a heading that does."""
        super().keyboardSearch(search)
        item = self.currentItem()
        if item is not None and item.parent() is None and item.childCount():
            self.setCurrentItem(item.child(0))

    def indent_of(self, index) -> int:
        depth = 0
        while index.parent().isValid():
            index, depth = index.parent(), depth + 1
        return depth * self.indentation()

    def whole_width(self, longest_word: bool = False) -> int:
        """The least width that shows every title on one line (``longest_word``: every word of every title), with
        the frame and, when shown, the scroll bar."""
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        delegate, widths = self.itemDelegate(), [0]
        for i in range(self.topLevelItemCount()):
            top = self.topLevelItem(i)
            for item in (top, *(top.child(k) for k in range(top.childCount()))):
                widths.append(delegate.whole_width(option, self.indexFromItem(item), longest_word))
        bar = self.verticalScrollBar()
        return max(widths) + 2 * self.frameWidth() + (bar.sizeHint().width() if bar.isVisible() else 0)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self.whole_width(), super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """Narrower than this a word would be cut ("Regularisati…"): the titles wrap down to it."""
        return QSize(self.whole_width(longest_word=True), super().minimumSizeHint().height())


class LayerPalette(QWidget):
    chosen = Signal(str)  # a layer type, to add to the stack

    def __init__(self, parent=None):
        super().__init__(parent)
        from ...engine.model import catalog
        from ...engine.model.jargon import category_tip, layer_tip

        self.tree = CatalogTree()
        self.tree.setHeaderLabel("Layers")
        self.tree.setToolTip("Double-click a layer (or press Enter) to add it after the selected one")
        self.tree.setRootIsDecorated(False)  # the categories are headings, always open
        self.tree.setItemsExpandable(False)
        self.tree.setIndentation(INDENT)
        for cat in catalog.CATEGORIES:
            types = catalog.list_layers(cat)
            if not types:
                continue
            parent_item = QTreeWidgetItem([CATEGORY_TITLES.get(cat, cat.title())])
            parent_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            parent_item.setToolTip(0, category_tip(cat))
            font = parent_item.font(0)
            font.setBold(True)
            parent_item.setFont(0, font)
            for lt in types:
                child = QTreeWidgetItem([lt.title])
                child.setToolTip(0, layer_tip(lt))
                child.setData(0, Qt.ItemDataRole.UserRole, lt.type)
                parent_item.addChild(child)
            self.tree.addTopLevelItem(parent_item)
        self.tree.expandAll()
        # Enter, and a double-click (Qt activates an item on it): one signal, so one layer per double-click
        self.tree.itemActivated.connect(lambda item, _c: self._choose(item))
        self.tree.setAccessibleName("Layer catalogue")
        self.add_button = QPushButton("Add layer")
        self.add_button.setToolTip(ADD_TIP)
        self.note = QLabel()  # why a layer chosen in a full design was not added
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {status_colour('error', self)};")
        self.note.hide()
        self.full = False
        self._count = 0
        self.add_button.clicked.connect(lambda: self._choose(self.tree.currentItem()))
        self.tree.currentItemChanged.connect(lambda *_: self._update_button())
        self._update_button()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.tree, 1)
        lay.addWidget(self.note)
        lay.addWidget(self.add_button)

    def set_layer_count(self, count: int) -> None:
        """The design has ``count`` layers: at the limit nothing is added, and the button's tooltip says why."""
        from ...engine.model.spec import MAX_LAYERS

        self.full = count >= MAX_LAYERS
        self._count = count
        self.note.setText(full_words(count) if self.full else "")
        if not self.full:
            self.note.hide()
        self._update_button()

    def layer_chosen(self) -> str | None:
        """The layer type of the list's current row; None for a category heading or no row."""
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    def _update_button(self) -> None:
        """"Add layer" is off in a full design; its tooltip says why, or that a layer must be chosen first. It stays
        on with no layer chosen, a tab stop (Tab goes from it into the cards; ✕ on the last card gives it the
        focus): pressed then, it says what to do (:meth:`_choose`)."""
        chosen = self.layer_chosen() is not None
        self.add_button.setEnabled(not self.full)
        self.add_button.setToolTip(full_words(self._count) if self.full else ADD_TIP if chosen else CHOOSE_FIRST)
        if chosen and not self.full:
            self.note.hide()

    def _choose(self, item) -> None:
        """No layer chosen (no row, or a category heading) says to choose one, and the list takes the keyboard focus
        (its arrows choose); a layer chosen in a full design says why it is not added."""
        if item is None or item.data(0, Qt.ItemDataRole.UserRole) is None:
            self.note.setText(CHOOSE_FIRST if item is None else f"“{item.text(0)}” is a heading: choose a layer "
                              "under it in the list above first.")
            self.note.show()
            self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        if self.full:
            self.note.setText(full_words(self._count))
            self.note.show()
            return
        self.note.hide()
        self.chosen.emit(item.data(0, Qt.ItemDataRole.UserRole))
