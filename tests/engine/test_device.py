"""How the device a run trained on is named in its record."""

from __future__ import annotations


def test_the_cpu_is_named_with_its_threads_counted_in_words():
    import torch

    from cnnstudio.engine.device import device_name

    before = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        assert device_name(torch.device("cpu")) == "CPU (1 thread)"
        torch.set_num_threads(2)
        assert device_name(torch.device("cpu")) == "CPU (2 threads)"
    finally:
        torch.set_num_threads(before)
