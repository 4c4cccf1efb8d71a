"""The Data step's keys that menus and tooltips name: one place, so a tooltip never names a key the menu lost.

Split Dataset is not Ctrl+Shift+S, the platforms' Save As (the Model page has a "Save as…" button): pressed out of
habit it would re-draw the splits."""

SPLIT_KEYS = "Ctrl+Shift+D"  # Edit > Split Dataset (D for "divide"), the Split button's tooltip names it
ADD_CLASS_KEYS = "Ctrl+Shift+N"  # Edit > Add Class…, the class list's Add button
RENAME_CLASS_KEYS = "F2"  # the class list's Rename button, in the list and its buttons
