"""An export onto something CNN Studio did not write is a refusal, not a failure (QA predict #11): its own class,
ExportRefused (still an ExportError), with the command line's sentence as its message and the Export dialog's
"Not exported: …, so it was left as it is. Choose another name." as its ``sentence``."""

from __future__ import annotations

import os

import pytest

from cnnstudio.engine.use.export_paths import ExportError, ExportRefused, check_target


@pytest.mark.parametrize("fmt, name", [("bundle", "good3.png"), ("onnx", "good3.onnx"), ("torchscript", "good3.pt")])
def test_a_users_own_file_is_refused_in_one_sentence_each(tmp_path, fmt, name):
    mine = tmp_path / name
    mine.write_bytes(b"\x89PNG my picture")
    with pytest.raises(ExportRefused) as caught:
        check_target(fmt, mine)
    e = caught.value
    assert isinstance(e, ExportError)  # callers that catch ExportError still catch it
    assert str(e).startswith(f"{mine} is already there and is not ")  # the command line's words, unchanged
    assert e.sentence == (f"Not exported: {name} is not a model CNN Studio exported, so it was left as it is. "
                          "Choose another name.")
    assert mine.read_bytes() == b"\x89PNG my picture"


def test_folders_and_devices_are_refused_with_what_to_do(tmp_path):
    (tmp_path / "out.onnx").mkdir()
    with pytest.raises(ExportRefused) as caught:
        check_target("onnx", tmp_path / "out.onnx")
    assert caught.value.sentence == ("Not exported: out.onnx is a folder, so it was left as it is. Give a file name "
                                     "ending in .onnx.")
    busy = tmp_path / "bundle"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    with pytest.raises(ExportRefused) as caught:
        check_target("bundle", busy)
    assert caught.value.sentence == ("Not exported: bundle is a folder with other files in it, so it was left as it "
                                     "is. Choose a new or empty folder.")
    if os.path.exists("/dev/null"):
        with pytest.raises(ExportRefused) as caught:
            check_target("torchscript", "/dev/null")
        assert caught.value.sentence == ("Not exported: null is not an ordinary file, so it was left as it is. "
                                         "Choose another name.")


def test_a_new_name_or_an_empty_folder_is_no_refusal(tmp_path):
    assert check_target("bundle", tmp_path / "new.zip") == tmp_path / "new.zip"
    (tmp_path / "empty").mkdir()
    assert check_target("bundle", tmp_path / "empty") == tmp_path / "empty"
