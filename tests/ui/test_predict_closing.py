"""Closing the project while the Predict page predicts dropped pictures or a folder: the work is stopped and nothing
goes wrong. Each thread's own 'finished' still arrives after the page let go of the thread; it is ignored."""

from __future__ import annotations

from shiboken6 import isValid

from tests.ui.test_drop import drop
from tests.ui.test_prediction_view import _new_pictures, _trained


def _loaded(window, qtbot, tmp_path):
    page = _trained(window, qtbot, tmp_path)
    qtbot.waitUntil(lambda: page.loader.ready(page._chosen_run()) is not None, timeout=30_000)
    return page


def _close(window, qtbot, page) -> None:
    """File > Close Project at once (no event processed since the work started, so its 'finished' is still to come),
    then every event until the page is gone."""
    with qtbot.captureExceptions() as raised:
        window.close_project()
        qtbot.waitUntil(lambda: not isValid(page), timeout=30_000)
    assert not raised, raised
    assert window.session is None


def test_closing_the_project_while_dropped_pictures_are_predicted(window, qtbot, tmp_path, reporter):
    page = _loaded(window, qtbot, tmp_path)
    assert drop(page.list.viewport(), _new_pictures(tmp_path / "new", 4)) and page.thread is not None
    _close(window, qtbot, page)
    assert reporter.dialog is None  # no "Something went wrong"


def test_closing_the_project_while_a_folder_is_predicted(window, qtbot, tmp_path, reporter):
    page = _loaded(window, qtbot, tmp_path)
    folder = tmp_path / "batch"
    _new_pictures(folder, 4)
    assert page.predict_folder(folder, None) and page.folder_panel.thread is not None
    _close(window, qtbot, page)
    assert reporter.dialog is None


def test_closing_while_a_folder_waits_for_its_model_turns_its_button_back_on(window, qtbot, tmp_path):
    page = _trained(window, qtbot, tmp_path)  # shown: its model is on its way, not loaded yet (no event since)
    folder = tmp_path / "batch"
    _new_pictures(folder, 2)
    assert page.loader.ready(page._chosen_run()) is None
    assert page.predict_folder(folder, None) and page._folder_waiting is not None
    assert not page.folder_button.isEnabled()
    page.shutdown()
    assert page._folder_waiting is None and page.folder_button.isEnabled()
    assert page.folder_panel.thread is None  # nothing started once the model it waited for was let go of
