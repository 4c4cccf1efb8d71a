"""`cnnstudio predict` and `cnnstudio export`, in-process: JSON on stdout, one-line errors, exit codes."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from cnnstudio.cli import main
from tests.cli.helpers import error_out, run
from tests.conftest import write_image
from tests.engine.test_predict import CLASSES, add_finished_run, make_bundle, write_pictures


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    return make_bundle(tmp_path_factory.mktemp("model") / "model.zip")


def test_predict_files_and_folders_json(bundle, tmp_path, capsys):
    files = write_pictures(tmp_path / "pics")
    single = write_image(tmp_path / "one.png", (1, 2, 3), size=(10, 10))
    out_csv = tmp_path / "p.csv"
    code, out, err = run(capsys, "predict", bundle, single, tmp_path / "pics", "--json", "--csv", out_csv)
    assert code == 0
    preds = out["predictions"]
    assert [p["path"] for p in preds][0] == str(single) and len(preds) == 1 + len(files)
    for p in preds:
        assert p["label"] in CLASSES and set(p["probabilities"]) == set(CLASSES)
        assert sum(p["probabilities"].values()) == pytest.approx(1.0, abs=1e-5)
        assert p["confidence"] == max(p["probabilities"].values())
    assert {Path(s["path"]).name for s in out["skipped"]} == {"broken.jpg", "notes.txt", "disguised.png"}
    assert all(s["reason"] for s in out["skipped"])
    assert out["csv"] == str(out_csv)
    with open(out_csv, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[0][:3] == ["path", "label", "confidence"] and len(rows) == 1 + len(preds) + len(out["skipped"])
    # --top K keeps the K most probable classes; plain text is one line per picture
    code, out, _ = run(capsys, "predict", bundle, single, "--json", "--top", "1")
    assert list(out["predictions"][0]["probabilities"]) == [out["predictions"][0]["label"]]
    code, text, _ = run(capsys, "predict", bundle, single, "--top", "2")
    assert code == 0 and text.startswith(f"{single}: ") and "%" in text
    # its shares rounded by the app's one rule (figures.percent: "> 99.9%", never "100.0%")
    from cnnstudio.engine.use.figures import percent

    code, out, _ = run(capsys, "predict", bundle, single, "--json", "--top", "2")
    (second, p2), = list(out["predictions"][0]["probabilities"].items())[1:]
    assert f"({percent(out['predictions'][0]['confidence'])}" in text and f"[{second} {percent(p2)}]" in text


def test_predict_says_which_answers_are_unsure(bundle, tmp_path, capsys):
    """The engine's one rule (QA predict 9) in the JSON, the CSV's last column and the printed lines."""
    from cnnstudio.engine.use.unsure import RULE_WORDS, is_unsure

    write_pictures(tmp_path / "pics")
    out_csv = tmp_path / "p.csv"
    code, out, _ = run(capsys, "predict", bundle, tmp_path / "pics", "--json", "--csv", out_csv)
    flags = {p["path"]: p["unsure"] for p in out["predictions"]}
    assert code == 0 and flags == {p["path"]: is_unsure(p["probabilities"]) for p in out["predictions"]}
    assert any(flags.values())  # an untrained model of three classes is unsure of something
    with open(out_csv, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0])[-3:] == ["error", "unsure", "unlike_training"]  # a bundle alone: no such hint, left empty
    assert all(r["unlike_training"] == "" for r in rows)
    assert {r["path"]: r["unsure"] for r in rows if not r["error"]} == {k: str(v).lower() for k, v in flags.items()}
    assert all(r["unsure"] == "" for r in rows if r["error"])
    code, text, _ = run(capsys, "predict", bundle, tmp_path / "pics")
    lines = text.splitlines()
    for path, unsure in flags.items():
        line = next(x for x in lines if x.startswith(f"{path}: "))
        assert ("%, unsure)" in line) == unsure, line
    assert lines[-1] == f"Unsure: {RULE_WORDS}; the picture may be unlike any the model learned from."


def test_predict_bad_input(bundle, tmp_path, capsys):
    pic = write_image(tmp_path / "a.png", size=(8, 8))
    code, out, err = run(capsys, "predict", tmp_path / "nope.zip", pic)
    assert code == 1 and error_out(out, err) and err.count("\n") == 1 and "does not exist" in err
    code, out, err = run(capsys, "predict", bundle, tmp_path / "missing.png")
    assert code == 1 and "missing.png does not exist" in err
    (tmp_path / "model.pth").write_bytes(b"\x80\x04junk")
    code, out, err = run(capsys, "predict", tmp_path / "model.pth", pic, "--json")
    assert code == 1 and error_out(out, err) and "pickle" in err and err.count("\n") == 1
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"\xff\xd8\xff garbage")
    code, out, err = run(capsys, "predict", bundle, bad, "--json")
    assert code == 1 and out["predictions"] == [] and out["skipped"][0]["path"] == str(bad)
    code, out, err = run(capsys, "predict", bundle, pic, "--top", "0")
    assert code == 2 and "--top" in err
    # --csv naming one of the pictures (or any file but a CSV) is refused before anything is predicted
    other = write_image(tmp_path / "b.png", size=(8, 8))
    before = pic.read_bytes()
    code, out, err = run(capsys, "predict", bundle, pic, other, "--csv", pic)
    assert code == 1 and error_out(out, err) and "a.png is already there and does not hold predictions CNN Studio wrote" in err
    assert pic.read_bytes() == before
    table = tmp_path / "my-table.csv"  # the user's own CSV: kept
    table.write_text("name,score\nx,1\n")
    code, out, err = run(capsys, "predict", bundle, pic, "--csv", table)
    assert code == 1 and table.read_text() == "name,score\nx,1\n"
    ours = tmp_path / "ours.csv"  # predictions written before: written again
    for _ in range(2):
        code, out, err = run(capsys, "predict", bundle, pic, "--csv", ours)
        assert code == 0 and ours.read_text(encoding="utf-8-sig").startswith("path,label,confidence,")


@pytest.mark.parametrize("fmt,name", [("bundle", "copy"), ("onnx", "m.onnx"), ("torchscript", "m.pt")])
def test_export_formats(bundle, tmp_path, capsys, fmt, name):
    if fmt == "onnx":
        pytest.importorskip("onnxruntime")
    out_path = tmp_path / name
    code, out, err = run(capsys, "export", bundle, "--format", fmt, "--out", out_path, "--json")
    assert code == 0, err
    assert out["path"] == str(out_path) and out["format"] == fmt and out_path.exists()
    if fmt != "bundle":
        assert out["max_abs_diff"] < 1e-4
    # the exported bundle predicts like the original
    if fmt == "bundle":
        pic = write_image(tmp_path / "a.png", size=(8, 8))
        _, a, _ = run(capsys, "predict", bundle, pic, "--json")
        _, b, _ = run(capsys, "predict", out_path, pic, "--json")
        assert a["predictions"][0]["probabilities"] == b["predictions"][0]["probabilities"]


@pytest.mark.parametrize("fmt,name,kind", [("onnx", "m.onnx", "an ONNX"), ("torchscript", "m.pt", "a TorchScript")])
def test_predict_with_an_exported_model_says_what_it_is(bundle, tmp_path, capsys, fmt, name, kind):
    if fmt == "onnx":
        pytest.importorskip("onnxruntime")
    model = tmp_path / name
    code, _, err = run(capsys, "export", bundle, "--format", fmt, "--out", model)
    assert code == 0, err
    pic = write_image(tmp_path / "a.png", size=(8, 8))
    code, out, err = run(capsys, "predict", model, pic, "--json")
    assert code == 1 and error_out(out, err)
    assert out["error"] == (f"{name} is {kind} file CNN Studio exported; predict needs a model bundle: export one "
                            "with 'cnnstudio export PROJECT --out model.zip', or pass the project folder")


def test_a_strangers_model_file_is_not_taken_for_an_export(tmp_path, capsys):
    import zipfile

    from cnnstudio.engine.use.export_paths import exported_kind, onnx_producer

    checkpoint = tmp_path / "their.pt"  # torch.save's layout: a zip holding a pickle, no cnnstudio.json
    with zipfile.ZipFile(checkpoint, "w") as zf:
        zf.writestr("their/data.pkl", b"\x80\x02}q\x00.")
        zf.writestr("their/extra/notes.json", b"{}")
    onnx = tmp_path / "their.onnx"  # ir_version 8, producer "pytorch"
    onnx.write_bytes(b"\x08\x08\x12\x07pytorch\x1a\x052.1.0")
    assert exported_kind(checkpoint) == exported_kind(onnx) == ""
    assert onnx_producer(b"\x08\x0a\x12\x09cnnstudio\x1a\x010") == "cnnstudio"
    assert onnx_producer(b"\x08\x0a\x12\x20cnn") == "" and onnx_producer(b"\xff\xff") == ""
    pic = write_image(tmp_path / "a.png", size=(8, 8))
    code, _, err = run(capsys, "predict", checkpoint, pic)
    assert code == 1 and "made with torch.save" in err and "exported" not in err
    code, _, err = run(capsys, "predict", onnx, pic)
    assert code == 1 and "is not a CNN Studio model" in err and "exported" not in err


def test_export_bad_input(bundle, tmp_path, capsys):
    code, out, err = run(capsys, "export", bundle, "--out", tmp_path / "m.weird", "--json")
    assert code == 1 and "--format" in err and error_out(out, err)
    with pytest.raises(SystemExit) as exc:  # argparse usage errors exit 2 from parse_args
        main(["export", str(bundle), "--format", "gif", "--out", str(tmp_path / "x")])
    assert exc.value.code == 2 and "invalid choice" in capsys.readouterr().err
    code, out, err = run(capsys, "export", tmp_path / "nothing", "--out", tmp_path / "x.onnx")
    assert code == 1 and "does not exist" in err
    code, out, err = run(capsys, "export", bundle, "--run", "r1", "--out", tmp_path / "x.zip")
    assert code == 1 and "not a CNN Studio project" in err
    report = tmp_path / "r.html"
    report.write_text("a report")
    code, out, err = run(capsys, "export", bundle, "--out", report, "--format", "bundle")
    assert code == 1 and "not a model bundle CNN Studio exported" in err and report.read_text() == "a report"


def test_project_folder_as_model(project, tmp_path, capsys):
    pic = write_image(tmp_path / "a.png", size=(8, 8))
    code, out, err = run(capsys, "predict", project.root, pic, "--json")
    assert code == 1 and error_out(out, err) and "no trained model yet" in err and err.count("\n") == 1
    add_finished_run(project, "r1", 0.5, ["one", "x"])
    add_finished_run(project, "r2", 0.8, ["two", "x"])
    code, out, _ = run(capsys, "predict", project.root, pic, "--json")
    assert code == 0 and set(out["predictions"][0]["probabilities"]) == {"two", "x"}
    code, out, _ = run(capsys, "predict", project.root, pic, "--run", "r1", "--json")
    assert set(out["predictions"][0]["probabilities"]) == {"one", "x"}
    code, out, err = run(capsys, "export", project.root, "--run", "r1", "--format", "bundle",
                         "--out", tmp_path / "r1.zip", "--json")
    assert code == 0 and out["source"].endswith(str(Path("runs") / "r1" / "model"))
    code, out, _ = run(capsys, "predict", tmp_path / "r1.zip", pic, "--json")
    assert set(out["predictions"][0]["probabilities"]) == {"one", "x"}


def test_a_device_or_pipe_is_never_read_as_a_model_or_settings(tmp_path, capsys):
    """`export --out /dev/zero` read the device for ever (killed at 24 GB); so did --settings /dev/zero."""
    import os

    bundle = make_bundle(tmp_path)
    fifo = tmp_path / "pipe.onnx"
    os.mkfifo(fifo)  # a pipe: opening it to read would wait for a writer for ever
    for out in (fifo, "/dev/null"):
        code, _, err = run(capsys, "export", bundle, "--out", out, "--format", "onnx")
        assert code == 1 and "is not an ordinary file" in err, err
    run(capsys, "new", tmp_path / "p")
    code, _, err = run(capsys, "train", tmp_path / "p", "--settings", fifo)
    assert code == 1 and err.strip().endswith(f"{fifo} is not an ordinary file"), err


@pytest.fixture(scope="module")
def digits(tmp_path_factory):
    """A project of sample digits and a run trained on it, with enough validation pictures for the hint."""
    from tests.engine.test_novelty import trained_digits

    return trained_digits(tmp_path_factory.mktemp("digits"))


def test_predict_with_a_project_says_which_pictures_look_unlike_the_training_ones(digits, tmp_path, capsys):
    from cnnstudio.engine.use.novelty import CACHE_NAME
    from cnnstudio.engine.use.novelty_words import HINT_HOW
    from tests.engine.test_novelty import noise_pictures

    root, run_id = digits
    digit = next((root / "images").rglob("*.png"))
    (tmp_path / "pics").mkdir()
    (tmp_path / "pics" / "digit.png").write_bytes(digit.read_bytes())
    noise_pictures(tmp_path / "pics", 2)
    out_csv = tmp_path / "p.csv"
    code, out, _ = run(capsys, "predict", root, tmp_path / "pics", "--json", "--csv", out_csv)
    assert code == 0 and (root / "runs" / run_id / CACHE_NAME).is_file()  # measured once, kept in the run's folder
    flags = {Path(p["path"]).name: p["unlike_training"] for p in out["predictions"]}
    assert flags["noise_0.png"] is True and flags["noise_1.png"] is True and flags["digit.png"] in (True, False)
    with open(out_csv, newline="", encoding="utf-8-sig") as f:
        rows = {Path(r["path"]).name: r["unlike_training"] for r in csv.DictReader(f)}
    assert rows == {k: str(v).lower() for k, v in flags.items()}
    code, text, _ = run(capsys, "predict", root, tmp_path / "pics")
    lines = text.splitlines()
    assert next(x for x in lines if x.startswith(str(tmp_path / "pics" / "noise_0.png"))).endswith(
        ", unlike the training pictures)")
    assert f"Unlike the training pictures (a hint, not a promise): {HINT_HOW}" in lines


def test_predict_with_a_run_without_enough_validation_pictures_says_there_is_no_hint(digits, tmp_path, capsys):
    import json
    import shutil

    from cnnstudio.engine.use.novelty_words import NO_VALIDATION
    from tests.engine.test_novelty import noise_pictures

    root, run_id = digits
    copy = tmp_path / "copy"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".cnnstudio-open"))
    dataset = copy / "runs" / run_id / "dataset.json"
    d = json.loads(dataset.read_text(encoding="utf-8"))
    for image in d["images"]:  # as a run trained on every picture (a search's final run) has it
        image["split"] = "train" if image["split"] == "val" else image["split"]
        image.pop("held_out", None)
    dataset.write_text(json.dumps(d), encoding="utf-8")
    noise = noise_pictures(tmp_path / "pics", 1)
    code, out, _ = run(capsys, "predict", copy, noise[0], "--json")
    assert code == 0 and out["predictions"][0]["unlike_training"] is None  # no hint, never a guess
    code, text, _ = run(capsys, "predict", copy, noise[0])
    assert text.splitlines()[-1] == NO_VALIDATION[0].upper() + NO_VALIDATION[1:] + "."
    assert ", unlike the training pictures" not in text


def test_predict_json_failures_carry_the_error_and_exit_code(bundle, tmp_path, capsys):
    """Nothing classified (every file skipped, or an empty folder): the JSON result says the error and the exit code,
    as every other command's failure does, and stderr says it once (QA CLI 4)."""
    fake = tmp_path / "broken.png"
    fake.write_text("not a picture")
    code, out, err = run(capsys, "predict", bundle, fake, "--json")
    assert code == 1 and out["predictions"] == [] and out["exit_code"] == 1
    assert out["error"] == f"no picture could be classified from {fake}: {out['skipped'][0]['reason']}"
    assert err.strip() == f"cnnstudio: error: {out['error']}"
    code, text, err2 = run(capsys, "predict", bundle, fake)  # its reason said once, in the error
    assert code == 1 and text == "" and err2 == err
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = run(capsys, "predict", bundle, empty, "--json")
    assert code == 1 and out == {"predictions": [], "skipped": [], "error": f"there are no pictures to classify in "
                                 f"{empty}", "exit_code": 1} and err.strip() == f"cnnstudio: error: {out['error']}"
    code, out, err = run(capsys, "predict", bundle, empty)  # without --json: that one sentence, nothing else
    assert code == 1 and out == "" and err == f"cnnstudio: error: there are no pictures to classify in {empty}\n"


