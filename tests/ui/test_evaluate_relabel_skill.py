"""The Evaluate page's one-click "Relabel as …" judges the model from the evaluation it shows (its pictures, share
right and classes' supports), not from the pictures the project's split holds now (mistake_words.offers_relabel)."""

from __future__ import annotations

from cnnstudio.ui.evaluate.mistake_words import (CHOOSE, SURE, TRUSTED_SKILL, UNSURE, WEAK, WEAK_HERE, evaluation_skill,
                                                 model_skill)
from tests.ui.test_training_view import open_trained


def _shown_evaluation(window, qtbot):
    page = window.workspace.evaluate_page
    with qtbot.waitSignal(page.evaluated, timeout=30_000):
        window.workspace.show_step(4)
    assert page.result["split"] == "val" and page.result["misclassified"]
    return page


def test_a_weak_evaluation_lets_the_user_choose_and_a_good_one_offers_one_click(window, qtbot, tmp_path):
    open_trained(window, qtbot, tmp_path, identical=True)  # every picture alike: half the validation ones are wrong
    page = _shown_evaluation(window, qtbot)
    tab = page.mistakes_tab
    weak = page.result
    assert evaluation_skill(weak) < TRUSTED_SKILL
    # the weak model's mistakes, even were it sure of each: the user chooses the class, told why (the model as a
    # whole, not "unsure here" of an answer it was 97% sure of: QA)
    page.result = {**weak, "misclassified": [{**m, "confidence": 0.97} for m in weak["misclassified"]]}
    page.show_all_mistakes()
    assert WEAK in page.mistakes_note.text()
    for m in page.result["misclassified"]:
        button = tab.buttons[m["id"]]
        assert button.text() == CHOOSE and button.menu() is not None
        assert WEAK_HERE in button.toolTip() and UNSURE not in button.toolTip()

    # the pictures the split holds now would call this model weak too (4 validation pictures, half of them wrong)
    counts = [n.get("val", 0) for cid, n in window.session.project.counts().items() if cid is not None]
    wrong = len(weak["misclassified"])
    assert model_skill(sum(counts) - wrong, sum(counts), max(counts)) < TRUSTED_SKILL
    # ...but the evaluation shown is of a good model (95 of 100 right), sure of these answers: one click to them
    classes = weak["classes"]
    good = {**page.result, "images": 100, "accuracy": 0.95, "per_class": {c: {"support": 50} for c in classes}}
    assert evaluation_skill(good) >= TRUSTED_SKILL
    page.result = good
    page.show_all_mistakes()
    assert "one click" in page.mistakes_note.text() and WEAK not in page.mistakes_note.text()
    for m in good["misclassified"]:
        button = tab.buttons[m["id"]]
        assert button.text() == f"Relabel as “{m['predicted']}”" and button.menu() is None and button.isEnabled()

    # the same good model less sure than SURE of an answer: that one is the user's to choose
    unsure = {**good, "misclassified": [{**m, "confidence": SURE - 0.1} for m in good["misclassified"]]}
    page.result = unsure
    page.show_all_mistakes()
    first = unsure["misclassified"][0]
    assert tab.buttons[first["id"]].text() == CHOOSE
    assert "75.0% sure here" in tab.buttons[first["id"]].toolTip() and UNSURE not in tab.buttons[first["id"]].toolTip()
    # ...and one it is unsure of (of two classes, the other within 10 points) says so
    assert len(good["classes"]) == 2
    page.result = {**good, "misclassified": [{**m, "confidence": 0.52} for m in good["misclassified"]]}
    page.show_all_mistakes()
    assert tab.buttons[first["id"]].toolTip().startswith(UNSURE)
