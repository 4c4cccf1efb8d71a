"""Which number key gives which class (project/label_keys.py): digits keep their own key."""

from cnnstudio.project.label_keys import CLEAR, class_for_key, clear_key, keys_of, no_key_words

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
