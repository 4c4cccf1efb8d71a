"""The Train settings' choice boxes show their whole choice on a small laptop's screen (1,024 x 614 pixels, Advanced
open): "One-cycle (recommended)" was cut to "One-cycle (recommended" (QA keys #8). The open list still marks the
recommended choice; the closed box shows its name, the note under it which one is recommended."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionComboBox

from .test_training_view import make_project


def text_room(box) -> int:
    """The width the style gives a closed choice box's text."""
    opt = QStyleOptionComboBox()
    box.initStyleOption(opt)
    return box.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt,
                                      QStyle.SubControl.SC_ComboBoxEditField, box).width()


def test_every_choice_fits_its_box_in_the_narrowest_settings_column(window, qtbot, tmp_path):
    assert window.open_project(make_project(tmp_path))
    window.workspace.show_step(2)
    form = window.workspace.train_page.settings_form
    form.set_advanced_open(True)
    window.resize(1024, 614)
    qtbot.waitUntil(lambda: window.width() == 1024)
    split = form.parentWidget()  # the settings column as narrow as it gets (the runs list takes the rest)
    sizes = split.sizes()
    mine = split.indexOf(form)
    sizes[1 - mine], sizes[mine] = sum(sizes) - form.minimumWidth(), form.minimumWidth()
    split.setSizes(sizes)
    QApplication.processEvents()
    assert form.width() == form.minimumWidth()
    for box in (form.optimizer, form.schedule, form.device):
        for i in range(box.count()):
            box.setCurrentIndex(i)
            shown = getattr(box, "shown_text", box.currentText)()  # what the closed box paints
            assert box.fontMetrics().horizontalAdvance(shown) <= text_room(box), (shown, text_room(box))
    form.schedule.setCurrentIndex(form.schedule.findData("one_cycle"))
    assert form.schedule.shown_text() == "One-cycle" and form.schedule.currentText() == "One-cycle (recommended)"
    assert form.recommended_notes["schedule"].text() == "recommended: One-cycle"
