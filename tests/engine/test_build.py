"""build_model: checked first, counts equal the real module, logits out, channels_last, frozen backbones."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from cnnstudio.engine.model.build import Network, build_model
from cnnstudio.engine.model.catalog import CATALOG, default_params, layer
from cnnstudio.engine.errors import SpecError
from cnnstudio.engine.model.spec import BackboneSpec, ModelSpec
from cnnstudio.engine.model.validate import validate


def n_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def one_layer_spec(type_: str) -> ModelSpec:
    """The smallest design that puts ``type_`` to work on a 6x6 colour picture."""
    lt = CATALOG[type_]
    first = [layer("flatten")] if lt.accepts == "vector" else []
    return ModelSpec.create(6, 6, 3, first + [{"type": type_, "params": default_params(type_)}])


@pytest.mark.parametrize("type_", list(CATALOG))
def test_every_catalog_entry_builds_with_the_reported_parameter_count(type_):
    torch.manual_seed(0)
    spec = one_layer_spec(type_)
    report = validate(spec, 3)
    assert report.ok, report.errors
    model = build_model(spec, 3)
    assert n_params(model) == report.total_params == report.trainable_params
    y = model(torch.randn(4, 3, 6, 6))
    assert y.shape == (4, 3) and y.dtype == torch.float32


def test_forward_maps_pictures_to_logits_and_keeps_its_design():
    spec = ModelSpec.create(12, 10, 3, [layer("conv2d", out_channels=4), layer("batch_norm2d"), layer("relu"),
                                        layer("max_pool2d"), layer("linear", out_features=6), layer("gelu")])
    model = build_model(spec, 5)
    assert isinstance(model, Network) and model.spec == spec and model.num_classes == 5
    assert isinstance(model.layers[4], nn.Flatten)  # inserted before the fully connected layer
    assert isinstance(model.layers[-1], nn.Linear) and model.layers[-1].out_features == 5
    assert model(torch.rand(2, 3, 12, 10)).shape == (2, 5)
    assert n_params(model) == validate(spec, 5).total_params


def test_channels_last_gives_the_same_logits():
    torch.manual_seed(1)
    spec = ModelSpec.create(9, 9, 3, [layer("conv2d", out_channels=4), layer("batch_norm2d"), layer("relu"),
                                      layer("residual_block", out_channels=8, stride=2), layer("avg_pool2d"),
                                      layer("flatten"), layer("dropout")])
    model = build_model(spec, 4).eval()
    x = torch.randn(3, 3, 9, 9)
    with torch.no_grad():
        y = model(x)
        model_cl = model.to(memory_format=torch.channels_last)
        y_cl = model_cl(x.contiguous(memory_format=torch.channels_last))
    torch.testing.assert_close(y_cl, y, rtol=1e-4, atol=1e-5)


def test_bad_designs_never_reach_pytorch():
    spec = ModelSpec.create(4, 4, 1, [{"type": "conv3d", "params": {}}, layer("max_pool2d"), layer("max_pool2d"),
                                      layer("max_pool2d")])
    with pytest.raises(SpecError) as e:
        build_model(spec, 0)
    assert str(e.value) == ("layer 1: there is no layer called 'conv3d'; did you mean 'conv2d'?; the number of classes "
                            "must be a whole number of at least 1, not 0: add classes to the project")
    shrink = ModelSpec.create(4, 4, 1, [layer("max_pool2d"), layer("max_pool2d"), layer("max_pool2d")])
    with pytest.raises(SpecError, match="layer 3, max-pool 2x2, would shrink the 1 × 1 × 1 feature map to nothing"):
        build_model(shrink, 2)


def test_a_given_report_is_reused_only_for_the_same_design():
    spec = ModelSpec.create(4, 4, 1, [layer("relu")])
    report = validate(spec, 2)
    assert build_model(spec, 2, report=report)(torch.rand(1, 1, 4, 4)).shape == (1, 2)
    assert build_model(spec, 3, report=report)(torch.rand(1, 1, 4, 4)).shape == (1, 3)


def test_backbone_from_scratch_with_grey_input_and_a_head():
    torch.manual_seed(0)
    spec = ModelSpec.create(32, 32, 1, [layer("linear", out_features=16), layer("relu")],
                            backbone={"name": "resnet18", "pretrained": False, "freeze": False})
    report = validate(spec, 3)
    assert report.ok, report.errors
    model = build_model(spec, 3)
    assert n_params(model) == report.total_params == report.trainable_params
    assert model.backbone.conv1.in_channels == 1
    assert model(torch.rand(2, 1, 32, 32)).shape == (2, 3)


def test_frozen_backbone_trains_only_the_head_and_keeps_its_statistics(tmp_path):
    torch.manual_seed(0)
    weights = tmp_path / "my_mobilenet.pth"  # a file the user chose: not torchvision's, but it fits
    import torchvision

    torch.save(torchvision.models.mobilenet_v2(weights=None).state_dict(), weights)
    spec = ModelSpec.create(32, 32, 3, [], backbone={"name": "mobilenet_v2", "pretrained": True, "freeze": True,
                                                     "weights_file": str(weights)})
    report = validate(spec, 2)
    model = build_model(spec, 2)
    assert n_params(model) == report.total_params
    assert sum(p.numel() for p in model.trainable_parameters()) == report.trainable_params == 1280 * 2 + 2
    model.train()
    assert not model.backbone.training and model.layers.training
    bn = model.backbone.features[1].conv[0][1]
    before = bn.running_mean.clone()
    model(torch.rand(2, 3, 32, 32)).sum().backward()
    torch.testing.assert_close(bn.running_mean, before)
    assert all(p.grad is None for p in model.backbone.parameters())
    # a trained model's bundle does not need the ImageNet weights again
    again = build_model(ModelSpec.from_json({**spec.to_json(), "backbone": {**spec.backbone.to_json(),
                                                                           "weights_file": str(tmp_path / "gone.pth")}}),
                        2, load_pretrained=False)
    assert n_params(again) == report.total_params


def test_backbone_spec_defaults():
    assert BackboneSpec("mobilenet_v2") == BackboneSpec("mobilenet_v2", pretrained=True, freeze=True, weights_file=None)


@pytest.mark.parametrize("act", [layer("relu"), layer("leaky_relu", negative_slope=0.2), layer("tanh"),
                                 layer("sigmoid")])
def test_an_activation_before_max_pool_runs_after_it_with_identical_values_and_gradients(act):
    torch.manual_seed(3)
    spec = ModelSpec.create(11, 11, 3, [layer("conv2d", out_channels=4), act,
                                        layer("max_pool2d", kernel_size=3, stride=2, padding=1),
                                        layer("max_pool2d"), layer("conv2d", out_channels=3), layer("gelu"),
                                        layer("max_pool2d")])
    model = build_model(spec, 3)
    assert model.order[:4] == [0, 2, 3, 1]  # the activation moved past both max-pools
    assert model.order[4:7] == [4, 5, 6]  # GELU is not monotonic: never moved
    design = nn.Sequential(*model.layers)  # the same modules, in design order
    x = torch.randn(5, 3, 11, 11)
    x[0, :, :4, :4] = -3.0  # windows where every value is negative: ties among ReLU's zeros
    y = torch.randint(0, 3, (5,))
    torch.nn.functional.cross_entropy(model(x), y).backward()
    grads = [p.grad.clone() for p in model.parameters()]
    model.zero_grad()
    torch.nn.functional.cross_entropy(design(x), y).backward()
    with torch.no_grad():
        assert torch.equal(model(x), design(x))
    for g, p in zip(grads, model.parameters()):
        assert torch.allclose(g, p.grad, atol=1e-6, rtol=0), "gradients differ"
    assert [k.removeprefix("layers.") for k in model.state_dict()] == list(design.state_dict())  # names unchanged


def test_gelu_silu_and_average_pooling_keep_the_design_order():
    spec = ModelSpec.create(8, 8, 1, [layer("conv2d"), layer("silu"), layer("max_pool2d"), layer("relu"),
                                      layer("avg_pool2d"), layer("relu"), layer("dropout"), layer("max_pool2d")])
    assert build_model(spec, 2).order == list(range(len(validate(spec, 2).plan)))
