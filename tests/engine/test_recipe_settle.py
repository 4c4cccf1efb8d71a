"""The default recipe's record after a resume (recipe.settle), on run records alone: it runs without the
MobileNetV2 weights the full recipe tests need."""

from __future__ import annotations

from cnnstudio.engine.runs.recipe import settle
from cnnstudio.project import Project, run_records

SCRATCH, TRANSFER = "20260101-000000-aaaa", "20260101-000000-bbbb"


def _two_runs(tmp_path, scratch_status: str) -> Project:
    p = Project.create(tmp_path / "p")
    run_records.add_run(p, SCRATCH, "Recommended design", status=scratch_status,
                        summary={"val_accuracy": 0.95, "val_loss": 0.2})
    run_records.add_run(p, TRANSFER, "MobileNetV2 transfer · frozen", status="finished",
                        summary={"val_accuracy": 0.90, "val_loss": 0.3})
    record = {"picked": "transfer", "run": TRANSFER, "scratch": SCRATCH, "transfer": TRANSFER,
              "why": "transfer learning: the from-scratch run did not finish"}
    for rid in (SCRATCH, TRANSFER):
        run_records.update_run(p, rid, summary={"recipe": record})
    return p


def test_a_resumed_run_that_finishes_makes_the_choice_again(tmp_path):
    p = _two_runs(tmp_path, "stopped")
    assert settle(p, SCRATCH)["run"] == TRANSFER  # still stopped: the record as it was written
    run_records.update_run(p, SCRATCH, status="finished")
    chosen = settle(p, SCRATCH)
    assert chosen["run"] == SCRATCH and chosen["compared"] is True
    # one rounding rule for every percentage (figures.percent), plain words, one colon
    assert chosen["why"] == ("kept the network trained from scratch: it recognised 95.0% of the validation pictures, "
                             "against 90.0% for the ready-trained network (transfer learning) (compared when the "
                             "resumed from-scratch run finished)")
    for rid in (SCRATCH, TRANSFER):  # both runs say the same
        assert run_records.get_run(p, rid).summary["recipe"] == chosen
    assert settle(p, TRANSFER) == chosen  # once compared, it stays
    p.close()


def test_a_run_that_is_no_recipe_run_has_no_record(tmp_path):
    p = Project.create(tmp_path / "p")
    run_records.add_run(p, SCRATCH, "mine", status="finished")
    assert settle(p, SCRATCH) is None
    p.close()