def test_export_refuses_a_format_its_out_name_contradicts(bundle, tmp_path, capsys):
    """--format torchscript --out new.onnx would write a TorchScript zip named .onnx (QA CLI 3): one sentence,
    nothing written."""
    code, out, err = run(capsys, "export", bundle, "--format", "torchscript", "--out", tmp_path / "new.onnx", "--json")
    assert code == 1 and error_out(out, err) and not (tmp_path / "new.onnx").exists()
    assert out["error"] == "--out ends in .onnx but --format is torchscript: use a .pt name or --format onnx"
    code, _, err = run(capsys, "export", bundle, "--format", "onnx", "--out", tmp_path / "m.zip")
    assert code == 1 and "--out ends in .zip but --format is onnx: use a .onnx name or --format bundle" in err


def test_export_says_what_it_exported_in_words(bundle, tmp_path, capsys):
    """One sentence without the check's number (kept in --json): what was exported, as what, and that it was
    checked (QA CLI 15)."""
    code, text, err = run(capsys, "export", bundle, "--format", "torchscript", "--out", tmp_path / "m.pt")
    assert code == 0, err
    assert text == (f"Exported the model bundle {bundle.name} as a TorchScript file to {tmp_path / 'm.pt'}; it gives "
                    "the same answers as the model in CNN Studio (checked).\n")
    code, text, err = run(capsys, "export", bundle, "--out", tmp_path / "copy.zip")
    copy = tmp_path / "copy.zip"
    assert code == 0 and text == f"Exported the model bundle {bundle.name} as a model bundle to {copy}.\n"


