"""The Predict page with both warning lines (an unsure answer, a picture unlike the training pictures) still fits a
1,024 x 614 screen: the lines stand right of the picture, where there is room, and cost the page no height (QA: under
the headline they made the window 622 pixels tall, the status bar and the grid's bottom cut off on every page after)."""

from __future__ import annotations

from PIL import Image
from PySide6.QtWidgets import QApplication

from cnnstudio.engine.use.predict import Prediction
from tests.ui.test_prediction_view import _trained
from tests.ui.test_window_fits_small_screen import SMALL_SCREEN


def test_predict_with_both_warnings_fits_a_small_screen(window, qtbot, tmp_path):
    page = _trained(window, qtbot, tmp_path)
    picture = tmp_path / "digit2.png"
    Image.new("RGB", (40, 30), (120, 60, 30)).save(picture)
    view = page.detail
    window.resize(*SMALL_SCREEN)
    sure = Prediction(str(picture), "cat", 0, 0.97, {"cat": 0.97, "dog": 0.02, "fox": 0.01}, unlike_training=False)
    view.show_prediction(sure)
    QApplication.processEvents()
    assert not view.unsure.isVisible() and not view.unlike.isVisible()
    calm = view.minimumSizeHint().height(), window.minimumSizeHint().height()
    unsure = Prediction(str(picture), "cat", 0, 0.41, {"cat": 0.41, "dog": 0.35, "fox": 0.24}, unlike_training=True)
    view.show_prediction(unsure)
    QApplication.processEvents()
    assert view.unsure.isVisible() and view.unlike.isVisible()
    assert (view.minimumSizeHint().height(), window.minimumSizeHint().height()) == calm  # no taller with them
    hint = window.minimumSizeHint()
    assert hint.height() <= SMALL_SCREEN[1] and hint.width() <= SMALL_SCREEN[0], hint
    # a model without the hint: its line instead of "unlike", with the unsure one, costs no height either
    from cnnstudio.engine.use.novelty_words import NO_VALIDATION

    view.show_prediction(Prediction(str(picture), "cat", 0, 0.41, dict(unsure.probabilities)), no_hint=NO_VALIDATION)
    QApplication.processEvents()
    assert view.unsure.isVisible() and view.unknown.isVisible() and not view.unlike.isVisible()
    assert (view.minimumSizeHint().height(), window.minimumSizeHint().height()) == calm
    assert view.unknown.geometry().bottom() <= view.picture.geometry().bottom()
    assert view.unknown.height() >= view.unknown.heightForWidth(view.unknown.width())
    view.show_prediction(unsure)
    QApplication.processEvents()
    for label in (view.unsure, view.unlike):  # whole, inside the view
        assert label.geometry().bottom() <= view.picture.geometry().bottom() and label.height() >= label.heightForWidth(label.width())
