"""Prediction's CSV and JSON for a file whose name is not valid UTF-8 (an old ZIP's Latin-1 name)."""

from __future__ import annotations

import json
import os

from cnnstudio.engine.use.predict import BatchResult, Prediction, write_csv


def test_a_latin1_name_is_written_to_the_csv_and_json_with_a_replacement_character(tmp_path):
    real = os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9.jpg")  # as a folder walk finds it (surrogate escapes)
    open(real, "wb").close()
    pred = Prediction(path=real, label="sky", index=0, confidence=0.9, probabilities={"sky": 0.9, "sea": 0.1})
    result = BatchResult([pred], [{"path": real, "reason": "empty file (0 bytes)"}])
    out = write_csv(result, ["sky", "sea"], tmp_path / "predictions.csv")
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows[1].startswith(f"{tmp_path}/caf\ufffd.jpg,sky,") and rows[2].startswith(f"{tmp_path}/caf\ufffd.jpg,,")
    assert json.dumps(result.to_json(), ensure_ascii=False).encode("utf-8")
    assert os.path.exists(pred.path)  # the prediction keeps the real path: the Predict page opens it
