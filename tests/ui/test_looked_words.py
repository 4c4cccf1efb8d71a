"""The words of "where the model looked" (ui/predict/looked_words.py): plain on screen, the method's name only in a
tooltip, the same on the Predict page and the Camera tab."""

from __future__ import annotations

from cnnstudio.project.glossary import explain
from cnnstudio.ui.predict.looked_words import (FINDING, LIVE_LOOKED, LOOKED_TIP, SHOW_LOOKED, WAITING, looked_note,
                                               method_tip)


def test_the_screen_says_where_the_model_looked_and_only_tooltips_name_the_method():
    for words in (SHOW_LOOKED, LIVE_LOOKED, FINDING, WAITING, looked_note("cat")):
        assert "Grad-CAM" not in words and "gradient" not in words.lower()
    assert LIVE_LOOKED.startswith(SHOW_LOOKED)  # the Camera tab's checkbox: the Predict page's words, and how often
    assert "Made with Grad-CAM" in LOOKED_TIP and explain("Grad-CAM") in LOOKED_TIP
    assert looked_note("cat") == "Bright: what counted most for “cat”, on the picture as the model sees it."
    assert method_tip("grad-cam").startswith("Made with Grad-CAM.") and explain("Grad-CAM") in method_tip("grad-cam")
    assert method_tip("input-gradient").startswith("Made from input gradients")
