"""Values typed on the Model page that are not used (shown in red there: out of range, the design keeps its last good
values) keep Start off, said with the way to the Model page, so that Start never trains other values than the user
sees."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.ui.test_training_view import open_tiny


def _type(spin, text: str) -> None:
    """The user selects the number in the box, types ``text`` and presses Enter."""
    spin.setFocus()
    spin.selectAll()
    QTest.keyClicks(spin, text)
    QTest.keyClick(spin, Qt.Key.Key_Return)


def test_values_in_red_on_the_model_page_keep_start_off_and_say_why(window, qtbot, tmp_path):
    """What a box shows is what trains: values typed on the Model page that the design does not use keep Start off
    (QA: Start trained the design's kept values while the boxes showed others), and the note says where to fix them."""
    page = open_tiny(window, tmp_path)
    ws = window.workspace
    ws.show_step(2)
    assert page.start_button.isEnabled()
    ws.show_step(1)
    model = ws.model_page
    conv = model.layer_stack.cards[0].editors["out_channels"].number
    _type(conv, "0")  # out of range: shown in red, the design keeps 4
    _type(model.tabs.preprocess_panel.width_box, "2")  # an input 2 px wide: not used, the design keeps 8
    assert not model.is_valid() and model.design.layers[0]["params"]["out_channels"] == 4
    ws.show_step(2)
    blocked = page.blocked_box
    qtbot.waitUntil(blocked.isVisible)
    assert not page.start_button.isEnabled()
    # which layer, which setting and what it allows, in one sentence with one colon (QA: "layer 1 and the Input tab
    # show 2 values that are not allowed (in red): type allowed values")
    assert blocked.words == ("Training cannot start yet. The network design cannot be used: in layer 1 "
                             "(Convolution), the out channels must be 1 to 4,096, not 0; on the Input tab, the "
                             "width must be 4 to 2,048 px, not 2 (both in red). Fix it on the Model page.")
    assert blocked.label.toolTip() == blocked.words  # on the page: cut to two lines, "Show more" shows it whole
    qtbot.waitUntil(lambda: blocked.label.text().startswith("Training cannot start yet. The network design cannot "
                                                            "be used: in layer 1"))
    assert blocked.button.text() == "Go to the Model page"
    with qtbot.waitSignal(page.go_to_step) as went:
        blocked.button.click()
    assert went.args == ["model"] and ws.nav.currentRow() == 1
    _type(conv, "6")  # allowed values: used, and Start is on again
    _type(model.tabs.preprocess_panel.width_box, "8")
    assert model.is_valid()
    ws.show_step(2)
    qtbot.waitUntil(page.isVisible)
    assert page.start_button.isEnabled() and blocked.isHidden()
