"""The layer palette: the engine's layer catalog as a tree grouped by category, with an "Add layer" button.

Each layer's help is its tooltip. A double-click, Enter or "Add layer" emits :attr:`LayerPalette.chosen` with the
layer type; the page decides where in the stack it goes. The page tells the palette how many layers the design has
(:meth:`LayerPalette.set_layer_count`): at :data:`~cnnstudio.engine.model.spec.MAX_LAYERS` it adds none, and
"Add layer" is disabled with a tooltip that says why.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

CATEGORY_TITLES = {"convolution": "Convolution", "normalisation": "Normalisation", "activation": "Activation",
                   "pooling": "Pooling", "regularisation": "Regularisation", "reshape": "Reshape",
                   "dense": "Fully connected", "composite": "Blocks"}
ADD_TIP = "Add the chosen layer after the selected one (or at the end)"


class LayerPalette(QWidget):
    chosen = Signal(str)  # a layer type, to add to the stack

    def __init__(self, parent=None):
        super().__init__(parent)
        from ...engine.model import catalog
        from ...engine.model.jargon import category_tip, layer_tip

        self.tree = QTreeWidget()
        self.tree.setHeaderLabel("Layers")
        self.tree.setToolTip("Double-click a layer (or press Enter) to add it after the selected one")
        for cat in catalog.CATEGORIES:
            types = catalog.list_layers(cat)
            if not types:
                continue
            parent_item = QTreeWidgetItem([CATEGORY_TITLES.get(cat, cat.title())])
            parent_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            parent_item.setToolTip(0, category_tip(cat))
            for lt in types:
                child = QTreeWidgetItem([lt.title])
                child.setToolTip(0, layer_tip(lt))
                child.setData(0, Qt.ItemDataRole.UserRole, lt.type)
                parent_item.addChild(child)
            self.tree.addTopLevelItem(parent_item)
        self.tree.expandAll()
        self.tree.itemDoubleClicked.connect(lambda item, _c: self._choose(item))
        self.tree.itemActivated.connect(lambda item, _c: self._choose(item))  # Enter on a layer adds it too
        self.tree.setAccessibleName("Layer catalogue")
        self.add_button = QPushButton("Add layer")
        self.add_button.setToolTip(ADD_TIP)
        self.full = False
        self.add_button.clicked.connect(lambda: self._choose(self.tree.currentItem()))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.tree, 1)
        lay.addWidget(self.add_button)

    def set_layer_count(self, count: int) -> None:
        """The design has ``count`` layers: at the limit nothing is added, and the button's tooltip says why."""
        from ...engine.model.spec import MAX_LAYERS

        self.full = count >= MAX_LAYERS
        self.add_button.setEnabled(not self.full)
        self.add_button.setToolTip(f"The design has {count:,} layers, the most CNN Studio allows: remove one to add "
                                   "another." if self.full else ADD_TIP)

    def _choose(self, item) -> None:
        """A category heading, no item at all, or a full design adds nothing."""
        if self.full or item is None or item.data(0, Qt.ItemDataRole.UserRole) is None:
            return
        self.chosen.emit(item.data(0, Qt.ItemDataRole.UserRole))
