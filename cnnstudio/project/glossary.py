"""Plain-language meanings of the precise words the window uses (one place: tooltips and the Help guide read it).

Every page keeps the exact term (``MACs``, ``weight decay``, ``F1``...) so a user can look it up elsewhere, and
shows :func:`tip` beside it: one sentence a person who has never trained a network understands.
"""

from __future__ import annotations

TERMS: dict[str, str] = {
    "epoch": "One pass over every training picture; training repeats this many times.",
    "batch size": "How many pictures the network looks at before it adjusts itself once; larger is faster "
                  "per picture but needs more memory.",
    "learning rate": "How big a step the network takes each time it adjusts itself: too small learns slowly, "
                     "too large never settles.",
    "optimizer": "The method that adjusts the network after each batch (Adam is a safe choice; SGD with "
                 "momentum sometimes ends a little better).",
    "schedule": "How the learning rate changes during training (one-cycle rises then falls; it usually trains "
                "fastest).",
    "weight decay": "A gentle pull of every weight towards zero, which discourages memorising the training "
                    "pictures.",
    "label smoothing": "Tells the network never to be 100 % sure during training, which often makes its "
                       "confidence more honest.",
    "augmentation": "Small random changes to training pictures (flips, shifts, colour) so the network learns "
                    "the object, not the exact photo.",
    "dropout": "Switches off a random share of the network's units while training so it cannot rely on any "
               "single one.",
    "batch norm": "Rescales each layer's output while training; it lets networks train faster and more "
                  "reliably.",
    "convolution": "A small window that slides over the picture looking for one pattern (an edge, a texture) "
                   "everywhere.",
    "kernel size": "The width and height, in pixels, of the window a convolution or pooling layer slides over "
                   "the picture.",
    "pooling": "Shrinks the picture by keeping the strongest (max) or average value of each small patch.",
    "fully connected": "A layer where every input is connected to every output; it turns found patterns into "
                       "a decision.",
    "softmax": "Turns the network's final scores into probabilities that add up to 100 %.",
    "params": "Parameters: the numbers the network learns. More parameters can learn more but need more "
              "pictures.",
    "MACs": "Multiply-accumulate operations for one picture: a measure of how much work (time) the network "
            "needs per prediction.",
    "backbone": "A network already trained on over a million photos (ImageNet) whose pattern detectors are "
                "reused for your classes.",
    "frozen": "The backbone's weights are kept as they are; only the new last layer learns, which takes "
              "seconds.",
    "fine-tune": "After the last layer has learned, the whole network is trained a little more at a lower "
                 "learning rate.",
    "validation": "Pictures held back from training and used to choose the best epoch and settings; the "
                  "network never learns from them.",
    "test": "Pictures looked at once, at the end, to report how well the finished model does on pictures it "
            "has never seen.",
    "accuracy": "The share of pictures whose predicted class is the true class.",
    "precision": "Of the pictures the model called this class, the share that really are.",
    "recall": "Of the pictures that really are this class, the share the model found.",
    "F1": "One score that combines precision and recall (their harmonic mean); high only when both are high.",
    "confusion matrix": "A table of true class (rows) against predicted class (columns); everything off the "
                        "diagonal is a mistake.",
    "confidence interval": "The range the true accuracy very likely lies in (95 %), given how many pictures "
                           "were scored: the fewer pictures, the wider the range.",
    "loss": "How far the model's answers are from the true classes, counting how sure it was: lower is better, "
            "and a confident mistake costs the most.",
    "Grad-CAM": "A heat map of the parts of the picture that pushed the model towards its answer.",
    "top-k": "Whether the true class was among the model's k most likely answers.",
    "early stopping": "Ends training when the validation score has stopped improving for a while.",
    "trial": "One training run with one set of settings, during a search for better settings.",
    "pruned": "A trial stopped early because it was clearly doing worse than others at the same point.",
    "importance": "How much each setting changed the result across the trials so far.",
}

_LOWER = {k.lower(): k for k in TERMS}


def explain(term: str) -> str:
    """The one-sentence meaning of ``term`` (case-insensitive); KeyError for a word not in the glossary."""
    key = _LOWER.get(term.strip().lower())
    if key is None:
        raise KeyError(f"'{term}' is not in the glossary")
    return TERMS[key]


def tip(term: str, *more: str) -> str:
    """Tooltip text: '<term>: <meaning>' for each term given, one per line."""
    return "\n".join(f"{_LOWER[t.lower()]}: {explain(t)}" for t in (term, *more))


def guide_rows() -> list[tuple[str, str]]:
    """Every term with its meaning, alphabetically, for the Help guide."""
    return sorted(TERMS.items(), key=lambda kv: kv[0].lower())
