"""Why Start is off, and which page fixes it (ui/train/start_blocker.py: Qt-free)."""

from __future__ import annotations

import subprocess
import sys

from cnnstudio.ui.train.start_blocker import start_blocker

TWO_CLASSES = {1: {"train": 5, "val": 2}, 2: {"train": 5, None: 1}}


def test_an_empty_project_says_import_pictures_not_fix_the_model():
    b = start_blocker({}, data_error="training needs at least two classes", design_error="number of classes must "
                      "be a whole number of at least 1, not 0")
    assert b.step == "data" and b.button == "Go to the Data page"
    assert "Import and label pictures first" in b.text and "Model" not in b.text and "classes must" not in b.text


def test_unlabelled_and_one_class_point_at_the_data_page():
    b = start_blocker({None: {None: 12}}, design_error="0 classes")
    assert (b.step, "12 pictures" in b.text, "Label" in b.text) == ("data", True, True)
    b = start_blocker({None: {None: 3}, 1: {"train": 4}}, design_error="1 class")
    assert b.step == "data" and "second class" in b.text


def test_data_then_design_then_busy_each_with_its_page():
    b = start_blocker(TWO_CLASSES, data_error="class 'b' has no images in the training split: add some or re-split",
                      design_error="layer 3 does not fit")
    assert b.step == "data" and b.text.startswith("Class 'b' has no images") and b.text.endswith("Data page.")
    b = start_blocker(TWO_CLASSES, design_error="layer 3 does not fit")
    assert b.step == "model" and b.button == "Go to the Model page" and "layer 3 does not fit." in b.text
    b = start_blocker(TWO_CLASSES, busy="A search for better settings is running on the Tune page: stop it there "
                      "first.")
    assert b.step == "tune" and b.button == "Go to the Tune page"
    assert start_blocker(TWO_CLASSES) is None


def test_missing_pretrained_weights_point_at_the_model_page_after_the_data_and_the_design(tmp_path, monkeypatch):
    from cnnstudio.ui.train.start_blocker import missing_weights

    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch_home"))  # an empty cache: ResNet-18's weights are not here
    sentence = missing_weights({"name": "resnet18", "pretrained": True, "freeze": True})
    assert sentence.startswith("The pretrained ResNet-18 weights") and "set pretrained" not in sentence
    assert missing_weights({"name": "resnet18", "pretrained": False}) == missing_weights(None) == ""
    assert missing_weights({"name": "no_such_backbone"}) == ""  # the design's own check says so
    b = start_blocker(TWO_CLASSES, weights=sentence)
    assert b.step == "model" and b.button == "Go to the Model page"
    # two sentences: the file's name and address are the Model page's (7 lines at 1,024 px crushed the plots)
    assert b.text == ("The pretrained ResNet-18 weights are not on this computer. Choose the file, or untick "
                      "“Pretrained”, on the Model page, which says where to get it.")
    assert start_blocker(TWO_CLASSES, design_error="layer 3 does not fit", weights=sentence).text.startswith(
        "The network design cannot be used")
    assert start_blocker({}, weights=sentence).step == "data"
    # the design's problem is said once, in the sentence (it read "cannot be used: The model design has a problem: …")
    assert start_blocker(TWO_CLASSES, design_error="Layer 3 does not fit.").text == (
        "The network design cannot be used: layer 3 does not fit. Fix it on the Model page.")


def test_loads_without_qt():
    code = "import sys; import cnnstudio.ui.train.start_blocker; assert 'PySide6' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