def test_export_of_a_project_run_names_the_run(project, tmp_path, capsys):
    add_finished_run(project, "r1", 0.5, ["one", "x"])
    code, text, err = run(capsys, "export", project.root, "--run", "r1", "--out", tmp_path / "r1.zip")
    assert code == 0, err
    assert text.startswith("Exported run '") and f"' as a model bundle to {tmp_path / 'r1.zip'}." in text



def test_an_unknown_device_is_a_usage_error_as_in_evaluate(capsys):
    """predict and evaluate say a --device they do not know the same way: argparse's choices, exit 2 (QA: predict
    exited 1 with its own sentence, evaluate 2)."""
    for args in (["predict", "P", "x.png", "--device", "foo"], ["evaluate", "P", "--device", "foo"]):
        with pytest.raises(SystemExit) as exc:
            main(args)
        assert exc.value.code == 2 and "invalid choice: 'foo'" in capsys.readouterr().err


def test_predict_with_a_model_saved_for_other_classes_says_so_in_plain_words(tmp_path, capsys):
    """A bundle whose weights were saved for 3 classes but whose manifest lists 5 (QA transfer 11): one plain
    sentence with the two numbers, no layer names nor shapes."""
    import json
    import zipfile

    saved = make_bundle(tmp_path / "saved.zip", classes=("a", "b", "c"))
    with zipfile.ZipFile(saved) as zf:
        manifest, weights = json.loads(zf.read("manifest.json")), zf.read("model.safetensors")
    manifest["class_names"] = ["a", "b", "c", "d", "e"]
    stranger = tmp_path / "stranger.zip"
    with zipfile.ZipFile(stranger, "w") as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        zf.writestr("model.safetensors", weights)
    pic = write_image(tmp_path / "a.png", size=(8, 8))
    code, out, err = run(capsys, "predict", stranger, pic)
    assert code == 1 and out == ""
    assert err == ("cnnstudio: error: “stranger.zip” does not match its own design: it was saved for 3 classes but its "
                   "list of classes has 5, so it cannot be used\n")
