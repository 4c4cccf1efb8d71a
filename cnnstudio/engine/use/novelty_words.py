"""The words of the "unlike the training pictures" hint and the rate behind them, stdlib only: the Predict page shows
them before PyTorch is imported (its model loads in a thread). The rule itself is :mod:`.novelty`."""

from __future__ import annotations

import math

FLAG_RATE = 0.05  # at most this share of pictures like the validation ones is flagged (why 5 %: novelty.py)
MIN_VALIDATION = math.ceil((1 - FLAG_RATE) / FLAG_RATE)  # 19: fewer cannot set a threshold at that rate

HINT = "This picture looks unlike the pictures the model learned from."
HINT_HOW = ("the picture is compared, the way the model sees it, with the pictures it learned from, and it is less "
            "like them than almost all of the validation pictures were. The model's answer for it may mean little: it "
            "can only name the classes it knows.")
HINT_TIP = "A hint, not a promise: " + HINT_HOW
NO_VALIDATION = (f"there is no hint about pictures unlike the training pictures: the run has fewer than "
                 f"{MIN_VALIDATION} validation pictures to measure it on")
NO_OUTPUT_LAYER = ("there is no hint about pictures unlike the training pictures: the model does not end in a fully "
                   "connected layer")
