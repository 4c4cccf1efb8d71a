"""Model bundles: round trip, zip and folder, pickles refused, newer format and wrong weights rejected."""

from __future__ import annotations

import json
import pickle
import zipfile

import pytest
import torch
from torch import nn

from cnnstudio.engine.use.bundle import BundleError, load_bundle, read_manifest, save_bundle
from cnnstudio.engine.data.preprocess import Preprocess

PP = Preprocess(height=8, width=8, channels=1, normalization="dataset", mean=(0.2,), std=(0.3,))


def tiny(num_classes: int, hidden: int = 4) -> nn.Module:
    return nn.Sequential(nn.Conv2d(1, hidden, 3, padding=1), nn.BatchNorm2d(hidden), nn.ReLU(),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(hidden, num_classes))


def builder(spec_json: dict, num_classes: int):
    return spec_json, tiny(num_classes, spec_json.get("hidden", 4))


@pytest.mark.parametrize("name", ["model", "model.zip"])
def test_round_trip_identical_logits(tmp_path, name):
    torch.manual_seed(0)
    model = tiny(3)
    model.train()
    model(torch.randn(8, 1, 8, 8))  # move BatchNorm running stats away from defaults
    model.eval()
    x = torch.randn(5, 1, 8, 8)
    with torch.no_grad():
        want = model(x)
    path = save_bundle(tmp_path / name, model, {"hidden": 4}, ["a", "b", "c"], PP,
                       metrics={"val_accuracy": 0.5}, data_fingerprint="abc", extra={"run": "r1"})
    loaded = load_bundle(path, builder=builder)
    with torch.no_grad():
        got = loaded.model(x)
    assert torch.equal(got, want)
    assert not loaded.model.training
    assert loaded.class_names == ["a", "b", "c"] and loaded.preprocess == PP
    m = loaded.manifest
    assert m["format"] == "cnnstudio-model" and m["format_version"] == 1
    assert m["data_fingerprint"] == "abc" and m["metrics"]["val_accuracy"] == 0.5 and m["extra"]["run"] == "r1"
    assert set(m["versions"]) >= {"cnnstudio", "torch", "torchvision"} and m["created_at"]
    assert read_manifest(path)["class_names"] == ["a", "b", "c"]
    # saving again over an existing bundle replaces it
    save_bundle(tmp_path / name, model, {"hidden": 4}, ["a", "b", "c"], PP)
    assert load_bundle(tmp_path / name, builder=builder).manifest["metrics"] == {}


def test_channels_last_model_saves(tmp_path):
    model = tiny(2).to(memory_format=torch.channels_last)
    save_bundle(tmp_path / "m", model, {}, ["x", "y"], PP)
    assert load_bundle(tmp_path / "m", builder=builder).num_classes == 2


class Evil:
    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


@pytest.mark.parametrize("fname,how", [("evil.pt", "torch"), ("evil.pth", "pickle"), ("evil.ckpt", "torch"),
                                       ("evil.zip", "torch"), ("evil.model", "pickle"), ("evil.pkl", "pickle")])
def test_pickle_refused_and_never_run(tmp_path, fname, how):
    marker = tmp_path / "PWNED"
    path = tmp_path / fname
    if how == "torch":
        torch.save({"state_dict": Evil(marker)}, path)
    else:
        path.write_bytes(pickle.dumps(Evil(marker)))
    assert not marker.exists()
    with pytest.raises(BundleError, match="(pickle|not opened)"):
        load_bundle(path, builder=builder)
    assert not marker.exists()


def test_folder_with_pickle_only_refused(tmp_path):
    marker = tmp_path / "PWNED"
    (tmp_path / "m").mkdir()
    torch.save(Evil(marker), tmp_path / "m" / "model.pth")
    with pytest.raises(BundleError, match="pickle"):
        load_bundle(tmp_path / "m", builder=builder)
    assert not marker.exists()


def test_newer_format_and_damage_rejected(tmp_path):
    path = save_bundle(tmp_path / "m", tiny(2), {}, ["x", "y"], PP)
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["format_version"] = 99
    (path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(BundleError, match="newer CNN Studio"):
        load_bundle(path, builder=builder)
    manifest["format_version"] = 1
    (path / "manifest.json").write_text(json.dumps(manifest))
    w = bytearray((path / "model.safetensors").read_bytes())
    w[-1] ^= 0xFF
    (path / "model.safetensors").write_bytes(bytes(w))
    with pytest.raises(BundleError, match="damaged"):
        load_bundle(path, builder=builder)
    with pytest.raises(BundleError, match="not a CNN Studio model"):
        (tmp_path / "notes.txt").write_text("hello")
        load_bundle(tmp_path / "notes.txt", builder=builder)
    z = tmp_path / "other.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("readme.txt", "hi")
    with pytest.raises(BundleError, match="not a CNN Studio model"):
        load_bundle(z, builder=builder)


def test_weights_not_matching_spec(tmp_path):
    """Weights of another design: one plain sentence, the technical words kept as the error's details."""
    path = save_bundle(tmp_path / "m.zip", tiny(2, hidden=4), {"hidden": 4}, ["x", "y"], PP)
    general = "“m.zip” does not match its own design: its weights belong to another design than the one it describes"
    with pytest.raises(BundleError) as e:
        load_bundle(path, builder=lambda s, n: (s, tiny(n, hidden=5)))
    assert str(e.value).startswith(general) and "weight" not in str(e.value).replace("its weights", "")
    assert "wrong shape" in e.value.details and "(4, 1, 3, 3), the design needs (5, 1, 3, 3)" in e.value.details
    with pytest.raises(BundleError, match=general) as e:
        load_bundle(path, builder=lambda s, n: (s, nn.Sequential(tiny(n), nn.Linear(n, n))))
    assert "missing" in e.value.details
    with pytest.raises(BundleError, match=general) as e:
        load_bundle(path, builder=lambda s, n: (s, nn.Sequential(nn.Conv2d(1, 4, 3))))
    assert "unexpected" in e.value.details


def _relisted(path, classes: list[str]):
    """The zip bundle at ``path`` written again with another list of classes in its manifest: its weights kept."""
    with zipfile.ZipFile(path) as zf:
        manifest, weights = json.loads(zf.read("manifest.json")), zf.read("model.safetensors")
    manifest["class_names"], manifest["num_classes"] = classes, len(classes)
    out = path.with_name("relisted.zip")
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        zf.writestr("model.safetensors", weights)
    return out


def test_a_bundle_saved_for_other_classes_says_so_in_plain_words(tmp_path):
    """QA transfer 11: a model saved for 3 classes whose manifest lists 5 says the two numbers, no layer names."""
    path = _relisted(save_bundle(tmp_path / "m.zip", tiny(3), {"hidden": 4}, ["a", "b", "c"], PP),
                     ["a", "b", "c", "d", "e"])
    with pytest.raises(BundleError) as e:
        load_bundle(path, builder=builder)
    assert str(e.value) == ("“relisted.zip” does not match its own design: it was saved for 3 classes but its list of "
                            "classes has 5, so it cannot be used")
    assert "5.weight is (3, 4), the design needs (5, 4)" in e.value.details
    one = _relisted(save_bundle(tmp_path / "m.zip", tiny(1), {"hidden": 4}, ["a"], PP), ["a", "b"])
    with pytest.raises(BundleError, match="it was saved for 1 class but its list of classes has 2"):
        load_bundle(one, builder=builder)
