"""The Predict page says when the model is unsure: its answer under 50 %, or the next class close behind."""

from __future__ import annotations

from PySide6.QtGui import QImage

from cnnstudio.engine.use.figures import probability_percent
from cnnstudio.engine.use.predict import BatchResult, Prediction
from cnnstudio.ui.predict.unsure import UNSURE, UNSURE_TIP, is_unsure, unsure_line
from tests.ui.test_prediction_view import _new_pictures, _trained


def test_the_rule():
    assert is_unsure({str(i): p for i, p in enumerate([0.287] + [0.0792] * 9)})  # a blue square, "1" at 28.7 %
    assert is_unsure({"cat": 0.54, "dog": 0.46})  # two classes close together
    assert not is_unsure({"cat": 0.919, "dog": 0.081}) and not is_unsure({"cat": 0.6, "dog": 0.4})
    assert not is_unsure({}) and not is_unsure({"cat": float("nan")}) and not is_unsure({"only": 1.0})
    assert unsure_line({"cat": 0.3, "dog": 0.3, "cow": 0.4}) == UNSURE and unsure_line({"cat": 1.0}) == ""
    assert UNSURE.endswith(".") and "50" in UNSURE_TIP


def test_an_unsure_answer_gets_its_line_under_the_headline(window, qtbot, tmp_path):
    page = _trained(window, qtbot, tmp_path)
    a, b = _new_pictures(tmp_path / "new", 2)
    preds = [Prediction(str(a), "a", 0, 0.52, {"a": 0.52, "b": 0.48}),
             Prediction(str(b), "b", 1, 0.97, {"a": 0.03, "b": 0.97})]
    page._got((BatchResult(preds), [QImage(), QImage()]), page._batch)
    view = page.detail
    page.list.setCurrentRow(0)
    assert view.unsure.isVisible() and view.unsure.text() == UNSURE
    page.list.setCurrentRow(1)
    assert not view.unsure.isVisible() and view.unsure.text() == ""


def test_the_folder_tab_marks_the_unsure_answers_with_the_rule_in_the_tooltip(window, qtbot, tmp_path):
    from cnnstudio.engine.use import unsure as engine_rule
    from cnnstudio.ui.predict.folder_panel import PROBLEM_COLUMN, UNSURE_COLUMN
    from cnnstudio.ui.predict.unsure import UNSURE_COLUMN_TIP, UNSURE_MARK

    assert is_unsure is engine_rule.is_unsure  # one rule, the engine's: the CSV and the CLI say the same
    page = _trained(window, qtbot, tmp_path)
    panel = page.folder_panel
    a, b = _new_pictures(tmp_path / "new", 2)
    result = BatchResult([Prediction(str(a), "a", 0, 0.52, {"a": 0.52, "b": 0.48}),
                          Prediction(str(b), "b", 1, 0.97, {"a": 0.03, "b": 0.97})],
                         [{"path": str(tmp_path / "new" / "notes.txt"), "reason": "a text file, not a picture"}])
    panel.show_rows(result)
    table = page.batch_table
    assert table.horizontalHeaderItem(UNSURE_COLUMN).text() == "Unsure"
    assert table.horizontalHeaderItem(UNSURE_COLUMN).toolTip() == UNSURE_COLUMN_TIP and UNSURE_COLUMN_TIP.endswith(".")
    assert [table.item(r, UNSURE_COLUMN).text() for r in range(3)] == [UNSURE_MARK, "", ""]
    assert table.item(0, UNSURE_COLUMN).toolTip() == f"{UNSURE}\n{UNSURE_TIP}"
    assert table.item(2, PROBLEM_COLUMN).text() == "A text file, not a picture."


