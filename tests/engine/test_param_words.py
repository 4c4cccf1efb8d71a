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
