"""The words of "where the model looked", shared by the Predict page's picture (prediction_view.py) and the Camera
tab (camera/live_predict.py), Qt-free: plain words on screen, the method's technical name (Grad-CAM, or input
gradients where a model has no usable convolution map) only in a tooltip, for those who want to look it up."""

from __future__ import annotations

from ...project.glossary import tip

SHOW_LOOKED = "Show where the model looked"  # the checkbox, on both
LIVE_LOOKED = f"{SHOW_LOOKED} (about once a second)"  # the Camera tab's: a map takes a moment to make
LOOKED_TIP = ("Colours the parts of the picture that weighed most for the model's answer, on the picture as the "
              "model sees it (resized). Made with Grad-CAM.\n" + tip("Grad-CAM"))
FINDING = "Finding where the model looked…"
WAITING = "Where the model looked is shown once the predictions are done…"


def looked_note(label: str) -> str:
    """The sentence under a picture with its map: what the bright parts are (``label``: the model's answer)."""
    return f"Bright: what counted most for “{label}”, on the picture as the model sees it."


def method_tip(method: str) -> str:
    """How the map was made, for the note's tooltip (``method``: the saliency's, "grad-cam" or another)."""
    if method == "grad-cam":
        return "Made with Grad-CAM.\n" + tip("Grad-CAM")
    return ("Made from input gradients (how much each pixel changes the answer): this model has no usable "
            "convolution map for Grad-CAM.")


__all__ = ["FINDING", "LIVE_LOOKED", "LOOKED_TIP", "SHOW_LOOKED", "WAITING", "looked_note", "method_tip"]
