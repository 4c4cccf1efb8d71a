"""The Evaluate page's rules for its mistakes, without Qt: a test picture is never relabelled to the model's guess in
one click (QA: that made later test scores count the model's own guesses as truth), the note says why once, and
"Look at the mistakes" lists those between two classes."""

from __future__ import annotations

from cnnstudio.ui.evaluate.mistake_words import (CHOOSE, TEST_NOTE, between, button_words, mistakes_note, one_click,
                                                 tab_text)

WRONG = [{"id": 1, "true": "1", "predicted": "8"}, {"id": 2, "true": "3", "predicted": "5"},
         {"id": 3, "true": "8", "predicted": "1"}, {"id": 4, "true": "1", "predicted": "2"}]


def test_one_click_to_the_models_guess_only_off_the_test_pictures():
    assert one_click("val") and one_click("train") and not one_click("test")
    # validation: one click to the guess, then ticked; a class gone since cannot be given
    assert button_words("val", "1", "8", "1", False, True) == (
        "Relabel as “8”", "Label this picture “8” (it is now “1”); Ctrl+Z undoes it.", True)
    assert button_words("val", "1", "8", "8", False, True) == ("✓ now labelled “8”", "Ctrl+Z undoes it.", False)
    assert button_words("val", "1", "8", "1", False, False)[2] is False
    # test: the user chooses the class; the guess is never on the button
    text, tip, enabled = button_words("test", "1", "8", "1", False, True)
    assert (text, enabled) == (CHOOSE, True) and "8" not in text and "it is now “1”" in tip
    assert button_words("test", "1", "8", "7", False, True)[0] == "Now “7”: change…"
    assert button_words("test", "1", "8", None, True, True) == ("(deleted)", "This picture was deleted since.", False)


def test_the_note_says_why_once_and_names_the_two_classes():
    test = mistakes_note("test", 4, 4, 200)
    assert test.startswith("Most confident mistakes first. " + TEST_NOTE)
    # in plain words: why no one-click relabel here, and that Check data checks every label, the test ones too (QA:
    # "…look better than they are, and Check data on the Data page looks at every picture alike.")
    assert TEST_NOTE == ("These are test pictures, so there is no one-click relabel here: fixing only the pictures "
                         "the model got wrong would make later test scores look better than they really are. To find "
                         "wrong labels fairly, use Check data on the Data page: it checks every picture's label, the "
                         "test pictures' too.")
    assert "one click" not in test and f"choose its class with {CHOOSE}" in test
    val = mistakes_note("val", 4, 4, 200)
    assert "relabel the picture with one click (Ctrl+Z undoes it)" in val and TEST_NOTE not in val
    assert mistakes_note("val", 0, 0, 200) == "No mistakes on these pictures."
    assert mistakes_note("val", 250, 250, 200).endswith("The first 200 of 250 are listed.")

    pair = ("1", "8")
    assert [m["id"] for m in between(WRONG, pair)] == [1, 3] and between(WRONG, None) == WRONG
    assert mistakes_note("val", 2, 4, 200, pair).startswith("The 2 mistakes between “1” and “8”, most confident first.")
    assert mistakes_note("val", 1, 4, 200, pair).startswith("The one mistake between “1” and “8”.")
    assert mistakes_note("val", 0, 4, 200, pair) == "No mistakes between “1” and “8” on these pictures."
    assert tab_text(2, 4, pair) == "Mistakes (2 of 4)" and tab_text(4, 4) == "Mistakes (4)"


def test_a_read_only_project_turns_every_button_off_saying_why():
    why = "MyProject was opened read-only in this window, so CNN Studio cannot change labels."
    for split in ("val", "test"):
        text, tip, enabled = button_words(split, "cat", "dog", "cat", False, True, read_only=why)
        assert not enabled and tip == why and text == button_words(split, "cat", "dog", "cat", False, True)[0]
    deleted = button_words("val", "cat", "dog", None, True, True, read_only=why)
    assert deleted == ("(deleted)", "This picture was deleted since.", False)


