"""Several processes (DDP over gloo on the CPU): same result as one process, rank 0 alone writes, a lost
process fails the others quickly, Ctrl-C stops all of them at the same batch and the run resumes.

What these tests check is the CPU path (gloo), so the jobs carry ``device="cpu"`` and the processes started
see no graphics card (``CUDA_VISIBLE_DEVICES=""``): on a machine with one GPU, two processes on device
"auto" would rightly be refused ("2 training processes ... but it has 1 CUDA graphics card(s)").

The processes are real: ``python -m torch.distributed.run`` (torchrun) for the equality test, and
processes started by hand with torchrun's variables (MASTER_ADDR=127.0.0.1, a free port) where the test
must signal one of them.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
from torch.utils.data import DistributedSampler

from cnnstudio.engine.train.distributed import DistContext, is_comm_error, lost_message
from cnnstudio.engine.events import RunFinished
from cnnstudio.engine.runs.jobs import train_job
from cnnstudio.project import Project
from cnnstudio.project import run_records as index
from tests.engine.test_jobs import make_job, weights

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals; gloo on 127.0.0.1")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env(**extra) -> dict:
    e = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1", "OMP_NUM_THREADS": "1",
         "CNNSTUDIO_DIST_TIMEOUT": "20", "CUDA_VISIBLE_DEVICES": ""}
    e.update({k: str(v) for k, v in extra.items()})
    return e


def start_ranks(job: Path, world: int = 2) -> list[subprocess.Popen]:
    """``world`` processes of ``cnnstudio train JOB --json``, as torchrun would start them."""
    port = free_port()
    return [subprocess.Popen([sys.executable, "-m", "cnnstudio", "train", str(job), "--json"], cwd=job.parent,
                             env=env(RANK=r, WORLD_SIZE=world, LOCAL_RANK=r, LOCAL_WORLD_SIZE=world,
                                     MASTER_ADDR="127.0.0.1", MASTER_PORT=port),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for r in range(world)]


def wait_for_line(proc: subprocess.Popen, prefix: str, limit_s: float = 60) -> list[str]:
    seen, t0 = [], time.monotonic()
    for line in proc.stderr:
        seen.append(line)
        if line.startswith(prefix):
            return seen
        assert time.monotonic() - t0 < limit_s, "".join(seen)
    raise AssertionError(f"process ended before {prefix!r}:\n" + "".join(seen))


def test_shards_are_distributed_sampler_shards():
    n, world = 11, 3
    perm = torch.randperm(n, generator=torch.Generator().manual_seed(5))
    shards = [DistContext(r, world).shard(perm) for r in range(world)]
    for r, shard in enumerate(shards):  # torch's sampler over the same (already shuffled) order
        expected = list(DistributedSampler(range(n), num_replicas=world, rank=r, shuffle=False))
        assert shard.tolist() == perm[expected].tolist()
    assert {len(s) for s in shards} == {4}  # padded to equal length
    assert set(torch.cat(shards).tolist()) == set(range(n))
    # one global batch of 6 = the first 6 of the permutation, whatever the process count
    two = [DistContext(r, 2).shard(perm) for r in range(2)]
    assert sorted(torch.cat([s[:3] for s in two]).tolist()) == sorted(perm[:6].tolist())
    assert DistContext(0, 2).positions(5) == [0, 2, 4] and DistContext(1, 2).positions(5) == [1, 3]


def test_lost_peer_messages_are_one_clear_sentence():
    e = RuntimeError("[../third_party/gloo/gloo/transport/tcp/pair.cc:545] Read error [127.0.0.1]:4242: "
                     "Connection reset by peer. This is typically caused by a remote worker hanging.")
    assert is_comm_error(e) and not is_comm_error(ValueError("bad"))
    assert lost_message(e) == ("another training process stopped or cannot be reached (Read error "
                               "[127.0.0.1]:4242: Connection reset by peer): training cannot go on")


@pytest.mark.timeout(120)
def test_two_processes_train_like_one(tmp_path):
    """The same job, trained by one process and by two (torchrun, gloo): the same weights.

    Why they can be equal: the spec has no BatchNorm (per-process statistics) and no dropout, augmentation
    is off, and both use the same global batch (8 = 2 x 4) and seed. Every epoch both draw the same
    permutation; global batch b of the two processes is exactly batch b of the one process (the shards
    interleave, 24 images divide evenly, no padding), and DDP averages the two 4-image mean gradients,
    which is the 8-image mean gradient. What is left is float rounding: summation order in the gradient
    reduction and in convolutions of 4 vs 8 images (about 1e-8 here), so weights must agree to 1e-5.
    """
    _, job = make_job(tmp_path, epochs=2, device="cpu")
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    shutil.copy(job, one / "job.zip")
    shutil.copy(job, two / "job.zip")

    single = list(train_job(one / "job.zip"))
    assert isinstance(single[-1], RunFinished)
    proc = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--nproc-per-node", "2",
                           "--master-addr", "127.0.0.1", "--master-port", str(free_port()),
                           "-m", "cnnstudio", "train", "job.zip", "--json"],
                          cwd=two, env=env(), capture_output=True, text=True, timeout=110)
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1, proc.stdout  # rank 0 alone reports
    out = json.loads(lines[0])
    assert out["status"] == "finished" and out["processes"] == 2 and out["epochs"] == 2

    run_one = next((one / "job" / "runs").iterdir())
    run_two = next((two / "job" / "runs").iterdir())
    assert run_one.name == run_two.name == out["run"]
    a, b = weights(run_one), weights(run_two)
    assert a.keys() == b.keys()
    for k in a:
        assert torch.allclose(a[k], b[k], rtol=0, atol=1e-5), (k, (a[k] - b[k]).abs().max())
    # metrics reduced over both processes = one process's (every image counted once per epoch)
    m1 = [json.loads(x) for x in (run_one / "metrics.jsonl").read_text().splitlines()]
    m2 = [json.loads(x) for x in (run_two / "metrics.jsonl").read_text().splitlines()]
    assert [m["epoch"] for m in m2] == [1, 2]  # written once, by rank 0
    for x, y in zip(m1, m2):
        for key in ("train_loss", "train_accuracy", "val_loss", "val_accuracy"):
            assert y[key] == pytest.approx(x[key], abs=1e-5), key
    # rank 0 alone wrote: one run, finished, no temporary files of another process left behind
    with Project.open(two / "job") as p:
        assert [(r.id, r.status) for r in index.list_runs(p)] == [(out["run"], "finished")]
    assert not [f for f in run_two.rglob("*") if f.name.endswith(".tmp")]
    assert sorted(f.name for f in (run_two / "checkpoint").iterdir()) == ["best.safetensors", "last.safetensors"]


@pytest.mark.timeout(120)
def test_killing_one_process_fails_the_other_quickly(tmp_path):
    _, job = make_job(tmp_path, epochs=300, device="cpu")
    rank0, rank1 = start_ranks(job)
    try:
        wait_for_line(rank0, "epoch 1/")  # both are training (an epoch needs both)
        rank1.send_signal(signal.SIGKILL)
        t_kill = time.monotonic()
        out, err = rank0.communicate(timeout=60)
        took = time.monotonic() - t_kill
    finally:
        for p in (rank0, rank1):
            if p.poll() is None:
                p.kill()
            p.communicate()
    assert rank0.returncode == 1 and took < 30, (rank0.returncode, took, err)
    result = json.loads(out)
    assert result["status"] == "failed" and "another training process stopped" in result["reason"]
    last = err.strip().splitlines()[-1]  # (earlier lines: epoch progress)
    assert last.startswith("cnnstudio: error: training failed: another training process stopped or cannot be "
                           "reached") and "Traceback" not in err, err
    run = tmp_path / "job" / "runs" / result["run"]
    assert "another training process" in (run / "error.txt").read_text()
    assert (run / "checkpoint" / "last.safetensors").is_file()  # resumable


@pytest.mark.timeout(120)
def test_ctrl_c_stops_every_process_then_the_run_resumes(tmp_path):
    _, job = make_job(tmp_path, epochs=250, device="cpu")  # an epoch takes ~20 ms: the signal must land before the end
    procs = start_ranks(job)
    try:
        wait_for_line(procs[0], "epoch 1/")
        for p in procs:  # a terminal's Ctrl-C reaches every process of the group
            p.send_signal(signal.SIGINT)
        results = [p.communicate(timeout=60) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    assert [p.returncode for p in procs] == [130, 130], [r[1][-2000:] for r in results]
    stopped = json.loads(results[0][0])
    assert stopped["status"] == "stopped" and 1 <= stopped["epochs"] < 250 and results[1][0] == ""
    assert stopped["resume"].endswith("job.zip --nproc 2")

    # the command it printed continues from the checkpoint: `cnnstudio train job.zip --nproc 2` (torchrun)
    again = subprocess.run([sys.executable, "-m", "cnnstudio", "train", "job.zip", "--nproc", "2", "--json"],
                           cwd=tmp_path, env=env(), capture_output=True, text=True, timeout=100)
    assert again.returncode == 0, again.stderr[-3000:]
    assert len(again.stdout.strip().splitlines()) == 1  # rank 0 alone reports
    done = json.loads(again.stdout)
    assert done["status"] == "finished" and done["epochs"] == 250 and done["processes"] == 2
    assert f"resuming at epoch {stopped['epochs'] + 1}" in again.stderr
    metrics = (tmp_path / "job" / "runs" / done["run"] / "metrics.jsonl").read_text().splitlines()
    assert [json.loads(x)["epoch"] for x in metrics] == list(range(1, 251))


@pytest.mark.timeout(120)
def test_a_group_of_one_process_trains_like_no_group(tmp_path):
    """The loop's several-processes object over a real (gloo) group of one: the events and weights of the
    one-process object. Sync points every batch (interval 0), sums reduced, rank 0 deciding, DDP wrapping:
    with one process each of them must leave the numbers as they are."""
    import dataclasses

    import torch.distributed as tdist

    from cnnstudio.engine.train.trainer import fit
    from tests.engine.test_trainer import settings, toy_data, toy_model

    def run(dist, folder):
        model = toy_model()
        events = list(fit(model, toy_data(), settings(device="cpu"), checkpoint_dir=folder, batch_event_interval=0,
                          dist=dist))
        timing = {"elapsed", "eta", "images_per_second", "train_seconds", "path"}
        return [(type(e).__name__, {k: v for k, v in dataclasses.asdict(e).items() if k not in timing})
                for e in events], model

    alone, model_alone = run(None, tmp_path / "alone")
    tdist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{free_port()}", rank=0, world_size=1)
    try:
        grouped, model_grouped = run(DistContext(0, 1), tmp_path / "group")
    finally:
        tdist.destroy_process_group()
    assert grouped == alone and grouped[-1][0] == "RunFinished"
    for a, b in zip(model_alone.state_dict().values(), model_grouped.state_dict().values()):
        assert torch.equal(a, b)
