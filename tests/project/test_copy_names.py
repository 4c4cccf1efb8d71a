"""Which of two same-content files looks like the original, by its name."""

from __future__ import annotations

import pytest

from cnnstudio.project.copy_names import keep_rather, looks_like_copy, original_name


@pytest.mark.parametrize("copy", [
    "cat - Copy.png", "cat - Copy (2).png", "cat (1).png", "cat copy.png", "cat copy 2.png", "Copy of cat.png",
    "Copy (2) of cat.png", "cat_copy.png", "cat - Kopie.png", "cat - copie.png", "cat - Copia.png", "cat Kopie.png",
    "cat (copy).png", "cat (another copy).png", "cat (3rd copy).png", "cat - Copy - Copy.png", "cat (1) copy.png",
    "CAT COPY.PNG".lower(),
])
def test_a_copys_marks_are_taken_off(copy):
    assert original_name(copy) == "cat.png"
    assert looks_like_copy(copy)


@pytest.mark.parametrize("name", ["cat.png", "photocopy.png", "copycat.png", "IMG_0021.jpg", "(1).png", ".copy",
                                  "copy.png", "cat-2.png", "recopy of notes.png"])
def test_a_name_without_a_copys_mark_is_left_as_it_is(name):
    assert original_name(name) == name
    assert not looks_like_copy(name)


def test_the_original_is_kept_rather_than_a_copy_else_the_shorter_name_else_the_first():
    assert keep_rather("cat.png", "cat - Copy.png")
    assert not keep_rather("cat (1).png", "cat.png")
    assert keep_rather("dog.png", "cat (1).png")  # a name without a mark wins even when it is another name
    assert keep_rather("dog.png", "holiday.png") and not keep_rather("holiday.png", "dog.png")
    assert not keep_rather("cat.png", "dog.png")  # as long, both plain: the one met first stays
    assert keep_rather("cat (1).png", "cat - Copy (12).png")
