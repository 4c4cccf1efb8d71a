"""The Model page's words for an edit of the backbone row, as the undo history says them (engine/model/param_words):
the backbone's name as people know it and what was done, never a raw key."""

from __future__ import annotations

from cnnstudio.engine.model.param_words import backbone_change_words


def _bb(name="mobilenet_v2", pretrained=True, freeze=True) -> dict:
    return {"name": name, "pretrained": pretrained, "freeze": freeze}


def test_choosing_switching_off_and_changing_a_backbone_are_named_by_its_title():
    assert backbone_change_words(None, _bb()) == "Use the MobileNetV2 backbone"
    assert backbone_change_words(_bb(), _bb("resnet18")) == "Use the ResNet-18 backbone"
    assert backbone_change_words(_bb("resnet18"), None) == "Remove the ResNet-18 backbone"
    assert backbone_change_words(None, _bb("not_a_backbone")) == "Use the not_a_backbone backbone"  # a file's name


def test_the_switches_are_named_for_what_the_user_did():
    assert backbone_change_words(_bb(), _bb(freeze=False)) == "Let the backbone learn"
    assert backbone_change_words(_bb(freeze=False), _bb()) == "Freeze the backbone"
    # unticking Pretrained unticks Frozen too: the step is the one the user took
    assert backbone_change_words(_bb(), _bb(pretrained=False, freeze=False)) == "Train the backbone from scratch"
    assert backbone_change_words(_bb(pretrained=False, freeze=False),
                                 _bb(freeze=False)) == "Start the backbone from pretrained weights"


def test_shapes_are_written_with_thousands_separators():
    """QA: "→ 3136 numbers" on the Flatten card, where the summary said "3,136 numbers"."""
    from cnnstudio.engine.model.param_words import shape_words

    assert shape_words((3136,)) == "3,136 numbers" and shape_words((1,)) == "1 number"
    assert shape_words((1280,)) == "1,280 numbers" and shape_words((10,)) == "10 numbers"
    assert shape_words((1024, 7, 7)) == "1,024 × 7 × 7" and shape_words((32, 28, 28)) == "32 × 28 × 28"
    assert shape_words(None) == "?"


def test_layers_a_backbone_put_aside_are_said_with_how_to_get_them_back():
    from cnnstudio.engine.model.param_words import layers_put_aside_words

    assert layers_put_aside_words(9, "Ctrl+Z") == "Your 9 layers come back when you set Backbone to None or press Ctrl+Z."
    assert layers_put_aside_words(1) == "Your layer comes back when you set Backbone to None."
