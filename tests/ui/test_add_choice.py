"""Predict's "Add to the dataset as" never starts at an uncertain guess (QA 12): the rule without a window, then the
view that shows it."""

from __future__ import annotations

import math

from PIL import Image

from cnnstudio.engine.use.predict import Prediction
from cnnstudio.ui.predict.add_choice import CHOICE_TIP, CHOOSE_FIRST, PLACEHOLDER, SURE_ENOUGH, preset_class
from cnnstudio.ui.predict.prediction_view import PredictionView

CLASSES = ["3", "8", "cat"]


def test_the_models_answer_is_filled_in_only_when_it_is_sure():
    assert SURE_ENOUGH == 0.9
    like = {"unlike_training": False}  # a model with the hint, and a picture like its training pictures
    assert preset_class("3", 0.308, CLASSES, **like) == ""  # the QA's 8 called "3" at 30.8 %: the user chooses
    assert preset_class("3", 0.846, CLASSES, **like) == ""
    assert preset_class("3", 0.9, CLASSES, **like) == "3" and preset_class("cat", 0.999, CLASSES, **like) == "cat"
    assert preset_class("dog", 0.99, CLASSES, **like) == ""  # a class the project no longer has
    assert preset_class("3", math.nan, CLASSES, **like) == "" and preset_class("3", 0.95, [], **like) == ""
    assert "90.0%" in CHOICE_TIP and PLACEHOLDER == "Choose a class…"
    # a picture unlike the training pictures (QA 5: noise called "8" at 96 %): the user chooses, however sure
    assert preset_class("3", 0.96, CLASSES, unlike_training=True) == ""
    assert preset_class("3", 0.96, CLASSES, unlike_training=False) == "3"
    # a model without the hint cannot tell (QA: a blue rectangle preset to "cherries" at 100 %): the user chooses
    assert preset_class("3", 0.96, CLASSES, None) == "" == preset_class("cat", 1.0, CLASSES)


def _picture(path, shade):
    Image.new("RGB", (20, 14), (shade, 90, 200 - shade)).save(path)
    return str(path)


def _prediction(path, label, confidence):
    rest = (1 - confidence) / (len(CLASSES) - 1)
    probs = {c: (confidence if c == label else rest) for c in CLASSES}
    return Prediction(path, label, CLASSES.index(label), confidence, probs, unlike_training=False)


def test_an_uncertain_prediction_leaves_the_class_to_the_user(qtbot, tmp_path):
    view = PredictionView(cam_job=lambda path: (None, None))
    qtbot.addWidget(view)
    view.set_classes(CLASSES)
    combo, button = view.add_class, view.add_button
    assert combo.currentIndex() == -1 and not button.isEnabled()  # nothing shown yet: nothing chosen
    unsure = _prediction(_picture(tmp_path / "8_0001.png", 10), "3", 0.308)
    view.show_prediction(unsure)
    assert combo.currentIndex() == -1 and combo.currentText() == "" and combo.placeholderText() == PLACEHOLDER
    assert not button.isEnabled() and button.toolTip() == CHOOSE_FIRST  # one click cannot add it as "3"
    combo.setCurrentIndex(combo.findText("8"))  # the user says what it really is
    assert button.isEnabled() and combo.currentText() == "8"
    view.show_prediction(unsure)  # the same prediction again (Grad-CAM turned on): the user's choice stays
    assert combo.currentText() == "8"
    sure = _prediction(_picture(tmp_path / "cat.png", 120), "cat", 0.97)
    view.show_prediction(sure)  # a sure answer is filled in
    assert combo.currentText() == "cat" and button.isEnabled()
    view.show_prediction(unsure)  # back to the unsure picture: empty again, not the last picture's class
    assert combo.currentIndex() == -1 and not button.isEnabled()
    view.set_classes(CLASSES + ["dog"])  # the classes change: still nothing chosen for it
    assert combo.currentIndex() == -1 and not button.isEnabled()
    view.show_prediction(sure)
    view.set_classes(["cat", "dog"])  # the chosen class stays chosen while it is there
    assert combo.currentText() == "cat" and button.isEnabled()
    view.set_classes(["dog"])
    assert combo.currentIndex() == -1 and not button.isEnabled()
    view.shutdown()
