"""CUDA checks from the issue-21 review (its findings by number: QA GPU #1-#17), one JSON line per check on stdout.

Each check is independent and time-boxed by its sizes (about 60-90 s in all on an H200); ``run.sh`` runs it beside
the tests. Without CUDA the CUDA-only checks say "skipped"; ``--small`` runs them all on the CPU at tiny sizes, to
try the script here before a device call. ``--only=env,compile_fails_lazily`` runs only the checks named. What to
read in each line: ``README.md`` beside this file.

    .venv/bin/python benchmarks/gpu/gpu_checks.py [--small] [--only=NAME,...]
"""
import json
import socket
import sys
import tempfile
import threading
import time
import traceback
import warnings
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

import cnnstudio.engine.train.precision as precision_mod  # noqa: E402
from cnnstudio.engine.data.prepare import from_tensors  # noqa: E402
from cnnstudio.engine.data.preprocess import Preprocess  # noqa: E402
from cnnstudio.engine.events import BatchEnd, RunFailed, RunFinished, RunStarted  # noqa: E402
from cnnstudio.engine.model.build import build_model  # noqa: E402
from cnnstudio.engine.model.presets import PRESETS  # noqa: E402
from cnnstudio.engine.train.settings import TrainSettings  # noqa: E402
from cnnstudio.engine.train.trainer import TrainData, fit  # noqa: E402

CUDA = torch.cuda.is_available()
DEV = "cuda" if CUDA else "cpu"
SMALL = "--small" in sys.argv  # CPU try-out: tiny sizes, the CUDA-only checks run on the CPU where they can
N = 512 if SMALL else 8000
G = torch.device(DEV)
ONLY = next((a.split("=", 1)[1].split(",") for a in sys.argv if a.startswith("--only=")), None)
results = {}


def check(cuda_only=False):
    def deco(fn):
        t0 = time.perf_counter()
        if ONLY is not None and fn.__name__ not in ONLY:
            return fn
        if cuda_only and not CUDA and not SMALL:
            r = {"skipped": "no CUDA"}
        else:
            try:
                r = fn()
            except Exception as e:  # noqa: BLE001
                r = {"error": f"{type(e).__name__}: {e}"[:600], "trace": traceback.format_exc()[-1500:]}
        r["seconds"] = round(time.perf_counter() - t0, 1)
        results[fn.__name__] = r
        print(json.dumps({fn.__name__: r}), flush=True)
        if CUDA:
            torch.cuda.empty_cache()
        return fn
    return deco