# ---------------------------------------------------------------------------- unlike the training pictures
def test_a_picture_unlike_the_training_pictures_gets_its_own_hint_apart_from_unsure(window, qtbot, tmp_path):
    from cnnstudio.ui.predict.unsure import UNLIKE, UNLIKE_ROW, UNLIKE_TIP, unlike_line

    assert UNLIKE == "This picture looks unlike the training pictures."  # the hint's one name, as the CLI says it
    assert UNLIKE_ROW == "unlike training"  # its short form, where a row has no room
    assert UNLIKE_TIP.startswith("A hint, not a promise") and UNLIKE_TIP.endswith(".")
    assert unlike_line(True) == UNLIKE and unlike_line(False) == unlike_line(None) == ""
    page = _trained(window, qtbot, tmp_path)
    a, b, c = _new_pictures(tmp_path / "new", 3)
    preds = [Prediction(str(a), "a", 0, 0.97, {"a": 0.97, "b": 0.03}, unlike_training=True, novelty=0.4),
             Prediction(str(b), "b", 1, 0.52, {"a": 0.48, "b": 0.52}, unlike_training=False, novelty=0.01),
             Prediction(str(c), "b", 1, 0.97, {"a": 0.03, "b": 0.97})]  # a model without the hint
    page._got((BatchResult(preds), [QImage()] * 3), page._batch)
    view = page.detail
    page.list.setCurrentRow(0)  # sure of its answer, and still unlike the training pictures: only the new hint
    assert view.unlike.isVisible() and view.unlike.text() == UNLIKE and view.unlike.toolTip() == UNLIKE_TIP
    assert not view.unsure.isVisible()
    assert page.list.item(0).text().split("\n")[0].endswith(f"· {UNLIKE_ROW}") and UNLIKE in page.list.item(0).toolTip()
    page.list.setCurrentRow(1)  # unsure, and like the training pictures: the unsure line alone, in its own words
    assert view.unsure.isVisible() and view.unsure.text() == UNSURE and not view.unlike.isVisible()
    assert UNLIKE_ROW not in page.list.item(1).text() and page.list.item(1).toolTip() == str(b)
    page.list.setCurrentRow(2)
    assert not view.unlike.isVisible() and not view.unsure.isVisible() and UNLIKE_ROW not in page.list.item(2).text()


def test_the_folder_tab_has_a_column_for_pictures_unlike_the_training_ones(window, qtbot, tmp_path):
    from cnnstudio.ui.predict.folder_panel import PROBLEM_COLUMN, UNLIKE_COLUMN_AT, UNSURE_COLUMN
    from cnnstudio.ui.predict.unsure import UNLIKE, UNLIKE_COLUMN, UNLIKE_MARK, UNLIKE_TIP

    page = _trained(window, qtbot, tmp_path)
    a, b = _new_pictures(tmp_path / "new", 2)
    result = BatchResult([Prediction(str(a), "a", 0, 0.97, {"a": 0.97, "b": 0.03}, unlike_training=True),
                          Prediction(str(b), "b", 1, 0.52, {"a": 0.48, "b": 0.52}, unlike_training=False)],
                         [{"path": str(tmp_path / "new" / "notes.txt"), "reason": "a text file, not a picture"}])
    page.folder_panel.show_rows(result)
    table = page.batch_table
    header = table.horizontalHeaderItem(UNLIKE_COLUMN_AT)
    assert header.text() == UNLIKE_COLUMN == "Unlike training" and UNLIKE_TIP in header.toolTip()
    assert UNSURE_COLUMN < UNLIKE_COLUMN_AT < PROBLEM_COLUMN
    assert [table.item(r, UNLIKE_COLUMN_AT).text() for r in range(3)] == [UNLIKE_MARK, "", ""]
    assert [table.item(r, UNSURE_COLUMN).text() for r in range(3)] == ["", "Unsure", ""]
    assert table.item(0, UNLIKE_COLUMN_AT).toolTip() == f"{UNLIKE}\n{UNLIKE_TIP}"
    assert table.item(2, PROBLEM_COLUMN).text() == "A text file, not a picture."


