"""Where pictures are scored when the user does not choose (engine/use/batching.py's scoring_device): a whole split
or a folder on the best device (the graphics card when there is one), one picture or a few on the CPU. On a
computer without a card every default resolves to the CPU; on one with a card the folder's is the card."""

from __future__ import annotations

import torch

from cnnstudio.cli import build_parser
from cnnstudio.engine.device import pick_device
from cnnstudio.engine.use.batching import CPU_PREDICT_BATCH, scoring_device
from cnnstudio.engine.use.bundle import load_bundle
from cnnstudio.engine.use.predict import Predictor, predict_folder
from tests.engine.test_predict import make_bundle, write_pictures


def test_many_pictures_go_to_the_best_device_and_a_few_stay_on_the_cpu():
    assert scoring_device() == "auto"  # a whole split, a folder: the number is not known before
    assert scoring_device(1) == scoring_device(CPU_PREDICT_BATCH) == "cpu"  # one CPU batch: no card to start up
    assert scoring_device(CPU_PREDICT_BATCH + 1) == "auto"
    best = pick_device(scoring_device())
    assert best.type == ("cuda" if torch.cuda.is_available() else best.type)
    if not torch.cuda.is_available() and best.type != "mps":
        assert best == torch.device("cpu")  # this computer: every default is the CPU


def test_a_predictor_defaults_to_one_pictures_device_and_a_folder_to_the_best(tmp_path):
    path = make_bundle(tmp_path / "model")
    assert Predictor(load_bundle(path)).device == torch.device("cpu")  # a dropped picture, the camera
    bundle = load_bundle(path)
    write_pictures(tmp_path / "pictures")
    result = predict_folder(bundle, tmp_path / "pictures")
    assert len(result.predictions) == 4
    # the folder's Predictor moved the bundle's model to where it scored the pictures
    assert next(bundle.model.parameters()).device.type == pick_device(scoring_device()).type


def test_the_commands_leave_the_device_to_the_rule_unless_told():
    parser = build_parser()
    assert parser.parse_args(["evaluate", "proj"]).device is None  # evaluate_run's default: a whole split's rule
    assert parser.parse_args(["predict", "model", "a.png"]).device is None  # by the number of pictures found
    assert parser.parse_args(["evaluate", "proj", "--device", "cpu"]).device == "cpu"
    assert parser.parse_args(["predict", "model", "a.png", "--device", "cpu"]).device == "cpu"
