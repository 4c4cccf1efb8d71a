"""Which number key gives which class (project/label_keys.py): digits keep their own key."""

from cnnstudio.project.label_keys import (CLEAR, class_for_key, clear_key, key_changes, key_range, keys_of,
                                          no_key_words)

DIGITS = [str(d) for d in range(10)]


def test_classes_named_by_a_digit_have_that_digit():
    assert keys_of(DIGITS) == list(range(10))
    assert class_for_key(DIGITS, 3) == 3 and class_for_key(DIGITS, 9) == 9  # "9", the 10th class, has a key
    assert class_for_key(DIGITS, 0) == 0 and clear_key(DIGITS) == "⌫"  # 0 is class "0"; Backspace clears
    shuffled = ["7", "3", "0"]
    assert keys_of(shuffled) == [7, 3, 0] and class_for_key(shuffled, 3) == 1


def test_other_classes_take_the_keys_left_in_list_order():
    assert keys_of(["cat", "dog", "bird"]) == [1, 2, 3]
    assert class_for_key(["cat", "dog"], 0) == CLEAR and clear_key(["cat", "dog"]) == "0"
    assert class_for_key(["cat", "dog"], 3) is None
    assert keys_of(["cat", "2", "dog"]) == [1, 2, 3] and keys_of(["cat", "1", "dog"]) == [2, 1, 3]
    assert keys_of([*DIGITS, "other"]) == [*range(10), None]  # adding a class never moves a digit's key
    many = [f"c{i}" for i in range(11)]
    assert keys_of(many) == [*range(1, 10), None, None]
    assert keys_of(["12", " 4 ", "x"]) == [1, 4, 2]  # "12" is not one digit


def test_a_key_with_no_class_says_where_the_keys_are():
    assert "no class with the key 4" in no_key_words(["cat"], 4) and "# column" in no_key_words(["cat"], 4)
    assert "add classes" in no_key_words([], 1)
    assert no_key_words(["cat"], 4).endswith(".") and no_key_words([], 1).endswith(".")  # sentences


def test_the_hint_names_0_when_a_class_has_it():
    assert key_range(["cat", "dog"]) == "1–9"
    assert key_range([str(d) for d in range(10)]) == "0–9"


def test_a_class_added_or_renamed_says_which_classes_keys_moved():
    before = [(1, "bird"), (2, "cat"), (3, "dog"), (4, "a/b")]
    added = [*before, (5, "4")]  # "4" takes the key 4: "a/b" moves to 5
    assert key_changes(before, added) == "Keys changed: “a/b” now has the key 5."
    assert key_changes(before, [*before, (5, "zebra")]) == ""  # the new class is not a move
    renamed = [(1, "bird"), (2, "1"), (3, "dog"), (4, "a/b")]  # "cat" renamed "1": bird moves, "1" takes 1
    assert key_changes(before, renamed) == "Keys changed: “bird” now has the key 2; “1” now has the key 1."
    full = [(i, f"c{i}") for i in range(1, 10)]
    assert key_changes(full, [(i, n) for i, n in full[:8]] + [(10, "0"), (11, "9"), (9, "c9")]) == \
        "Keys changed: “c9” has no key now (the keys 1–9 are taken)."