def test_a_run_used_for_the_first_time_measures_its_hint_while_it_loads(window, qtbot, tmp_path):
    """A real model trained on sample digits: the page's loading thread measures the hint and keeps it in the run's
    folder; a noise picture dropped says it looks unlike the training pictures, a held-out digit mostly not."""
    from cnnstudio.engine.runs.lifecycle import read_dataset
    from cnnstudio.engine.use.novelty import CACHE_NAME
    from cnnstudio.project.run_records import run_dir
    from cnnstudio.ui.predict.model_choice import MEASURING
    from cnnstudio.ui.predict.unsure import UNLIKE
    from tests.engine.test_novelty import noise_pictures, trained_digits
    from tests.ui.test_drop import drop

    root, run_id = trained_digits(tmp_path / "made")
    assert window.open_project(root)
    page = window.workspace.predict_page
    measured = []
    page.loader.measuring.connect(lambda *a: measured.append(page.busy.words.text()))
    with qtbot.waitSignal(page.loader.loaded, timeout=60_000):
        window.workspace.show_step(5)
    assert page.predictor.novelty is not None and not page.predictor.novelty.cached
    assert (run_dir(window.session.project, run_id) / CACHE_NAME).is_file()
    assert measured and set(measured) == {MEASURING}  # the bar said what the first load does
    noise = noise_pictures(tmp_path / "noise", 2)
    with qtbot.waitSignal(page.predicted, timeout=30_000):
        assert drop(page.list.viewport(), noise)
    page.list.setCurrentRow(0)
    assert all(p.unlike_training for p in page.predictions)
    assert page.detail.unlike.isVisible() and page.detail.unlike.text() == UNLIKE
    _names, entries = read_dataset(window.session.project, run_id)
    digits = [root / e.file for e in entries if e.split == "test"]
    page.clear()
    with qtbot.waitSignal(page.predicted, timeout=30_000):
        assert drop(page.list.viewport(), digits)
    assert sum(bool(p.unlike_training) for p in page.predictions) <= 0.15 * len(digits)


def test_a_run_whose_hint_cannot_be_measured_still_predicts_without_it(window, qtbot, tmp_path):
    """The hint is extra: a run's list of pictures damaged (dataset.json edited by hand) loads the model all the same,
    and its answers carry no hint."""
    from cnnstudio.project.run_records import run_dir
    from tests.ui.test_drop import drop
    from tests.ui.test_training_view import open_trained

    run_id = open_trained(window, qtbot, tmp_path)
    (run_dir(window.session.project, run_id) / "dataset.json").write_text('{"classes": ["a"', encoding="utf-8")
    page = window.workspace.predict_page
    with qtbot.waitSignal(page.loader.loaded, timeout=60_000):
        window.workspace.show_step(5)
    assert page.predictor.novelty is None and not page.column.load_note.isVisible()
    with qtbot.waitSignal(page.predicted, timeout=30_000):
        assert drop(page.list.viewport(), _new_pictures(tmp_path / "new", 1))
    assert page.predictions[0].unlike_training is None and not page.detail.unlike.isVisible()


def test_noise_on_a_real_model_is_never_said_plainly_sure_nor_preset_as_a_class(window, qtbot, tmp_path):
    """QA 5: random noise got "8 96.0% sure" and "Add to the dataset as" preset to "8" (one click added noise as an
    8). A real model trained on sample digits, real noise pictures: the headline says the model may be guessing, and
    the class is left to the user; a held-out digit the model is sure of is still filled in."""
    from cnnstudio.engine.runs.lifecycle import read_dataset
    from cnnstudio.ui.predict.add_choice import CHOOSE_FIRST, preset_class
    from cnnstudio.ui.predict.unsure import GUESSING, UNLIKE
    from tests.engine.test_novelty import noise_pictures, trained_digits
    from tests.ui.test_drop import drop
    from tests.ui.test_prediction_view import _plain

    root, run_id = trained_digits(tmp_path / "made")
    assert window.open_project(root)
    page = window.workspace.predict_page
    with qtbot.waitSignal(page.loader.loaded, timeout=60_000):
        window.workspace.show_step(5)
    with qtbot.waitSignal(page.predicted, timeout=30_000):
        assert drop(page.list.viewport(), noise_pictures(tmp_path / "noise", 3))
    view = page.detail
    for row, pred in enumerate(page.predictions):
        page.list.setCurrentRow(row)
        assert pred.unlike_training and view.unlike.text() == UNLIKE
        headline = _plain(view.headline.text())
        assert GUESSING in headline and "% sure" not in headline
        assert view.add_class.currentIndex() == -1 and not view.add_button.isEnabled()
        assert view.add_button.toolTip() == CHOOSE_FIRST
    _names, entries = read_dataset(window.session.project, run_id)
    page.clear()
    with qtbot.waitSignal(page.predicted, timeout=30_000):
        assert drop(page.list.viewport(), [root / e.file for e in entries if e.split == "test"])
    classes = [view.add_class.itemText(i) for i in range(view.add_class.count())]
    row = next(r for r, p in enumerate(page.predictions)
               if preset_class(p.label, p.confidence, classes, p.unlike_training))
    page.list.setCurrentRow(row)
    pred = page.predictions[row]
    assert view.add_class.currentText() == pred.label and f"{probability_percent(pred.confidence)} sure" in _plain(
        view.headline.text())


