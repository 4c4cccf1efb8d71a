"""Export in a child process (engine/runs/export_child.py): the same file as in-process, Cancel ends it at once and
leaves nothing, a failure is its sentence."""

from __future__ import annotations

import threading

import pytest

from cnnstudio.engine.errors import Cancelled
from cnnstudio.engine.runs.export_child import ExportFailed, export_in_child
from tests.engine.test_predict import make_bundle

pytest.importorskip("onnxruntime")


@pytest.fixture(scope="module")
def bundle_path(tmp_path_factory):
    return make_bundle(tmp_path_factory.mktemp("model") / "model")


def test_an_export_in_a_child_writes_the_file_and_says_each_step(bundle_path, tmp_path):
    steps = []
    out = tmp_path / "model.onnx"
    result = export_in_child(bundle_path, "onnx", out, progress=lambda d, t, m: steps.append((d, t, m)))
    assert result.path == out and out.is_file() and result.format == "onnx"
    assert result.max_abs_diff is not None and result.max_abs_diff < 1e-3  # checked in onnxruntime, in the child
    assert steps[0][0] == 0 and steps[-1][0] == steps[-1][1]  # from the first step to the last
    assert [p.name for p in tmp_path.iterdir()] == ["model.onnx"]  # nothing else left beside it


def test_cancel_ends_the_export_and_leaves_nothing(bundle_path, tmp_path):
    cancel = threading.Event()
    out = tmp_path / "model.onnx"

    def progress(done, total, message):
        if done == 1:  # converting: the long call into PyTorch's exporter
            cancel.set()

    with pytest.raises(Cancelled) as e:
        export_in_child(bundle_path, "onnx", out, progress=progress, cancel=cancel)
    assert "cancelled" in str(e.value) and "nothing was written" in str(e.value)
    assert list(tmp_path.iterdir()) == []  # no output, no temporary file


def test_a_failed_export_is_its_sentence(bundle_path, tmp_path):
    (tmp_path / "mine.onnx").write_bytes(b"a file of the user's")  # never replaced: not an export of CNN Studio's
    with pytest.raises(ExportFailed) as e:
        export_in_child(bundle_path, "onnx", tmp_path / "mine.onnx")
    assert "Traceback" not in str(e.value) and "mine.onnx" in str(e.value)
    assert (tmp_path / "mine.onnx").read_bytes() == b"a file of the user's"
