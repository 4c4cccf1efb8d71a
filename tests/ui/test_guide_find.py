"""Help > Guide's "Find a word": the entries it finds are at the top, in sight, above "How it works"; any of an entry's
names finds it; an empty box gives the page back as it was."""

from cnnstudio.project.glossary import explain, guide_rows, heading
from cnnstudio.ui.guide_dialog import GuideDialog, guide_html


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
    assert _in_sight(guide, "How it works")


def test_a_word_with_no_entry_says_so_above_the_steps():
    html = guide_html([("1  Data", "Drop pictures")], "hyperparameter soup")
    assert html.index("No word in the glossary matches “hyperparameter soup”") < html.index("How it works")
    assert "Drop pictures" in html  # the steps are still there below


def test_every_name_the_app_uses_finds_its_entry_in_the_guide():
    for word, entry in (("MACs", "multiply-adds"), ("top-3", "top-k"), ("confidence interval", "95 % range"),
                        ("ReLU", "activation")):
        html = guide_html([], word)
        assert html.index(heading(entry)) < html.index("How it works")
    assert all(heading(t.split(" (")[0]) == t for t, _ in guide_rows())
