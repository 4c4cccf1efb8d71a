"""The words of the "unlike the training pictures" hint and the rate behind them, stdlib only: the Predict page shows
them before PyTorch is imported (its model loads in a thread). The rule itself is :mod:`.novelty`."""

from __future__ import annotations

import math

FLAG_RATE = 0.05  # at most this share of pictures like the validation ones is flagged (why 5 %: novelty.py)
MIN_VALIDATION = math.ceil((1 - FLAG_RATE) / FLAG_RATE)  # 19: fewer cannot set a threshold at that rate

#: the hint's one name, said whole wherever there is room (cnnstudio predict's lines, the Predict page's headline, the
#: glossary's entry, project/glossary.py) and short where there is not (a picture list row, the Folder tab's column)
UNLIKE_LONG = "unlike the training pictures"
UNLIKE_SHORT = "unlike training"
HINT = f"This picture looks {UNLIKE_LONG}."
HINT_HOW = ("the picture is compared, the way the model sees it, with the pictures it learned from, and it is less "
            "like them than almost all of the validation pictures were. The model's answer for it may mean little: it "
            "can only name the classes it knows.")
HINT_TIP = "A hint, not a promise: " + HINT_HOW
NO_HINT = f"there is no hint about pictures {UNLIKE_LONG}"  # the start of every "no hint" sentence, CLI and page
NO_VALIDATION = (f"{NO_HINT}: the run has fewer than "
                 f"{MIN_VALIDATION} validation pictures to measure it on")
NO_OUTPUT_LAYER = (f"{NO_HINT}: the model does not end in a fully "
                   "connected layer")
NO_PICTURES_HERE = f"{NO_HINT}: a model file does not bring the pictures it learned from"  # the Predict page's file
NOT_MEASURED = f"{NO_HINT}: it could not be measured on the run's pictures"  # a damaged dataset.json, a full disk
