"""The quit question's words (ui/quit_words.py, Qt-free): one question for every job running, what each keeps."""

from __future__ import annotations

from cnnstudio.ui import quit_words as q


def test_the_training_keeps_a_model_only_once_an_epoch_finished_as_stop_says():
    assert "no model" in q.training(0).kept and "best model" not in q.training(0).kept
    assert "keeps its best model so far" in q.training(3).kept


def test_one_job_is_named_alone_several_in_one_question():
    title, text = q.question([q.data_check()], "quit CNN Studio")
    assert title == "The pictures are being checked"
    assert text.split("\n")[0] == "Stop the data check and quit CNN Studio?"
    title, text = q.question([q.training(2), q.picture_import(), q.folder_prediction("pred2.csv")], "close the project")
    assert title == q.SEVERAL
    assert text.split("\n")[0] == "Stop the training, the import and the folder prediction, and close the project?"
    assert "“pred2.csv” will hold only the pictures predicted so far." in text
    assert "The pictures imported so far stay in the project" in text


def test_a_folder_predicted_without_a_file_says_nothing_is_saved():
    assert "not saved" in q.folder_prediction(None).kept
