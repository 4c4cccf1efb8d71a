"""QA first-run #4: reopening a project showed the Train page with no run selected (empty plots, the advice gone);
the advice that a run's end brings was folded away at 1,280 x 800, and its header left the "good" finding uncounted.
Now the page opens on the newest run (its curves and its advice shown), the advice opens by itself the first time
there is room (on a short screen it stays folded), and the header counts every finding and says it opens."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from cnnstudio.engine.events import RunFinished
from cnnstudio.ui.train.run_words import advice_header
from tests.ui.test_training_view import open_tiny, open_trained, train_once


def test_the_page_opens_on_the_newest_run_with_its_curves_and_advice(window, qtbot, tmp_path):
    open_trained(window, qtbot, tmp_path, identical=True)  # trained in this window the first time in a session
    run_id = open_trained(window, qtbot, tmp_path / "again", identical=True)  # a copy opened anew: nothing selected
    window.resize(1280, 800)
    page = window.workspace.train_page
    window.workspace.show_step_key("train")
    qtbot.waitUntil(lambda: page.runs.selected_ids() == [run_id])
    assert list(page.plots.train_loss.curve.getData()[0]) == [1]  # its curves on the plots (one epoch)
    name = page.runs.run_info(run_id).name
    assert page.status.text() == f"Ready. Shown: the newest run, “{name}”."  # not a bare "Ready." over its curves
    box = page.advice_box
    qtbot.waitUntil(lambda: box.isVisible())
    severities = [a.severity for a in page.advice.items]
    assert box.header.text().startswith(advice_header(severities))
    assert sum(int(part.split()[0]) for part in advice_header(severities).split("(")[1].rstrip(")").split(", ")) \
        == len(severities)  # every finding counted, the verdict too
    qtbot.waitUntil(lambda: box.is_open and page.advice.isVisible())  # 800 pixels high: room for it, once laid out
    assert page.plots.isVisible() and not box.stepped_aside  # and for the plots beside it


def test_the_header_counts_every_finding_and_says_it_opens(window, qtbot, tmp_path):
    assert advice_header(["medium", "low", "good"]) == ("What this means: 3 findings (1 worth doing, 1 good to know, "
                                                        "1 good news)")
    page = open_tiny(window, tmp_path, identical=True)
    window.resize(1024, 614)
    window.workspace.show_step_key("train")
    qtbot.waitUntil(lambda: window.height() == 614)
    assert isinstance(train_once(qtbot, page), RunFinished)
    box = page.advice_box
    QApplication.processEvents()
    assert not box.is_open and box.header.text().endswith(" · click to read")  # a short screen: folded
    box.header.click()
    assert box.is_open and not box.header.text().endswith("click to read")


def test_after_the_default_recipes_comparison_the_page_opens_on_the_run_it_kept(window, qtbot, tmp_path):
    """Review: the recipe makes the ready-trained network's run after the one from scratch, so "the newest run" was
    the network the recipe did not keep when from scratch won."""
    import shutil
    import time

    from cnnstudio.project import run_records
    from cnnstudio.project.open_lock import LOCK_NAME
    from tests.ui.test_training_view import open_trained

    scratch = open_trained(window, qtbot, tmp_path, identical=True)
    p = window.session.project
    transfer = run_records.new_run_id()
    shutil.copytree(p.root / "runs" / scratch, p.root / "runs" / transfer)
    pair = {"scratch": scratch, "transfer": transfer, "run": scratch, "picked": "from scratch",
            "why": "kept the network trained from scratch", "compared": True}
    run_records.update_run(p, scratch, summary={"recipe": pair})
    run_records.add_run(p, transfer, "MobileNetV2 transfer", status="finished", summary={"recipe": pair},
                        created_at=time.time() + 1)
    kept_name = run_records.get_run(p, scratch).name
    copy = tmp_path / "copy"
    shutil.copytree(p.root, copy, ignore=shutil.ignore_patterns(LOCK_NAME))
    assert window.open_project(copy)
    page = window.workspace.train_page
    window.workspace.show_step_key("train")
    qtbot.waitUntil(lambda: bool(page.runs.selected_ids()))
    assert page.runs.selected_ids() == [scratch]
    assert page.status.text() == f"Ready. Shown: the run the default recipe kept, “{kept_name}”."


def test_the_run_to_open_is_the_newest_by_time_or_the_one_its_recipe_kept():
    from cnnstudio.project.run_records import RunInfo
    from cnnstudio.ui.train.kept_run import run_to_open

    def run(rid, t, recipe=None):
        return RunInfo(rid, f"run {rid}", t, "finished", {}, {"recipe": recipe} if recipe else {}, "")

    assert run_to_open([]) is None
    a, b = run("a", 1.0), run("b", 2.0)
    assert run_to_open([a, b])[0] is b  # by time, whatever the list's order
    pair = {"scratch": "s", "transfer": "t", "run": "s"}
    s, t = run("s", 3.0, pair), run("t", 4.0, pair)
    assert run_to_open([t, s, b, a]) == (s, "Ready. Shown: the run the default recipe kept, “run s”.")
    assert run_to_open([t, b])[0] is t  # the kept one is gone: the newest
