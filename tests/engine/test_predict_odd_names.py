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
    rows = out.read_text(encoding="utf-8-sig").splitlines()
    assert rows[1].startswith(f"{tmp_path}/caf\ufffd.jpg,sky,") and rows[2].startswith(f"{tmp_path}/caf\ufffd.jpg,,")
    assert json.dumps(result.to_json(), ensure_ascii=False).encode("utf-8")
    assert os.path.exists(pred.path)  # the prediction keeps the real path: the Predict page opens it


def test_the_csv_starts_with_a_byte_order_mark_so_excel_reads_accents_and_other_scripts(tmp_path):
    pred = Prediction(path=str(tmp_path / "café 猫.jpg"), label="猫", index=0, confidence=0.9,
                      probabilities={"猫": 0.9, "café": 0.1})
    out = write_csv(BatchResult([pred], []), ["猫", "café"], tmp_path / "predictions.csv")
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfpath,label,confidence,")  # Excel on Windows takes it for UTF-8
    assert "café 猫.jpg,猫,0.900000" in data.decode("utf-8-sig")
