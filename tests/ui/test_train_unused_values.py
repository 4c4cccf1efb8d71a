"""The Train page says when values typed on the Model page are not used (shown in red there: out of range, the
design keeps its last good values), so that Start does not quietly train other values than the user sees."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from cnnstudio.ui.train.start_blocker import unused_values_note
from tests.ui.test_training_view import open_tiny


def _type(spin, text: str) -> None:
    """The user selects the number in the box, types ``text`` and presses Enter."""
    spin.setFocus()
    spin.selectAll()
    QTest.keyClicks(spin, text)
    QTest.keyClick(spin, Qt.Key.Key_Return)


def test_the_words_count_the_values_and_point_at_the_model_page():
    assert unused_values_note([]) is None
    one = unused_values_note(["Out channels 0 is not used: ..."])
    assert one.step == "model" and one.button == "Go to the Model page"
    assert one.text == ("1 value on the Model page is not used (shown in red): the design keeps its last good "
                        "value, and Start trains with it.")
    assert unused_values_note(["a", "b"]).text.startswith("2 values on the Model page are not used (shown in red): "
                                                          "the design keeps their last good values")


def test_values_in_red_on_the_model_page_are_said_on_the_train_page(window, qtbot, tmp_path):
    page = open_tiny(window, tmp_path)
    ws = window.workspace
    ws.show_step(2)
    note = page.unused_box
    assert note.isHidden()
    ws.show_step(1)
    model = ws.model_page
    conv = model.layer_stack.cards[0].editors["out_channels"].number
    _type(conv, "0")  # out of range: shown in red, the design keeps 4
    _type(model.tabs.preprocess_panel.width_box, "2")  # an input 2 px wide: not used, the design keeps 8
    assert model.is_valid() and model.design.layers[0]["params"]["out_channels"] == 4
    ws.show_step(2)
    qtbot.waitUntil(note.isVisible)
    assert page.start_button.isEnabled()  # Start is not off: it trains the design's values
    assert note.label.text().startswith("2 values on the Model page are not used (shown in red)")
    assert note.button.text() == "Go to the Model page"
    with qtbot.waitSignal(page.go_to_step) as went:
        note.button.click()
    assert went.args == ["model"] and ws.nav.currentRow() == 1
    _type(conv, "6")  # allowed values: used, and the Train page says nothing any more
    _type(model.tabs.preprocess_panel.width_box, "8")
    ws.show_step(2)
    qtbot.waitUntil(page.isVisible)
    assert note.isHidden()