def synthetic(n, side=32, seed=0):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 10, (n,), generator=g)
    x = torch.randint(0, 90, (n, 3, side, side), generator=g, dtype=torch.uint8)
    t = torch.zeros(10, 3, side, side, dtype=torch.uint8)
    for c in range(10):
        r, col = (c // 5) * (side // 2), (c % 5) * (side // 5)
        t[c, c % 3, r + 2:r + side // 4 + 2, col:col + side // 5] = 150
    return (x + t[y]).contiguous(), y


X, Y = synthetic(N)
PP = Preprocess(height=32, width=32, channels=3, normalization="unit")


def data(n=N, val=True):
    k = n * 7 // 8 if val else n
    return TrainData(from_tensors(X[:k], Y[:k]), from_tensors(X[k:n], Y[k:n]) if val else None, PP)


def model(preset="default", seed=0, side=32):
    torch.manual_seed(seed)
    return build_model(PRESETS[preset](side, side, 3), 10)


def settings(**kw):
    base = dict(epochs=2, batch_size=256, lr=3e-3, schedule="one_cycle", preprocess=PP, device=DEV, compile="off")
    base.update(kw)
    return TrainSettings(**base)


def run(m, d, s, **kw):
    evs = list(fit(m, d, s, **kw))
    start = next((e for e in evs if isinstance(e, RunStarted)), None)
    end = evs[-1]
    out = {"end": type(end).__name__}
    if start is not None:
        out.update(device=start.device, precision=start.precision, notes=start.speed_notes,
                   batches=start.batches_per_epoch)
    if isinstance(end, RunFailed):
        out.update(reason=end.reason, details=(end.details or "")[-1200:])
    if isinstance(end, RunFinished):
        out.update(val_acc=round(end.best_val_accuracy, 4), ips=round(end.images_per_second))
    return out, evs


def max_diff(a, b):
    return max((x.float().cpu() - y.float().cpu()).abs().max().item()
               for x, y in zip(a.state_dict().values(), b.state_dict().values()))


@check()
def env():
    r = {"torch": torch.__version__, "cuda": torch.version.cuda, "device": DEV}
    if CUDA:
        r.update(name=torch.cuda.get_device_name(), capability=torch.cuda.get_device_capability(),
                 bf16_native=precision_mod.cuda_bf16(torch.device("cuda")),
                 cudnn=torch.backends.cudnn.version(), mem_gb=round(torch.cuda.mem_get_info()[1] / 2**30, 1),
                 precision_chosen=precision_mod.Precision.for_run(True, torch.device("cuda")).name)
    return r


@check(cuda_only=True)
def fused_adamw_channels_last_state():
    """Optimizer state loaded as contiguous NCHW (what a checkpoint holds) into channels_last params."""
    def go(fused, reload, device):
        torch.manual_seed(0)
        conv = nn.Conv2d(3, 8, 3).to(device).to(memory_format=torch.channels_last)
        opt = torch.optim.AdamW(conv.parameters(), lr=0.1, fused=fused)
        x = torch.randn(4, 3, 8, 8, device=device).contiguous(memory_format=torch.channels_last)
        for i in range(3):
            conv(x).square().mean().backward()
            opt.step()
            opt.zero_grad()
            if i == 0 and reload:
                sd = opt.state_dict()
                for st in sd["state"].values():
                    for k, v in st.items():
                        if torch.is_tensor(v) and v.dim() > 1:
                            st[k] = v.contiguous().clone()
                opt.load_state_dict(sd)
        return conv.weight.detach().cpu()
    out = {}
    for device in (("cpu", "cuda") if CUDA else ("cpu",)):
        ref = go(False, False, device)
        for fused in (False, True):
            try:
                out[f"{device}_fused={fused}_reloaded_diff"] = (go(fused, True, device) - ref).abs().max().item()
            except Exception as e:  # noqa: BLE001
                out[f"{device}_fused={fused}_reloaded_diff"] = f"{type(e).__name__}: {str(e)[:200]}"
    return out


@check(cuda_only=True)
def autocast_dtypes():
    m = model().to(G).train()
    p = precision_mod.Precision.for_run(True, G)
    seen = {}

    def hook(mod, inp, out):
        seen.setdefault(type(mod).__name__, (str(inp[0].dtype), str(out.dtype)))
    for mod in m.modules():
        if isinstance(mod, (nn.Conv2d, nn.BatchNorm2d, nn.Linear)):
            mod.register_forward_hook(hook)
    x = torch.randn(64, 3, 32, 32, device=G)
    y = torch.randint(0, 10, (64,), device=G)
    with p.autocast():
        logits = m(x)
    loss = nn.functional.cross_entropy(logits.float(), y)
    loss.backward()
    bn = next(mod for mod in m.modules() if isinstance(mod, nn.BatchNorm2d))
    return {"precision": p.name, "module_in_out": seen, "logits": str(logits.dtype), "loss": str(loss.dtype),
            "param": str(next(m.parameters()).dtype), "grad": str(next(m.parameters()).grad.dtype),
            "bn_running_mean": str(bn.running_mean.dtype)}


@check(cuda_only=True)
def syncs_per_step():
    """torch.cuda sync debug mode over a whole fit: how many synchronising calls per optimiser step?"""
    d, s = data(), settings(epochs=2)
    m = model()
    if CUDA:
        torch.cuda.set_sync_debug_mode("warn")
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out, evs = run(m, d, s, batch_event_interval=0.1)
    finally:
        if CUDA:
            torch.cuda.set_sync_debug_mode(0)
    msgs = Counter(str(w.message).splitlines()[0][:120] for w in caught if "synchroniz" in str(w.message))
    out.update(sync_warnings=sum(msgs.values()), steps=2 * out.get("batches", 0),
               batch_events=sum(isinstance(e, BatchEnd) for e in evs), kinds=dict(msgs.most_common(8)))
    return out


@check(cuda_only=True)
def fp16_with_scaler():
    """An older card's path on the H200: fp16 autocast + GradScaler + fused AdamW (cuda_bf16 forced False)."""
    real = precision_mod.cuda_bf16
    precision_mod.cuda_bf16 = lambda device: False
    try:
        fp16, _ = run(model(), data(), settings(epochs=3))
    finally:
        precision_mod.cuda_bf16 = real
    bf16, _ = run(model(), data(), settings(epochs=3))
    fp32, _ = run(model(), data(), settings(epochs=3, mixed_precision=False))
    return {"fp16": fp16, "bf16": bf16, "fp32": fp32}


@check(cuda_only=True)
def compile_on_with_val_and_short_last_batch():
    import torch._dynamo.utils as du
    du.counters.clear()
    d = data(n=N - 100)  # the last batch is shorter: the eager path
    on, _ = run(model(), d, settings(epochs=3, batch_size=512, compile="on"))
    off, _ = run(model(), d, settings(epochs=3, batch_size=512, compile="off"))
    counters = {k: dict(v) for k, v in du.counters.items() if k in ("stats", "inductor", "recompiles")}
    return {"on": on, "off": off, "dynamo_counters": {k: {kk: vv for kk, vv in v.items() if "skip" in kk
                                                          or "unique" in kk or "calls" in kk or "recompil" in kk}
                                                      for k, v in counters.items()}}


@check(cuda_only=True)
def compile_fails_lazily():
    def bad_backend(gm, example_inputs):
        raise RuntimeError("planted backend failure")
    out, _ = run(model(), data(), settings(epochs=1, compile="on"),
                 compile_fn=lambda m, dev: torch.compile(m, backend=bad_backend))
    return out


@check(cuda_only=True)
def auto_batch_under_memory_cap():
    """Auto batch size with the allocator capped at 4 GiB: a real OutOfMemoryError ends the search and the run
    then trains at the batch chosen (no OOM in the run itself)."""
    side, n = (96, 16400) if CUDA else (32, 2000)
    xs, ys = synthetic(n, side=side, seed=1)
    pp = Preprocess(height=side, width=side, channels=3, normalization="unit")
    d = TrainData(from_tensors(xs, ys), None, pp)
    if CUDA:
        torch.cuda.reset_peak_memory_stats()
        torch.cuda.set_per_process_memory_fraction(4 * 2**30 / torch.cuda.mem_get_info()[1])
    try:
        s = settings(epochs=1, batch_size=64, preprocess=pp, auto_batch_size=True, validation=False)
        out, _ = run(model("resnet_small", side=side), d, s)
    finally:
        if CUDA:
            torch.cuda.set_per_process_memory_fraction(1.0)
    if CUDA:
        out["peak_allocated_gb"] = round(torch.cuda.max_memory_allocated() / 2**30, 2)
    return out


@check(cuda_only=True)
def auto_batch_start_too_big():
    """Auto batch size when even the settings' batch does not fit (allocator capped at 1.5 GiB, batch 1024): does
    the search go down, or does the run start at a batch that runs out of memory?"""
    side, n = (96, 16400) if CUDA else (32, 2000)
    xs, ys = synthetic(n, side=side, seed=1)
    pp = Preprocess(height=side, width=side, channels=3, normalization="unit")
    d = TrainData(from_tensors(xs, ys), None, pp)
    if CUDA:
        torch.cuda.set_per_process_memory_fraction(1.5 * 2**30 / torch.cuda.mem_get_info()[1])
    try:
        s = settings(epochs=1, batch_size=1024, preprocess=pp, auto_batch_size=True, validation=False)
        out, _ = run(model("resnet_small", side=side), d, s)
    finally:
        if CUDA:
            torch.cuda.set_per_process_memory_fraction(1.0)
    return out


@check(cuda_only=True)
def checkpoint_overhead():
    """The same short-epoch run with and without a checkpoint every epoch (4,000 pictures, batch 64, 20 epochs):
    on a card an epoch takes a fraction of a second. Rough: the tests run beside this script."""
    d = data(n=4500)
    out = {}
    for label, ck in (("no_checkpoint", None), ("checkpoint_every_epoch", Path(tempfile.mkdtemp()))):
        t0 = time.perf_counter()
        r, _ = run(model(), d, settings(epochs=20, batch_size=64), checkpoint_dir=ck)
        out[label] = {"wall_s": round(time.perf_counter() - t0, 2), "ips": r.get("ips"), "end": r["end"]}
    return out


@check(cuda_only=True)
def resume_matches_uninterrupted():
    """Stop in epoch 2, resume, compare with an uninterrupted run (fp32, cuDNN deterministic), channels_last
    on and off; then a CPU checkpoint resumed on the card and a card checkpoint resumed on the CPU."""
    torch.backends.cudnn.deterministic = True
    out = {}
    try:
        d = data(n=2048)
        for cl in ("off", "on"):
            s = settings(epochs=3, batch_size=128, mixed_precision=False, channels_last=cl, validation=False)
            tmp = Path(tempfile.mkdtemp())
            ref = model()
            run(ref, d, s, checkpoint_dir=tmp / "ref")
            m, stop = model(), threading.Event()
            for ev in fit(m, d, s, checkpoint_dir=tmp / "ck", stop=stop, batch_event_interval=0):
                if isinstance(ev, BatchEnd) and ev.epoch == 2 and ev.batch == 2:
                    stop.set()
            r = model(seed=99)
            res, _ = run(r, d, s, checkpoint_dir=tmp / "ck", resume=True)
            out[f"cuda_channels_last_{cl}"] = {"end": res["end"], "max_diff": max_diff(ref, r)}
        for a, b in ((("cpu", "cuda"), ("cuda", "cpu")) if CUDA else ()):
            tmp = Path(tempfile.mkdtemp())
            m, stop = model(), threading.Event()
            for ev in fit(m, d, settings(epochs=3, batch_size=128, device=a, validation=False), checkpoint_dir=tmp,
                          stop=stop, batch_event_interval=0):
                if isinstance(ev, BatchEnd) and ev.epoch == 2 and ev.batch == 2:
                    stop.set()
            res, _ = run(model(seed=99), d, settings(epochs=3, batch_size=128, device=b, validation=False),
                         checkpoint_dir=tmp, resume=True)
            out[f"{a}_to_{b}"] = res
    finally:
        torch.backends.cudnn.deterministic = False
    return out


@check(cuda_only=True)
def ddp_one_process_nccl():
    import torch.distributed as tdist
    from cnnstudio.engine.train.distributed import DistContext
    with socket.socket() as sk:
        sk.bind(("127.0.0.1", 0))
        port = sk.getsockname()[1]
    backend = "cpu:gloo,cuda:nccl" if CUDA else "gloo"
    tdist.init_process_group(backend, init_method=f"tcp://127.0.0.1:{port}", rank=0, world_size=1)
    try:
        grouped, _ = run(model(), data(), settings(), dist=DistContext(0, 1, backend=backend))
    finally:
        tdist.destroy_process_group()
    alone, _ = run(model(), data(), settings())
    return {"grouped": grouped, "alone": alone}


@check(cuda_only=True)
def determinism_same_seed():
    a, b = model(), model()
    ra, _ = run(a, data(), settings())
    rb, _ = run(b, data(), settings())
    return {"bf16_max_weight_diff": max_diff(a, b), "val_acc": [ra.get("val_acc"), rb.get("val_acc")]}


@check(cuda_only=True)
def scoring_on_the_card():
    from cnnstudio.engine.device import pick_device
    from cnnstudio.engine.use.batching import scoring_batch, scoring_device
    from cnnstudio.engine.use.evaluate import predict_logits
    m = model().eval()
    cpu = predict_logits(m, X[:2000], PP, "cpu")
    t0 = time.perf_counter()
    gpu = predict_logits(m.to(G), X[:2000], PP, G)
    return {"default_devices": {"evaluate_or_folder": str(pick_device(scoring_device())),
                                "one_picture": str(pick_device(scoring_device(1)))},
            "batch_cuda": scoring_batch(m, (3, 32, 32), G, 256),
            "max_logit_diff_cpu_vs_cuda": (cpu - gpu).abs().max().item(),
            "argmax_agree": (cpu.argmax(1) == gpu.argmax(1)).float().mean().item(),
            "cuda_seconds": round(time.perf_counter() - t0, 3)}


@check(cuda_only=True)
def memory_of_a_run():
    if CUDA:
        torch.cuda.reset_peak_memory_stats()
    out, _ = run(model(), data(), settings(batch_size=512))
    if CUDA:
        out["peak_allocated_gb"] = round(torch.cuda.max_memory_allocated() / 2**30, 3)
        out["peak_reserved_gb"] = round(torch.cuda.max_memory_reserved() / 2**30, 3)
    return out


print(json.dumps({"all": results}), flush=True)
