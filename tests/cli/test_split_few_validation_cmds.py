"""`cnnstudio split` warns when a class is left fewer than health.MIN_VAL_PER_CLASS validation pictures, in the
words of the Data page's Split (health.few_validation_words), with its own option as the fix; its JSON counts them."""

from __future__ import annotations

from tests.cli.helpers import run
from tests.conftest import write_dataset


def test_a_split_leaving_few_validation_pictures_says_so(tmp_path, capsys):
    proj = tmp_path / "p"
    run(capsys, "new", proj)
    run(capsys, "import", proj, write_dataset(tmp_path / "src", ("a", "b"), per_class=20), "--labels-from-folders")
    code, text, _ = run(capsys, "split", proj, "--ratios", "90,5,5", "--resplit-test")
    assert code == 0
    assert ("Validation has fewer than 5 pictures of each of 2 classes (“a” 1, “b” 1): too few to tell reliably which "
            "epoch is best; give validation a larger share with --ratios, or add pictures.") in text.splitlines()
    code, out, _ = run(capsys, "split", proj, "--ratios", "90,5,5", "--resplit-test", "--json")
    assert out["few_validation"] == {"a": 1, "b": 1}
    code, text, _ = run(capsys, "split", proj, "--ratios", "50,30,20", "--resplit-test")
    assert "Validation has fewer" not in text
