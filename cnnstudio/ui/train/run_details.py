"""The selected run's details under the runs table: :func:`describe` words them (one paragraph each), and
:class:`DetailsArea` shows them from :data:`DETAILS_LINES`' fewest to most lines, whole lines only."""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QWidget

from ...project.run_records import files_missing_sentence, has_validation, is_search_trial, missing_part, run_settings
from ...project.seen_scores import score_seen
from ..colours import status_span
from ..keyboard import not_a_tab_stop
from ..sentence import sentence
from .run_words import end_note, recipe_words, run_score, settings_words, whole_items

DETAILS_LINES = (2, 8)  # the selected run's details: lines shown at the least (then they scroll) and at the most


class DetailsArea(QScrollArea):
    """The selected run's details in a frameless scroll area from :data:`DETAILS_LINES`' fewest to most lines: the
    runs panel's minimum height does not grow with a long description (it scrolls), and a splitter that gives the
    panel little room squeezes the table, never draws the details over it. It shows whole lines only: the part
    of a line that would not fit is left blank (a line cut through its middle read as other words), and the
    mouse wheel scrolls by lines."""

    def __init__(self, label: QLabel):
        super().__init__()
        self.setWidget(label)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.line = label.fontMetrics().lineSpacing()
        self.setMinimumHeight(DETAILS_LINES[0] * self.line)
        self.setMaximumHeight(DETAILS_LINES[1] * self.line)
        self.verticalScrollBar().setSingleStep(self.line)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        not_a_tab_stop(self)  # the words scroll with the mouse wheel; a tab stop here said nothing

    def sizeHint(self):  # noqa: N802 - Qt's name
        """All the lines of the details at this width (up to the maximum height)."""
        label = self.widget()
        need = label.heightForWidth(max(1, self.viewport().width())) if label.text() else 0
        return QSize(super().sizeHint().width(), max(self.minimumHeight(), min(self.maximumHeight(), need)))

    def resizeEvent(self, event):  # noqa: N802 - Qt's name
        """Whole lines: the rest of the height, less than a line, is a blank margin under them."""
        self.setViewportMargins(0, 0, 0, self.height() % self.line)
        super().resizeEvent(event)


def describe(r, project, run_info, widget: QWidget) -> str:
    """The details of run ``r``, one paragraph each (a paragraph's wrapped lines indented under its first): its
    name, its scores, its design and settings, the recipe's choice, what went wrong or changed, its layers last
    (the longest); items of a list kept whole on their line (:func:`.run_words.whole_items`). ``run_info(id)``
    gives another run of ``project`` (the recipe's kept one) or None; ``widget`` (the details' label) gives the
    colours and the indent."""
    from ...engine.errors import EngineError
    from ...engine.runs import lifecycle as runs
    from ...engine.runs.design_words import design_layers, layers_text, name_says_design
    from ...engine.runs.head_rows import head_rows
    from . import run_files
    from ...engine.runs.run_naming import run_design_words

    cfg = r.config or {}
    s = r.summary
    parts = [f"<b>{html.escape(r.name)}</b>"]  # its id (its folder's name) is in the tooltip
    if s.get("best_epoch"):
        val = f"validation accuracy {run_score(s, 'val')}" if has_validation(r) else "no validation"
        test = "" if is_search_trial(r) or not score_seen(s) else f" · test accuracy {run_score(s, 'test')}"
        rows = head_rows(cfg, run_files.metrics(project, r.id), planned=s.get("epochs"))  # a frozen head's strengths
        kept = f"kept: {rows.row(s['best_epoch'])}" if rows is not None else f"best epoch {s['best_epoch']}"
        parts.append(whole_items(f"{kept} · {val}{test}"))
    parts.append(html.escape(end_note(s)))  # which weights were kept, as its end said it
    if run_settings(cfg):  # a run with settings (not a damaged or bare record): its design unless named after it
        design = run_design_words(cfg)
        said = (design if not name_says_design(r.name, design) else "", settings_words(r))
        parts.append(html.escape(whole_items(" · ".join(p for p in said if p))))
    recipe = s.get("recipe")  # the default recipe's choice (engine/runs/recipe.py)
    why = recipe_words(recipe)
    if why:
        other = run_info(recipe.get("run")) if recipe.get("run") != r.id else None
        kept = f" The run kept is “{other.name}”." if other is not None else ""
        parts.append(html.escape(why + kept))
    gone = r.status != "running" and missing_part(project, r.id, r.status)
    if gone:
        parts.append(status_span("error", html.escape(sentence(files_missing_sentence(r.id, gone))), widget))
    elif r.status == "failed" and s.get("error"):
        parts.append(status_span("error", f"failed: {html.escape(str(s['error']))}", widget))
    try:
        changed = runs.data_changed(project, r.id)
    except (EngineError, OSError, KeyError):
        changed = False
    if changed:
        parts.append(status_span("warning", f"⚠ {changed[0].upper() + changed[1:]}. Train a new run to include "
                                            "the changes.", widget))
    if isinstance(cfg.get("spec"), dict):
        rows = design_layers(cfg["spec"], r.summary.get("classes"))
        parts.append(f"layers: {html.escape(whole_items(layers_text(rows)))}" if rows else "")
    indent = widget.fontMetrics().horizontalAdvance("MM")
    return "".join(f"<div style='margin-left:{indent}px; text-indent:-{indent}px'>{p}</div>" for p in parts if p)
