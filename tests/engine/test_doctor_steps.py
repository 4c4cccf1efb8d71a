"""The data check's progress between the features and the labels (QA: the bar stood still): comparing the pictures
reports each chunk of near-copy alignment and of colour reading, with the same results as in one go."""

from __future__ import annotations

import random

import torch
from PIL import Image

from cnnstudio.engine.data import quality
from cnnstudio.engine.events import DataProgress
from cnnstudio.engine.runs import near_copies
from cnnstudio.engine.use.neighbours import aligned_similarity, nearest


def _drain(gen):
    events = []
    while True:
        try:
            events.append(next(gen))
        except StopIteration as done:
            return events, done.value


def test_near_copies_are_aligned_in_chunks_with_progress():
    g = torch.Generator().manual_seed(0)
    tiny = torch.rand(40, quality.SIGNATURE_SIDE, quality.SIGNATURE_SIDE, generator=g)
    tiny[7] = tiny[3] * 0.9 + 0.05  # a copy, a little fainter
    signatures = torch.cat([tiny.flatten(1), quality.framed_luma(tiny)], 1)
    _, by_features = nearest(tiny.flatten(1) - tiny.flatten(1).mean(1, keepdim=True), k=10)
    events, (linked, cand, score) = _drain(near_copies.iter_same_pictures(signatures, by_features, chunk=8))
    assert [(e.done, e.total) for e in events] == [(a, 40) for a in range(0, 40, 8)]
    assert all(isinstance(e, DataProgress) and e.message == "looking for near copies" for e in events)
    whole = aligned_similarity(tiny, cand[:, :10])
    assert torch.allclose(score[:, :10], whole)  # chunked: the same numbers
    assert bool(linked[3][cand[3] == 7].any())


def test_the_colours_of_near_copies_are_read_with_progress(tmp_path):
    rng = random.Random(0)
    files = []
    for i in range(6):
        path = tmp_path / f"{i}.png"
        Image.new("RGB", (24, 24), tuple(rng.randrange(256) for _ in range(3))).save(path)
        files.append(path)
    linked = torch.ones(6, 2, dtype=torch.bool)
    cand = torch.tensor([[(i + 1) % 6, (i + 2) % 6] for i in range(6)])
    events, out = _drain(quality.iter_same_colours(files, linked, cand, every=4))
    assert [(e.done, e.total) for e in events] == [(0, 12), (4, 12), (8, 12)]
    assert events[1].message == "comparing the colours of near copies (4 of 12)"
    assert torch.equal(out, quality.same_colours(files, linked, cand))
