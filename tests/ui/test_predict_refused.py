"""What the Predict page says about files it cannot predict (Qt-free words, no window)."""

from __future__ import annotations

from cnnstudio.project.imaging import IMAGE_EXTENSIONS
from cnnstudio.ui.predict.refused import kinds_read, refusal_line, refusal_text


def test_a_text_file_is_named_with_the_kinds_of_file_read():
    line = refusal_line("/home/ann/notes.txt", "not an image file")
    assert line.startswith("notes.txt is not a picture (CNN Studio reads .png, .jpg")
    assert line.endswith("…)")
    assert all(e in IMAGE_EXTENSIONS for e in kinds_read().replace(" …", "").split(", "))


def test_other_reasons_are_given_as_they_are():
    assert refusal_line("/x/broken.png", "cannot be read: truncated") == "broken.png was not predicted: cannot be " \
                                                                       "read: truncated"


def test_a_few_files_are_named_and_the_rest_counted():
    rejected = [{"path": f"/x/f{i}.txt", "reason": "not an image file"} for i in range(5)]
    lines = refusal_text(rejected).split("\n")
    assert len(lines) == 4 and lines[0].startswith("f0.txt") and lines[2].startswith("f2.txt")
    assert lines[3] == "… and 2 more files"
    assert refusal_text(rejected[:4]).split("\n")[-1] == "… and 1 more file"
    assert refusal_text([]) == ""
