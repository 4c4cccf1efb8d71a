"""A cache of an older version of CNN Studio is deleted when the current one is made (engine/data/cache.versioned)."""

from cnnstudio.engine.data.cache import CACHE_VERSION, TensorCache
from cnnstudio.engine.data.preprocess import Preprocess


def test_an_older_versions_tensor_cache_goes_and_other_settings_of_this_version_stay(tmp_path):
    pp = Preprocess(height=8, width=8, channels=1)
    tensors = tmp_path / "cache" / "tensors"
    old = tensors / f"v{CACHE_VERSION - 1}-{pp.decode_key()}"
    other = tensors / f"v{CACHE_VERSION}-another-setting"
    for folder in (old, other):
        folder.mkdir(parents=True)
        (folder / "pixels.u8").write_bytes(b"\0" * 64)
    (tensors / "notes.txt").write_text("not a cache folder")

    cache = TensorCache(tmp_path, pp)

    assert cache.dir == tensors / f"v{CACHE_VERSION}-{pp.decode_key()}"
    assert not old.exists()
    assert (other / "pixels.u8").exists() and (tensors / "notes.txt").exists()


def test_a_project_without_a_cache_yet_gets_its_folder_named(tmp_path):
    pp = Preprocess(height=8, width=8, channels=3)
    assert TensorCache(tmp_path, pp).dir.name == f"v{CACHE_VERSION}-{pp.decode_key()}"
