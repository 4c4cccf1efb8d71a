"""Help > Guide's "Find a word": the entries it finds are at the top, in sight, above "How it works"; any of an entry's
names finds it; an empty box gives the page back as it was."""

from cnnstudio.project.glossary import ALSO, explain, find, guide_rows, heading
from cnnstudio.ui.data.check_panel import GROUPS
from cnnstudio.ui.guide_dialog import GuideDialog, guide_html
from cnnstudio.ui.how_it_works import FIRST_MODEL


def _in_sight(guide, words: str) -> bool:
    text = guide.text
    cursor = text.document().find(words)
    assert not cursor.isNull(), words
    return text.viewport().rect().contains(text.cursorRect(cursor))


def test_the_words_found_are_at_the_top_in_sight_and_an_empty_search_restores_the_page(qtbot):
    guide = GuideDialog()
    qtbot.addWidget(guide)
    guide.resize(560, 360)  # shorter than the guide's steps: what is below them is out of sight
    guide.show()
    qtbot.waitExposed(guide)
    page = guide.text.toPlainText()
    guide.text.verticalScrollBar().setValue(guide.text.verticalScrollBar().maximum())  # read down to the end

    guide.find.setText("test")
    shown = guide.text.toPlainText()
    assert shown.index("test: ") < shown.index("How it works")
    assert _in_sight(guide, explain("test")[:40])
    assert "schedule:" not in shown  # "fastest" is not the word "test"

    guide.find.setText("Wilson")
    assert _in_sight(guide, heading("Wilson interval"))

    guide.find.clear()
    assert guide.text.toPlainText() == page
    assert _in_sight(guide, "Your first model in 5 steps")


def test_a_word_with_no_entry_says_so_above_the_steps():
    html = guide_html([("1  Data", "Drop pictures")], "hyperparameter soup")
    assert html.index("No word in the glossary matches “hyperparameter soup”") < html.index("How it works")
    assert "Drop pictures" in html  # the steps are still there below


def test_every_name_the_app_uses_finds_its_entry_in_the_guide():
    for word, entry in (("MACs", "multiply-adds"), ("top-3", "top-k"), ("confidence interval", "95% range"),
                        ("ReLU", "activation")):
        html = guide_html([], word)
        assert html.index(heading(entry)) < html.index("How it works")
    assert all(heading(t.split(" (")[0]) == t for t, _ in guide_rows())


def test_the_first_model_walkthrough_comes_above_how_it_works_and_names_the_buttons_in_order():
    html = guide_html([("1  Data", "Drop pictures")])
    assert len(FIRST_MODEL) == 5
    assert html.index("Your first model in 5 steps") < html.index("How it works") < html.index("Words you will meet")
    walk = " ".join(text for _, text in FIRST_MODEL)
    places = [walk.index(w) for w in ("drop a folder", "“Split”", "“Check data”", "“Start”", "“What this means”",
                                      "Predict page")]
    assert places == sorted(places)  # import -> split, check -> Start -> read what it means -> Predict
    assert all(text.endswith(".") for _, text in FIRST_MODEL)


def _names(row_heading: str) -> list[str]:
    term = row_heading.split(" (")[0]
    return [term.lower(), *(n.lower() for n in ALSO.get(term, ()))]


def test_every_check_data_group_title_is_found_by_the_guide_by_an_entry_it_names():
    for _kind, title in GROUPS:
        rows = find(title)
        assert rows, title
        assert any(n in title.lower() or title.lower() in n for n in _names(rows[0][0])), (title, rows[0][0])
        assert "No word in the glossary matches" not in guide_html([], title)


def test_the_words_the_pages_use_have_entries():
    for word in ("class", "label", "run", "leak", "leaks", "copies in more than one split", "near duplicate",
                 "normalise", "CSV", "ONNX", "TorchScript", "model"):
        rows = find(word)
        assert rows and any(word.lower().rstrip("s") in n for n in _names(rows[0][0])), word
