"""A model whose weights do not fit its own design (engine/use/bundle.py's BundleError): ``cnnstudio predict --model``,
``export`` and ``import-run`` say one plain sentence, and with ``--json`` the technical why (which weights, which
shapes) as the error object's ``"details"``; the CLI has no --verbose, so the text stays that one sentence."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.cli.helpers import run
from tests.engine.test_data import make_project
from tests.engine.test_jobs import job_settings, plain_spec

SENTENCE = "does not match its own design: it was saved for 2 classes but its list of classes has 3"
DETAILS = "Its weights do not fit the design its manifest describes: "


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A job trained for one epoch elsewhere: its run folder, whose model's manifest then lists 3 classes (its
    weights are for 2, its checksum still whole)."""

    tmp = tmp_path_factory.mktemp("bundle_details")
    make_project(tmp / "proj").close()
    config = tmp / "run-config.json"
    config.write_text(json.dumps({"settings": job_settings(epochs=1).to_json(), "spec": plain_spec().to_json()}))
    capsys = _Capture()
    code, packed, err = capsys.run("pack", tmp / "proj", "--run-config", config, "--out", tmp / "job.zip", "--json")
    assert code == 0, err
    code, out, err = capsys.run("train", tmp / "job.zip", "--device", "cpu", "--json", "--quiet")
    assert code == 0, err
    run_dir = tmp / "job" / "runs" / packed["run"]
    manifest_path = run_dir / "model" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["class_names"] = list(manifest["class_names"]) + ["extra"]
    manifest["num_classes"] = len(manifest["class_names"])
    manifest_path.write_text(json.dumps(manifest))
    picture = next((tmp / "proj" / "images").rglob("*.png"))
    return tmp, run_dir, picture


class _Capture:
    """The CLI run in-process for a module fixture (capsys is per test): stdout and stderr read from files."""

    def run(self, *argv):
        import contextlib
        import io

        from cnnstudio.cli import main

        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([str(a) for a in argv])
        text = out.getvalue().strip()
        return code, json.loads(text) if "--json" in argv and text else text, err.getvalue()


def _check(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == "" and SENTENCE in err and err.count("\n") == 1 and "weight" not in err.replace(
        "its weights", "")  # one sentence, no layer names
    code, out, err = run(capsys, *argv, "--json")
    assert code == 1 and SENTENCE in out["error"] and out["details"].startswith(DETAILS)
    assert "weight is (2, " in out["details"] and "the design needs (3, " in out["details"]
    assert set(out) == {"error", "exit_code", "details"} and err.count("\n") == 1


def test_predict_says_the_details_only_in_json(trained, capsys):
    tmp, run_dir, picture = trained
    _check(capsys, ["predict", run_dir / "model", picture])


def test_export_says_the_details_only_in_json(trained, capsys):
    tmp, run_dir, _ = trained
    _check(capsys, ["export", run_dir / "model", "--out", tmp / "out.pt"])


def test_import_run_says_the_details_only_in_json(trained, capsys):
    tmp, run_dir, _ = trained
    here = tmp / "here"
    if not here.exists():
        shutil.copytree(tmp / "proj", here)
    code, out, err = run(capsys, "import-run", here, run_dir)
    assert code == 1 and out == "" and "was not imported" in err and SENTENCE in err and err.count("\n") == 1
    code, out, err = run(capsys, "import-run", here, run_dir, "--json")
    assert code == 1 and SENTENCE in out["error"] and out["details"].startswith(DETAILS)
