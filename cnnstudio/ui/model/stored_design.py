"""What the Model page keeps in the project: the design, its input and its augmentation (meta keys ``model_spec``,
``model_preprocess``, ``model_augment``), read when the page is built and written after each edit, so that they
survive reopening and Start trains what the page shows.

A page never writes just because it was shown. A project open for viewing only (a read-only disk, or another window
has it) is never written: the page's edits work in memory until the project closes, and a note at the top of the
page says so once (:func:`~cnnstudio.ui.read_only_words.read_only_note`), rather than a message at every edit.
"""

from __future__ import annotations

import json

from PySide6.QtWidgets import QLabel

from ...engine.model.design import META_AUGMENT, META_PREPROCESS, META_SPEC, input_for_spec, input_values
from ..colours import note_style
from ..read_only_words import read_only_note

#: What the Model page cannot do on a read-only project, and what it still can (read_only_note's words).
READ_ONLY_DOING = "save changes to the design here"
READ_ONLY_STILL = "You can still try changes here until you close the project, and Save as… keeps them in a file."


def load(page) -> None:
    """Show the design stored in ``page``'s project, or the recommended preset at a size suited to its pictures."""
    from ...engine.errors import EngineError
    from ...engine.model.spec import ModelSpec
    from ...engine.train.settings import SAFE_AUGMENT, suggest_preprocess

    p = page.session.project
    try:
        raw = p.meta(META_SPEC)
        spec = ModelSpec.loads(raw) if raw else None
    except EngineError:
        spec = None
    pp, aug = stored_json(p.meta(META_PREPROCESS)), stored_json(p.meta(META_AUGMENT))
    for stored in (pp, None):  # a damaged record (a wrong type): the input suited to the project's pictures
        values = input_values(stored, lambda: suggest_preprocess(p))
        try:
            page.tabs.preprocess_panel.set_values(**(input_for_spec(spec, values) if spec is not None else values))
            break
        except (TypeError, ValueError, OverflowError):
            continue
    try:
        page.tabs.augment_panel.set_values(aug or SAFE_AUGMENT.to_json())
    except (TypeError, ValueError, OverflowError):
        page.tabs.augment_panel.set_values(SAFE_AUGMENT.to_json())
    if spec is None:
        page._apply_preset("default")
    else:
        page._set_spec(spec)


def stored_json(raw: str | None) -> dict | None:
    """A JSON object the page stored, or None when there is none or it is damaged: not JSON, not an object, or
    holding a number that is no number (NaN, infinity: a number box cannot show one)."""
    def refuse(constant: str):
        raise ValueError(constant)

    try:
        value = json.loads(raw, parse_constant=refuse) if raw else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def save(page) -> None:
    """Store what ``page`` shows in its project (what changed only); nothing on a project open for viewing only."""
    p = page.session.project
    if p.read_only:
        return
    spec = page._spec_or_none()
    if spec is not None:
        text = spec.dumps()
        if p.meta(META_SPEC) != text:
            p.set_meta(META_SPEC, text)
    for key, value in ((META_PREPROCESS, page.tabs.preprocess_panel.values()),
                       (META_AUGMENT, page.tabs.augment_panel.values())):
        text = json.dumps(value, sort_keys=True)
        if p.meta(key) != text:
            p.set_meta(key, text)


def read_only_label(project) -> QLabel:
    """The note the page shows at its top while ``project`` is open for viewing only (hidden otherwise)."""
    words = read_only_note(project, READ_ONLY_DOING, READ_ONLY_STILL)
    label = QLabel(words)
    label.setObjectName("readOnlyNote")
    label.setWordWrap(True)
    label.setStyleSheet(note_style("warning", label, "#readOnlyNote", "padding: 4px 6px; border-radius: 4px;"))
    label.setVisible(bool(words))
    return label
