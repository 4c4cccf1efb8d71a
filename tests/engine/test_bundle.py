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


ZEROS = 48 << 20  # a small real zip bomb: 48 MB of zeros deflate to about 50 KB


def _zeros_into(zf: zipfile.ZipFile, name: str, size: int = ZEROS) -> None:
    """A member of ``size`` zero bytes, written a megabyte at a time (the test never holds it whole)."""
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with zf.open(info, "w", force_zip64=True) as f:
        for _ in range(size >> 20):
            f.write(bytes(1 << 20))


def _bomb(tmp_path, name: str, manifest: dict | None = None, member: str = "model.safetensors"):
    """A zip bundle whose ``member`` is a zip bomb, the other file being a real bundle's."""
    real = save_bundle(tmp_path / "real.zip", tiny(2), {"hidden": 4}, ["x", "y"], PP)
    with zipfile.ZipFile(real) as zf:
        files = {"manifest.json": zf.read("manifest.json"), "model.safetensors": zf.read("model.safetensors")}
    if manifest is not None:
        files["manifest.json"] = json.dumps(manifest).encode()
    out = tmp_path / name
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for n, data in files.items():
            if n == member:
                _zeros_into(zf, n)
            else:
                zf.writestr(n, data)
    assert out.stat().st_size < 2 << 20
    return out, json.loads(files["manifest.json"])


def _refused_reading_little(read) -> BundleError:
    """The BundleError ``read()`` raises, once it is known that it held at most a few megabytes meanwhile (the
    bombs here unpack to 48 MB)."""
    import tracemalloc

    tracemalloc.start()
    try:
        with pytest.raises(BundleError) as e:
            read()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20, f"{peak / 2**20:.0f} MB held while refusing"
    return e.value


def test_a_zip_bomb_bundle_is_refused_from_its_sizes_before_it_is_unpacked(tmp_path):
    """QA transfer 4: weights that unpack to more than the manifest declares are not the ones it describes: refused
    as damaged in one sentence, from the zip's directory, never unpacked (load_bundle and read_manifest alike)."""
    path, manifest = _bomb(tmp_path, "bomb.zip")
    for read in (lambda: load_bundle(path, builder=builder), lambda: read_manifest(path)):
        e = _refused_reading_little(read)
        assert str(e) == "bomb.zip is damaged: it was changed or only partly copied" and e.why
    # a manifest that declares nothing (or too much) meets the cap of any CNN Studio model: here a lower one
    from cnnstudio.engine.use.bundle import read_bundle_files

    del manifest["weights"]
    path, _ = _bomb(tmp_path, "silent.zip", manifest)
    e = _refused_reading_little(lambda: read_bundle_files(path, weights_cap=10 << 20))
    assert str(e) == ("silent.zip is damaged: its model.safetensors would unpack to 48 MB, more than the 10 MB a CNN "
                      "Studio model can hold")
    manifest["weights"] = {"bytes": 1 << 40}
    path, _ = _bomb(tmp_path, "boastful.zip", manifest)
    e = _refused_reading_little(lambda: read_bundle_files(path, weights_cap=10 << 20))
    assert str(e).endswith("more than the 10 MB a CNN Studio model can hold")
    # the manifest itself a bomb
    path, _ = _bomb(tmp_path, "talkative.zip", member="manifest.json")
    e = _refused_reading_little(lambda: load_bundle(path, builder=builder))
    assert str(e) == ("talkative.zip is damaged: its manifest.json would unpack to 48 MB, more than the 16 MB a "
                      "model's manifest can hold")


def test_a_folder_bundle_with_weights_larger_than_declared_is_refused_before_reading(tmp_path):
    path = save_bundle(tmp_path / "m", tiny(2), {"hidden": 4}, ["x", "y"], PP)
    with open(path / "model.safetensors", "r+b") as f:
        f.truncate(ZEROS)  # sparse: no disk spent
    e = _refused_reading_little(lambda: load_bundle(path, builder=builder))
    assert str(e) == "m is damaged: it was changed or only partly copied"


def test_reading_counts_what_comes_out_whatever_the_directory_says(tmp_path):
    """The shared rule (project/zip_reading.py): a member whose directory lies, or a file that grows, is read at most
    to its limit."""
    import io

    from cnnstudio.project.zip_reading import TooLarge, copy_limited

    with pytest.raises(TooLarge) as e:
        copy_limited(io.BytesIO(bytes(5000)), None, 4096, "x.bin")
    assert e.value.size is None and e.value.limit == 4096
    assert copy_limited(io.BytesIO(bytes(4096)), None, 4096, "x.bin") == bytes(4096)
