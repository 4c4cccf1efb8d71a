"""Write the bundled sample dataset: scikit-learn's handwritten digits as PNGs, one folder per class.

The digits (UCI "Optical Recognition of Handwritten Digits", 1,797 images of 8x8 pixels, 16 grey
levels; BSD-licensed with scikit-learn) are upscaled to 28x28 with bilinear filtering so they look
like the MNIST digits people know, then written to ``resources/sample/<digit>/``.

Usage:  python scripts/make_sample_dataset.py [--csv path/to/digits.csv.gz]
Without --csv it reads the file from an installed scikit-learn (``pip install scikit-learn``); the
CSV is also inside scikit-learn's wheel at ``sklearn/datasets/data/digits.csv.gz``.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
from pathlib import Path

from PIL import Image

OUT = Path(__file__).resolve().parent.parent / "resources" / "sample"
SIZE = 28


def find_csv() -> Path:
    import sklearn.datasets  # noqa: PLC0415 - only the generator script needs scikit-learn

    return Path(sklearn.datasets.__file__).parent / "data" / "digits.csv.gz"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", type=Path, help="digits.csv.gz (default: from an installed scikit-learn)")
    args = ap.parse_args()
    csv = args.csv or find_csv()
    if OUT.exists():
        shutil.rmtree(OUT)
    counts: dict[int, int] = {}
    with gzip.open(csv, "rt") as f:
        for line in f:
            values = [int(v) for v in line.strip().split(",")]
            pixels, label = values[:64], values[64]
            small = Image.new("L", (8, 8))
            small.putdata([round(v * 255 / 16) for v in pixels])
            image = small.resize((SIZE, SIZE), Image.Resampling.BILINEAR)
            n = counts.get(label, 0)
            counts[label] = n + 1
            folder = OUT / str(label)
            folder.mkdir(parents=True, exist_ok=True)
            image.save(folder / f"{label}_{n:04d}.png", optimize=True)
    (OUT / "README.md").write_text(
        "# Sample dataset: handwritten digits\n\n"
        f"{sum(counts.values())} images, one folder per digit (0-9), {SIZE}x{SIZE} grey PNGs.\n\n"
        "Source: the UCI Optical Recognition of Handwritten Digits data as shipped with scikit-learn\n"
        "(`sklearn.datasets.load_digits`, BSD licence), 8x8 pixels upscaled bilinearly.\n"
        "Regenerate with `python scripts/make_sample_dataset.py`.\n"
    )
    print(f"wrote {sum(counts.values())} images to {OUT}: {dict(sorted(counts.items()))}")


if __name__ == "__main__":
    main()
