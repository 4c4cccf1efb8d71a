"""The runs list's groups: plain runs first, then each tuning study's trials in trial order."""

from __future__ import annotations

from cnnstudio.project import run_records


def test_runs_are_grouped_by_study(project):
    run_records.add_run(project, "20260101-000000-aaaa", "plain old", created_at=1.0)
    for n, t in ((1, 5.0), (0, 4.0), (2, 6.0)):
        run_records.add_run(project, f"20260101-00000{n}-bbbb", f"s1 trial {n}", created_at=t,
                            summary={"study": "s1", "trial": n})
    run_records.add_run(project, "20260101-000009-cccc", "s2 trial 0", created_at=9.0,
                        summary={"study": "s2", "trial": 0})
    run_records.add_run(project, "20260101-000007-aaaa", "plain new", created_at=7.0)
    groups = run_records.grouped_runs(run_records.list_runs(project))
    assert [name for name, _ in groups] == ["", "s2", "s1"]
    assert [r.name for r in groups[0][1]] == ["plain new", "plain old"]
    assert [r.summary["trial"] for r in groups[2][1]] == [0, 1, 2]
    assert run_records.grouped_runs([]) == []

