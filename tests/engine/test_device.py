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


def _in_new_thread(fn):
    import threading

    out = []
    t = threading.Thread(target=lambda: out.append(fn()))
    t.start()
    t.join()
    return out[0]


def test_one_thread_is_for_its_own_thread_and_gives_the_count_back():
    import torch

    from cnnstudio.engine.device import one_thread

    before, new_thread = torch.get_num_threads(), _in_new_thread(torch.get_num_threads)
    with one_thread():
        assert torch.get_num_threads() == 1
        assert _in_new_thread(torch.get_num_threads) == new_thread  # Predict's model load meanwhile: every core
    assert torch.get_num_threads() == before and _in_new_thread(torch.get_num_threads) == new_thread


def test_overlapping_one_thread_in_two_threads_ending_in_the_other_order_leave_the_counts_as_they_were():
    """The data check in a worker thread beside a frozen head's fit in another: the first in ends first."""
    import torch

    from cnnstudio.engine.device import one_thread

    before = torch.get_num_threads()
    torch.set_num_threads(2)  # the test needs more than one thread to see a count left at 1
    try:
        _overlap_in_two_threads(one_thread)
    finally:
        torch.set_num_threads(before)


def _overlap_in_two_threads(one_thread):
    import threading

    import torch

    new_thread = _in_new_thread(torch.get_num_threads)
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    inside: dict[str, int] = {}

    def first():
        with one_thread():
            inside["first"] = torch.get_num_threads()
            first_in.set()
            second_in.wait()
        first_out.set()

    def second():
        first_in.wait()
        with one_thread():
            inside["second"] = torch.get_num_threads()
            second_in.set()
            first_out.wait()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert inside == {"first": 1, "second": 1}
    assert torch.get_num_threads() == 2
    assert _in_new_thread(torch.get_num_threads) == new_thread == 2  # was 1 for every later thread, for good
