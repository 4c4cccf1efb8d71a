"""The runs list's "Use this design" on the Model page: a run's design (its layers or backbone, input and
augmentation) put back as one undo step, said in the window's message line. A helper of
:class:`~.designer.ModelPage`, which it drives through the page's own show / record steps."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

from ..sentence import sentence


def use_run_design(page, run_id: str) -> None:
    """Put run ``run_id``'s design back (its layers or backbone, input and augmentation: one undo step), show
    this page and say so in the window's message line (the runs list's "Use this design")."""
    from ...engine.errors import EngineError
    from ...engine.runs.run_design import design_used_sentence, run_design, use_run_words
    from ...project.run_records import find_run

    info = find_run(page.session.project, run_id)
    if info is None:
        return
    try:
        got = run_design(info.config, page.tabs.preprocess_panel.values(), page.tabs.augment_panel.values())
    except EngineError as e:
        QMessageBox.warning(page, "Cannot use this design", sentence(str(e)))
        return
    page.design.use_spec(got.spec)
    page.tabs.preprocess_panel.set_values(**got.input)
    page.tabs.augment_panel.set_values(got.augment)
    page._show_design()
    page._request_previews()
    changed = page.state() != page._state
    page._record(use_run_words(info.name))
    page.go_to_step.emit("model")
    undo = QKeySequence(QKeySequence.StandardKey.Undo).toString(QKeySequence.SequenceFormat.NativeText)
    if hasattr(page.window(), "statusBar"):
        page.window().statusBar().showMessage(design_used_sentence(info.name, changed, undo), 15000)

