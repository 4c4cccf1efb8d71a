"""A model whose manifest.json is damaged (cut short, edited by hand) is refused in one sentence that names the real
file — not the folder's bare name "model" — and says what to do, without the JSON parser's words."""

from __future__ import annotations

import json
import zipfile

import pytest

from cnnstudio.engine.use.bundle import DAMAGED_STEP, BundleError, load_bundle, save_bundle
from tests.engine.test_bundle import PP, builder, tiny


def _refusal(path) -> str:
    with pytest.raises(BundleError) as e:
        load_bundle(path, builder=builder)
    text = str(e.value)
    assert "Expecting" not in text and "JSON" not in text and "line 1" not in text and "\n" not in text
    return text


def test_a_run_models_damaged_manifest_names_the_file(tmp_path):
    model = save_bundle(tmp_path / "runs" / "20260101-000000-aaaa" / "model", tiny(2), {}, ["x", "y"], PP)
    manifest = model / "manifest.json"
    whole = manifest.read_text()
    manifest.write_text(whole[: len(whole) // 2])  # a copy cut short
    assert _refusal(model) == (f"{manifest} is damaged (it is not readable as a model's description), so the model "
                               f"cannot be used: {DAMAGED_STEP}")
    data = json.loads(whole)
    del data["class_names"]
    manifest.write_text(json.dumps(data))
    assert _refusal(model) == f"{manifest} is damaged (“class_names” is missing): {DAMAGED_STEP}"


def test_a_zipped_models_damaged_manifest_names_the_zip(tmp_path):
    model = save_bundle(tmp_path / "m", tiny(2), {}, ["x", "y"], PP)
    z = tmp_path / "cat-model.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("manifest.json", b"\xff\xfe not text")
        zf.write(model / "model.safetensors", "model.safetensors")
    assert _refusal(z).startswith(f"manifest.json in {z} is damaged (it is not readable as a model's description)")
