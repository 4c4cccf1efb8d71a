"""Giving the data check's memory back to the computer once the check ends (:func:`give_back`).

The check decodes every picture (a 4000 x 3000 JPEG is 36 MB of pixels), runs MobileNetV2 in batches and trains a
linear classifier per fold; Python and PyTorch free those buffers, but the C library keeps the freed memory in its
heaps (one per thread that allocated: the decoding threads, PyTorch's) and the app looked as large after the check as
at its peak. On Linux (glibc) ``malloc_trim(0)`` hands the free parts of those heaps back; elsewhere nothing is done
(macOS and Windows return large blocks by themselves). Measured by benchmarks/bench_doctor.py section 5.
"""

from __future__ import annotations

import ctypes
import gc
import sys


def give_back() -> bool:
    """Collect Python's garbage, then ask glibc to return its free heap memory; whether that could be asked."""
    gc.collect()
    if not sys.platform.startswith("linux"):
        return False
    try:
        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # another C library (musl): nothing to ask
        return False
    trim(0)
    return True


__all__ = ["give_back"]