def test_a_model_without_the_hint_says_it_cannot_tell_and_never_says_sure_nor_100(window, qtbot, tmp_path):
    """QA (beginner 35): a blue rectangle on a fruit run with too few validation pictures for the hint read "cherries
    100% sure · next: apples < 0.1%", and "Add to the dataset as" was preset to "cherries". A real model (the tiny run:
    fewer than 19 validation pictures), its output layer made over-sure so that float32's softmax reaches exactly 1.0,
    and a real picture file: no "100%", no "sure", one line saying CNN Studio cannot tell, and no class filled in."""
    import torch
    from PIL import Image

    from cnnstudio.engine.use.novelty_words import MIN_VALIDATION, NO_VALIDATION
    from cnnstudio.ui.predict.unsure import CANNOT_TELL, ONLY_ITS_CLASSES
    from tests.ui.test_drop import drop
    from tests.ui.test_prediction_view import _plain

    page = _trained(window, qtbot, tmp_path)
    qtbot.waitUntil(lambda: page.loader.ready(page._chosen_run()) is not None, timeout=60_000)
    predictor = page.loader.ready(page._chosen_run())
    assert predictor.novelty is None and page.loader.no_hint == NO_VALIDATION  # too few validation pictures
    last = [m for m in predictor.model.modules() if isinstance(m, torch.nn.Linear)][-1]
    with torch.no_grad():  # a model far surer than it should be, as one trained for a while on few pictures is
        last.weight.mul_(1e4)
        last.bias.mul_(1e4)
    car = tmp_path / "new" / "blue_car.png"
    car.parent.mkdir()
    picture = Image.new("RGB", (60, 40), (20, 20, 120))
    picture.paste((0, 200, 255), (15, 10, 45, 30))  # no fruit at all
    picture.save(car)
    with qtbot.waitSignal(page.predicted, timeout=30_000):
        assert drop(page.list.viewport(), [car])
    (pred,) = page.predictions
    assert pred.unlike_training is None and pred.confidence == 1.0  # what float32 made of it: it read "100%"
    page.list.setCurrentRow(0)
    view = page.detail
    assert page.list.item(0).text().split("\n")[0] == f"{pred.label}  > 99.9%"
    headline = _plain(view.headline.text())
    assert "> 99.9% · next:" in headline and "< 0.1%" in headline
    assert "100%" not in headline and "sure" not in headline  # nobody can tell whether it is like the training ones
    assert view.unknown.isVisible() and view.unknown.text() == (
        f"{CANNOT_TELL}: the run has fewer than {MIN_VALIDATION} validation pictures to measure it on. "
        f"{ONLY_ITS_CLASSES}")
    assert view.unknown.text().startswith("CNN Studio cannot tell whether this picture looks unlike the training")
    assert not view.unsure.isVisible() and not view.unlike.isVisible()
    assert view.add_class.currentIndex() == -1 and not view.add_button.isEnabled()  # the user says what it is
