"""The run report as a user sees it: one self-contained HTML file with every section, rendered by headless
Chromium into a picture that is not blank; and `cnnstudio report` / `cnnstudio advise` on the same run."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from PIL import Image

from cnnstudio.cli import main as cli_main
from cnnstudio.engine.errors import EngineError
from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.runs.report import build_report, write_report
from cnnstudio.engine.runs.report_html import SECTIONS
from cnnstudio.engine.runs.report_paths import suggested_name
from cnnstudio.engine.use.figures import percent, range_text
from tests.engine.test_data import make_project, tiny_spec
from tests.engine.test_runs import settings


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    project = make_project(root / "proj")
    events = list(runs.train(project, settings(epochs=3), tiny_spec(), name="My <first> run"))
    yield project, events[-1].run_id, root
    project.close()


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def test_report_has_every_section_and_needs_no_other_file(run):
    project, run_id, root = run
    with pytest.raises(EngineError, match="^the folder .*out does not exist: create it first or choose another$"):
        write_report(project, run_id, root / "out" / "report.html")  # a mistyped folder is not made
    assert not (root / "out").exists()
    (root / "out").mkdir()
    path = write_report(project, run_id, root / "out" / "report.html")
    html = path.read_text(encoding="utf-8")
    for sid in SECTIONS:
        assert f"<section id='{sid}'" in html, sid
    assert "My &lt;first&gt; run" in html and "<first>" not in html  # the name, escaped
    # self-contained: every picture is inside the file, nothing is linked
    sources = re.findall(r"src='([^']*)'", html)
    assert sources and all(s.startswith("data:image/png;base64,") for s in sources)
    assert "href=" not in html and "<script" not in html and "@media print" in html
    rep = build_report(project, run_id)
    assert rep.curves_png and rep.confusion_png and set(rep.samples) == {"bottom", "top"}
    assert all(len(v) == 6 for v in rep.samples.values())
    assert [row["label"] for row in rep.layers][0].startswith("conv") and rep.totals["params"] > 0
    assert {s["split"] for s in rep.scores} == {"val", "test"}
    assert all(0 <= s["interval"][0] <= s["accuracy"] <= s["interval"][1] <= 1 for s in rep.scores)
    assert "multiply-adds" in html and "torch" in html
    # the scores as the window writes them (figures.percent, range_text): "98.9% … likely 97–100%"
    for s in rep.scores:
        assert (f"{percent(s['accuracy'])}</span> {'validation' if s['split'] == 'val' else 'test'} accuracy on "
                f"{s['images']:,} pictures &mdash; likely {range_text(*s['interval'])} (") in html
    assert "between" not in html and not re.search(r"\d\.\d%\d", html)
    assert rep.advice and rep.advice[0].text.split(":")[0][:20] in html.replace("&#x27;", "'")


def test_report_renders_in_a_browser(run, tmp_path):
    browser = chromium()
    if browser is None:
        pytest.skip("no Chromium here (install the 'chromium' package: make system-deps) - the HTML checks still ran")
    project, run_id, _ = run
    page = write_report(project, run_id, tmp_path / "report.html")
    png = tmp_path / "report.png"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1000,1600",
                    f"--screenshot={png}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    with Image.open(png) as im:
        grey = im.convert("L")
        assert grey.size == (1000, 1600)
        hist = grey.histogram()
        ink = sum(hist[:200]) / (grey.width * grey.height)  # pixels darker than the page
        colours = im.convert("RGB").getcolors(maxcolors=1 << 20)
    assert 0.01 < ink < 0.6, ink  # text, tables and plots drawn; not blank, not a black page
    assert colours is None or len(colours) > 50  # the plots and thumbnails, not only text


def test_cli_report_and_advise(run, tmp_path, capsys):
    project, run_id, _ = run
    out = tmp_path / "r.html"
    assert cli_main(["report", str(project.root), "--run", run_id, "--out", str(out), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["run"] == run_id and out.exists() and got["bytes"] == out.stat().st_size
    assert cli_main(["advise", str(project.root), "--run", run_id, "--json"]) == 0
    advice = json.loads(capsys.readouterr().out)["advice"]
    assert advice and set(advice[0]) == {"kind", "severity", "text", "evidence", "action"}
    assert cli_main(["advise", str(project.root), "--run", run_id]) == 0
    assert capsys.readouterr().out.startswith(f"Run {run_id}:\n1. [")
    assert cli_main(["evaluate", str(project.root), "--run", run_id, "--json"]) == 0
    ev = json.loads(capsys.readouterr().out)
    assert [a["kind"] for a in ev["advice"]] == [a["kind"] for a in advice]
    lo, hi = ev["accuracy_interval"]
    assert lo <= ev["accuracy"] <= hi


def test_a_report_that_cannot_be_written_is_one_sentence_and_leaves_no_file(run, tmp_path):
    from cnnstudio.project.disk import DiskError

    project, run_id, _ = run
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the report's folder should be")
    with pytest.raises(DiskError) as e:
        write_report(project, run_id, blocker / "report.html")
    assert "save the report" in str(e.value) and "\n" not in str(e.value)
    assert blocker.is_file() and not list(tmp_path.rglob("*report*"))


def test_the_suggested_file_name_is_the_runs_name_made_safe():
    assert suggested_name("Small VGG · 40 epochs", "20261201-015202-1fab") == "Small VGG · 40 epochs report.html"
    assert suggested_name("My <first> run", "x") == "My -first- run report.html"
    assert suggested_name('a/b\\c: "d"?*|', "x") == "a-b-c- -d report.html"
    assert suggested_name("..hidden", "x") == "hidden report.html"  # no leading dot: not a hidden file
    assert suggested_name("", "20261201-015202-1fab") == "20261201-015202-1fab report.html"
    assert suggested_name(" / ", "run-1") == "run-1 report.html"
    assert suggested_name("", "") == "report.html"
    assert len(suggested_name("x" * 500, "id")) == 100 + len(" report.html")


def test_a_class_name_in_letters_no_font_has_draws_without_a_raw_warning():
    """matplotlib warned 'Glyph 26085 missing from font(s) DejaVu Sans' on stderr for a class named 日本."""
    import warnings

    from cnnstudio.engine.runs.report import confusion_uri

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        uri = confusion_uri([[3, 1], [0, 4]], ["日本", "cat"])
    assert uri.startswith("data:image/png;base64,")
    assert [str(w.message) for w in caught if "Glyph" in str(w.message)] == []


def test_a_wide_font_installed_after_matplotlibs_font_list_is_found():
    """The QA machine had Droid Sans Fallback installed after matplotlib cached its font list: names stayed boxes."""
    from pathlib import Path

    import pytest
    from matplotlib import font_manager

    from cnnstudio.engine.runs.report import WIDE_FONT_FILES, _name_fonts

    files = [p for p in font_manager.findSystemFonts()
             if any(k in Path(p).name.lower().replace("-", "").replace("_", "") for k in WIDE_FONT_FILES)]
    if not files:
        pytest.skip("no font with Chinese, Japanese or Korean letters on this machine")
    assert len(_name_fonts()) > 1


def test_a_run_without_its_model_is_not_called_ready_to_export(tmp_path):
    """The report gives the advice 'cnnstudio advise' and the Train page give: a run stopped or failed before it
    saved a model is to be resumed, never 'ready to try on new pictures and to export'."""
    from cnnstudio.project import run_records

    p = make_project(tmp_path / "p")
    fin = list(runs.train(p, settings(epochs=2), tiny_spec()))[-1]
    shutil.rmtree(run_records.run_dir(p, fin.run_id) / run_records.MODEL_DIR)
    run_records.update_run(p, fin.run_id, status="failed")
    kinds = [a.kind for a in build_report(p, fin.run_id).advice]
    assert "no_model" in kinds and "good" not in kinds
    p.close()


def test_the_report_repeats_the_advice_about_the_epoch_it_marks(tmp_path):
    """QA: the advice quoted the last epoch beside a report marking the kept one. The report gives the same findings
    as the Train page and 'cnnstudio advise', their numbers the kept epoch's: the one its curves mark as best."""
    from html import escape

    from cnnstudio.engine.runs.advice import advise
    from cnnstudio.engine.runs.report_html import render
    from tests.engine.test_advice import DENSE, noise_project

    p = noise_project(tmp_path / "noise")
    try:
        rid = list(runs.train(p, settings(epochs=12, lr=0.01, schedule="constant", batch_size=4), DENSE))[-1].run_id
        report = build_report(p, rid)
        assert report.advice == advise(p, rid)
    finally:
        p.close()
    over = next(a for a in report.advice if a.kind == "overfitting")
    assert over.evidence["kept_epoch"] == report.best_epoch
    assert f"The model kept is the one from epoch {report.best_epoch}," in over.text
    html = render(report)
    assert all(escape(a.text) in html for a in report.advice)
    assert "Next step: Check the labels (Data page)" in html  # pure noise: no better than guessing
