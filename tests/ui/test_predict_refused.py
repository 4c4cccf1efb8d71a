"""What the Predict page says about files it cannot predict (Qt-free words, no window)."""

from __future__ import annotations

from cnnstudio.project.imaging import IMAGE_EXTENSIONS
from cnnstudio.ui.predict.refused import every_line, kinds_read, merged, refusal_line, refusal_text, status_line


def test_a_text_file_is_named_with_the_kinds_of_file_read():
    line = refusal_line("/home/ann/notes.txt", "not an image file")
    assert line.startswith("notes.txt: CNN Studio does not open .txt files (it reads .png, .jpg")
    assert line.endswith("…).")  # a sentence, with its full stop
    assert all(e in IMAGE_EXTENSIONS for e in kinds_read().replace(" …", "").split(", "))
    assert refusal_line("/x/README", "not an image file").startswith(
        "README: CNN Studio opens only files with a picture's ending (it reads .png")


def test_a_file_refused_by_its_name_is_never_called_not_a_picture():
    """Refused by name at a drop, its content unread: an iPhone's IMG_0013.HEIC is a picture CNN Studio does not
    open, not "not a picture" (QA finding 6)."""
    line = refusal_line("/x/IMG_0013.HEIC", "not an image file")
    assert "not a picture" not in line and line.startswith("IMG_0013.HEIC: CNN Studio does not open .HEIC files")


def test_the_files_of_two_batches_make_one_list_and_every_one_can_be_seen():
    drop = [{"path": f"/x/f{i}.txt", "reason": "not an image file"} for i in range(4)]
    unreadable = [{"path": "/x/empty.jpg", "reason": "empty file (0 bytes)"},
                  {"path": "/x/bomb.png", "reason": "this picture is 900 megapixels"}]
    both = merged(merged(drop, unreadable), unreadable[:1])  # a file named again for the same reason: once
    assert both == drop + unreadable
    text = refusal_text(both)
    assert text.count("… and") == 1 and text.endswith("… and 3 more files")
    lines = every_line(both)
    assert len(lines) == 6 and lines[-1] == "bomb.png was not predicted: this picture is 900 megapixels."
    assert status_line(both) == "6 files were not predicted: they are listed under the pictures."
    assert status_line(unreadable[:1]) == "empty.jpg was not predicted: empty file (0 bytes)."
    assert status_line([]) == ""


def test_other_reasons_are_given_as_they_are():
    assert refusal_line("/x/broken.png", "cannot be read: truncated") == "broken.png was not predicted: cannot be " \
                                                                       "read: truncated."


def test_a_few_files_are_named_and_the_rest_counted():
    rejected = [{"path": f"/x/f{i}.txt", "reason": "not an image file"} for i in range(5)]
    lines = refusal_text(rejected).split("\n")
    assert len(lines) == 4 and lines[0].startswith("f0.txt") and lines[2].startswith("f2.txt")
    assert lines[3] == "… and 2 more files"
    assert refusal_text(rejected[:4]).split("\n")[-1] == "… and 1 more file"
    assert refusal_text([]) == ""


def test_the_folder_line_counts_files_that_are_not_pictures_apart(tmp_path):
    from cnnstudio.engine.use.predict import BatchResult, Prediction
    from cnnstudio.ui.predict.refused import folder_summary

    pred = Prediction("/x/a.png", "cat", 0, 0.9, {"cat": 0.9, "dog": 0.1})
    broken = {"path": "/x/broken.png", "reason": "truncated or damaged file (the picture's data ends too soon)"}
    notes = {"path": str(tmp_path / "notes.txt"), "reason": "a text file, not a picture"}
    readme = {"path": str(tmp_path / "README"), "reason": "not a picture file (unknown format)"}
    disguised = {"path": "/x/page.png", "reason": "an HTML page, not a picture"}  # its content says what it is
    folder = {"path": str(tmp_path), "reason": "cannot list the folder: Permission denied"}
    assert folder_summary(BatchResult([pred] * 6, [broken, notes])) == (
        "6 pictures predicted, 1 could not be read, 1 file was not a picture (notes.txt).")
    assert folder_summary(BatchResult([pred], [notes, readme], csv_path="/x/p.csv")) == (
        "1 picture predicted, 2 files were not pictures (notes.txt, README). Saved to /x/p.csv.")
    many = [{"path": f"/x/n{i}.txt", "reason": "a text file, not a picture"} for i in range(1200)]
    # cancelled: how many of the folder's pictures, and that a CSV written holds only these (not the whole folder)
    assert folder_summary(BatchResult([pred] * 64, many, cancelled=True), 300) == (
        "64 of 300 pictures predicted before you cancelled.")
    assert folder_summary(BatchResult([pred], [], cancelled=True, csv_path="/x/big.csv"), 1) == (
        "1 of 1 picture predicted before you cancelled. The CSV holds only these: /x/big.csv.")
    assert folder_summary(BatchResult([pred], [broken, disguised])) == (
        "1 picture predicted, 1 could not be read, 1 file was not a picture (page.png).")
    # a folder that could not be listed is not "a file that is not a picture"
    assert folder_summary(BatchResult([pred], [folder])) == "1 picture predicted, 1 could not be read."


def test_the_folder_tab_writes_paths_from_the_folder_and_problems_as_sentences(tmp_path):
    from cnnstudio.ui.predict.refused import problem_text, shown_path

    assert shown_path(str(tmp_path / "sub" / "pic_003.jpg"), tmp_path) == "sub/pic_003.jpg"
    assert shown_path("/elsewhere/a.png", tmp_path) == "/elsewhere/a.png" and shown_path("/x/a.png", None) == "/x/a.png"
    assert problem_text("empty file (0 bytes)") == "Empty file (0 bytes)." and problem_text("") == ""
