"""QA first-run #6 and #7: the report's mistakes say which pictures they are about and show the validation ones too
(the headline and the advice are about validation; the report said "No mistakes to show" while the headline counted
one); and its words: no "Wilson interval", "recall, 95% range" (the glossary's word), accuracy in percent on the
curves with the best epoch marked, why the training loss is above the validation loss, a dash for a library version
not recorded."""

from __future__ import annotations

import re

import pytest

from cnnstudio.engine.runs import lifecycle as runs
from cnnstudio.engine.runs.report import build_report, loss_note
from cnnstudio.engine.runs.report_html import render
from cnnstudio.engine.runs.advice import read_evaluation
from cnnstudio.engine.train.settings import SAFE_AUGMENT
from tests.engine.test_data import make_project, tiny_spec
from tests.engine.test_runs import settings


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("report") / "proj")
    events = list(runs.train(project, settings(epochs=2), tiny_spec(), name="first"))
    yield project, events[-1].run_id
    project.close()


def test_the_mistakes_of_each_split_are_said_with_their_pictures(run):
    project, run_id = run
    rep = build_report(project, run_id)
    evaluation = read_evaluation(project, run_id)
    assert [g["split"] for g in rep.mistakes] == ["val", "test"]  # validation first, as the headline
    html = render(rep)
    for group in rep.mistakes:
        ev = evaluation[group["split"]]
        wrong = len(ev.get("misclassified") or [])
        assert group["images"] == ev["images"] and group["wrong"] == wrong
        name = "validation" if group["split"] == "val" else "test"
        heading = (f"No mistakes on the {ev['images']} {name} pictures" if not wrong else
                   f"{wrong} mistake{'s' if wrong != 1 else ''} on the {ev['images']} {name} pictures")
        assert heading in html
    assert "No mistakes to show" not in html
    assert f"Confusion matrix (on the {rep.confusion_images} " in html and rep.confusion_images > 0
    assert "Wilson" not in html and "recall likely" not in html and "recall, 95% range" in html
    assert not re.search(r"\d %", html)  # "96.7%", and the glossary's "95% range", as figures.percent writes them
    assert rep.best_epoch in (1, 2) and rep.curves_png


def test_a_library_not_recorded_at_training_gets_a_dash_and_a_note(run):
    project, run_id = run
    rep = build_report(project, run_id)
    rep.trained_with = {k: v for k, v in rep.trained_with.items() if k != "torch"}
    html = render(rep)
    assert "<td>torch</td>" in html and "<td>\u2014</td>" in html
    assert "\u2014: the run did not record this library's version when it trained." in html


def test_the_training_loss_above_the_validation_loss_is_explained():
    rows = [{"epoch": e, "train_loss": 0.6, "val_loss": 0.2} for e in (1, 2, 3)]
    st = settings(epochs=3, augment=SAFE_AUGMENT, label_smoothing=0.1)
    note = loss_note(rows, st)
    assert note.startswith("The training loss is above the validation loss, and that is expected here: ")
    assert "augmentation" in note and "label smoothing" in note
    assert loss_note([{**r, "train_loss": 0.1} for r in rows], st) == ""  # below it: nothing to explain
    assert loss_note(rows, settings(epochs=3, label_smoothing=0.0)) == ""  # nothing explains it: not said


def test_every_test_score_of_the_report_has_the_sentence_that_keeps_it_for_the_end(run):
    """Journey QA #7: the sentence of project/split_roles.py under the test score of the summary and of the per-class
    block, as on the Evaluate page and after 'cnnstudio train'; never under a validation score."""
    from html import escape

    from cnnstudio.project.split_roles import TEST_FOR_THE_END

    project, run_id = run
    html = render(build_report(project, run_id))
    said = f"<p class='muted for-the-end'>{escape(TEST_FOR_THE_END)}</p>"
    for sid in ("summary", "per-class"):
        section = html.split(f"<section id='{sid}'")[1].split("</section>")[0]
        test_score = re.search(r"test (accuracy on|pictures:)", section, re.I)
        assert test_score and section.count(said) == 1, sid
        assert section.index(said) > test_score.start()  # under the test score, not the validation one above it
        assert section.index(said) > section.lower().index("validation")


def test_the_report_says_which_pictures_its_matrix_and_scores_come_from_and_why(run):
    """The confusion matrix is drawn on the test pictures when the run has test scores, else on the validation ones:
    under it one sentence says which and why; under the summary's two scores one says what each set of pictures is
    for (a reader who never saw the app knows which score to quote)."""
    from html import escape

    from cnnstudio.engine.runs.report_html import CONFUSION_WHY, WHICH_SCORES

    project, run_id = run
    rep = build_report(project, run_id)
    assert rep.confusion_split == "test" and rep.confusion_images == read_evaluation(project, run_id)["test"]["images"]
    html = render(rep)
    confusion = html.split("<section id='confusion'")[1].split("</section>")[0]
    assert f"on the {rep.confusion_images} test pictures; rows: true class, columns: the model&#x27;s answer" in confusion
    assert escape(CONFUSION_WHY["test"]) in confusion and "never seen" in CONFUSION_WHY["test"]
    summary = html.split("<section id='summary'")[1].split("</section>")[0]
    assert escape(WHICH_SCORES) in summary and summary.index(escape(WHICH_SCORES)) > summary.index("test accuracy on")
    rep.confusion_split, rep.confusion_images = "val", rep.scores[0]["images"]  # a run without test scores
    confusion = render(rep).split("<section id='confusion'")[1].split("</section>")[0]
    assert "validation pictures; rows" in confusion and escape(CONFUSION_WHY["val"]) in confusion
    assert escape(CONFUSION_WHY["test"]) not in confusion