def test_one_click_only_where_a_good_enough_model_was_sure():
    """QA: "Relabel as square" was offered for a weak model's 52 % guess. The bars are the data check's: a skill of
    0.5 (the lower end of the accuracy's 95 % range half the way from always answering the most common class to all
    right) and 85 % sure of the answer."""
    from cnnstudio.ui.evaluate.mistake_words import (SURE, TRUSTED_SKILL, UNSURE, WEAK, evaluation_skill, model_skill,
                                                     offers_relabel)

    assert (TRUSTED_SKILL, SURE) == (0.5, 0.85)
    assert model_skill(17, 18, 6) > TRUSTED_SKILL  # 94.4 % of 18 pictures, 3 classes alike
    assert model_skill(24, 40, 20) < 0  # 60 % of two classes alike, 40 pictures: hardly better than one answer
    assert model_skill(4, 4, 2) < TRUSTED_SKILL  # 4 of 4 proves little
    assert model_skill(0, 0, 0) == 0.0 and model_skill(10, 10, 10) == 0.0  # nothing scored; one class only
    good = {"images": 18, "accuracy": 17 / 18, "per_class": {"a": {"support": 6}, "b": {"support": 6},
                                                              "c": {"support": 6}}}
    assert evaluation_skill(good) == model_skill(17, 18, 6)
    skill = evaluation_skill(good)
    assert offers_relabel("val", 0.97, skill) and offers_relabel("train", SURE, skill)
    assert not offers_relabel("val", 0.523, skill)  # unsure of its answer
    assert not offers_relabel("val", 0.99, model_skill(24, 40, 20))  # sure, but a weak model
    assert not offers_relabel("test", 0.99, skill)  # test pictures never
    # the button: unsure, the user chooses the class, told why
    text, tip, enabled = button_words("val", "1", "8", "1", False, True, doubt=UNSURE)
    assert (text, enabled) == (CHOOSE, True) and tip.startswith(UNSURE) and "8" not in text
    assert button_words("val", "1", "8", "7", False, True, doubt=UNSURE)[0] == "Now “7”: change…"
    weak = mistakes_note("val", 4, 4, 200, skill=0.1)
    assert WEAK in weak and "one click" not in weak and CHOOSE in weak
    sure = mistakes_note("val", 4, 4, 200, skill=skill)
    assert "85% sure or more" in sure and "check the picture yourself" in sure


def test_a_mistake_is_called_unsure_only_where_the_answer_is_unsure_by_the_apps_rule():
    """QA: "The model is unsure here" on a mistake listed at 85.6% confidence, said because the model was weak overall.
    Unsure is the Predict page's rule (engine/use/unsure.py: under 50% or the next class within 10 points); a weak
    model's confident mistake says the model is weak; a good model's mistake under 85% says how sure it was."""
    from cnnstudio.engine.use.unsure import is_unsure
    from cnnstudio.ui.evaluate.mistake_words import UNSURE, WEAK_HERE, doubt, model_skill, unsure_answer

    weak, good = model_skill(24, 40, 20), model_skill(95, 100, 50)
    assert doubt("val", 0.856, weak, 2) == WEAK_HERE and "unsure" not in WEAK_HERE
    assert doubt("val", 0.53, weak, 2) == UNSURE == doubt("train", 0.45, good, 5)  # unsure, whatever the model
    less = doubt("val", 0.7, good, 3)
    assert less.startswith("The model was 70.0% sure here") and "under 85%" in less and "unsure" not in less
    assert doubt("val", 0.97, good, 2) == "" and doubt("test", 0.4, weak, 2) == ""  # one click; test has its words
    # the rule itself, from the top class alone: of two classes the other has the rest
    assert unsure_answer(0.54, 2) == is_unsure({"a": 0.54, "b": 0.46}) is True
    assert unsure_answer(0.56, 2) == is_unsure({"a": 0.56, "b": 0.44}) is False
    assert unsure_answer(0.49, 4) and not unsure_answer(0.6, 4)  # of more, surely unsure only under 50 %
    text, tip, enabled = button_words("val", "cat", "dog", "cat", False, True, doubt=doubt("val", 0.856, weak, 2))
    assert (text, enabled) == (CHOOSE, True) and tip.startswith(WEAK_HERE) and UNSURE not in tip
