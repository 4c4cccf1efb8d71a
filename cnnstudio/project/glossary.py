"""Plain-language meanings of the precise words the window uses (one place: tooltips and the Help guide read it).

Every page keeps the exact term (``MACs``, ``weight decay``, ``F1``...) so a user can look it up elsewhere, and
shows :func:`tip` beside it: one sentence a person who has never trained a network understands. A word the app
says in two ways ("multiply-adds" and "MACs", "95% range" and "confidence interval", "top-3" for top-k) is one
entry with its other names in :data:`ALSO`: any of them finds it, and its heading shows them all.

The sentences say what the app does today; ``tests/engine/test_glossary_says_the_app.py`` holds the ones that
name a default (the optimiser, the schedule, the augmentation, the default recipe's threshold) to the engine's
values, and every word a page asks for to an entry here.
"""

from __future__ import annotations

import re

from .splits import AUTO_SPLIT

_SHARES = " / ".join(f"{s}%" for s in AUTO_SPLIT)
#: the range of a score, written as every figure of the app is ("95%", figures.percent), wherever a page, a command
#: or the report names it, and the one way the glossary finds it
RANGE_TERM = "95% range"

TERMS: dict[str, str] = {
    "epoch": "One pass over every training picture; training repeats this many times.",
    "batch size": "How many pictures the network looks at before it adjusts itself once; larger is faster "
                  "per picture but needs more memory.",
    "learning rate": "How big a step the network takes each time it adjusts itself: too small learns slowly, "
                     "too large never settles.",
    "optimizer": "The method that adjusts the network after each batch: AdamW, the default, is a forgiving "
                 "choice, and SGD with momentum sometimes ends a little better once its learning rate is well "
                 "chosen.",
    "schedule": "How the learning rate changes during training: one-cycle, the default, rises then falls and "
                "usually trains fastest.",
    "one-cycle": "The default learning-rate schedule: the rate climbs for the first 30% of training, then "
                 "falls smoothly to almost nothing, which usually trains fast and ends steady.",
    "weight decay": "A gentle pull of every weight towards zero, which discourages memorising the training "
                    "pictures.",
    "label smoothing": "Tells the network never to be 100% sure during training, which often makes its "
                       "confidence more honest.",
    "augmentation": "Small random changes to the training pictures each time they are used (by default a slight "
                    "turn of up to 10°, a shift of up to 10% and a zoom between 0.9 and 1.1) so the network "
                    "learns the object, not the exact photo. Mirroring is off unless you turn it on, because a "
                    "mirrored 2, b or arrow is a different thing.",
    "dropout": "Switches off a random share of the network's units while training so it cannot rely on any "
               "single one.",
    "batch norm": "Rescales each layer's output while training; it lets networks train faster and more "
                  "reliably.",
    "convolution": "A small window that slides over the picture looking for one pattern (an edge, a texture) "
                   "everywhere.",
    "kernel size": "The width and height, in pixels, of the window a convolution or pooling layer slides over "
                   "the picture.",
    "stride": "How many pixels a convolution's or pooling's window moves at each step: 1 looks everywhere, 2 "
              "halves the width and height of what comes out.",
    "padding": "A border of zeros added around the picture before a convolution so its window can also sit on "
               "the edges; 'same' adds just enough to keep the picture's size when the stride is 1.",
    "out channels": "How many filters a convolution has, so how many patterns it looks for and how many feature "
                    "maps it passes on; more can find more but cost time and memory.",
    "activation": "A step after a layer that bends its output, so the network can learn more than straight-line "
                  "rules; ReLU, the usual one, keeps positive numbers and turns negative ones into zero.",
    "pooling": "Shrinks the picture by keeping the strongest (max) or average value of each small patch.",
    "flatten": "Lays the feature maps out as one long list of numbers, so that fully connected layers can use "
               "them.",
    "fully connected": "A layer where every input is connected to every output; it turns found patterns into "
                       "a decision.",
    "residual block": "Two convolutions with a shortcut that adds the block's input to their output, which lets "
                      "deep networks (like ResNet) train well.",
    "softmax": "Turns the network's final scores into probabilities that add up to 100%.",
    "params": "Parameters: the numbers the network learns. More parameters can learn more but need more "
              "pictures.",
    "multiply-adds": "The multiplications (each with an addition) the network does for one picture: a measure "
                     "of how much work, so time, each prediction takes.",
    "from scratch": "Training a network that starts from random numbers and learns everything from your "
                    "pictures alone, with no pretrained part.",
    "pretrained": "Already trained, before it sees your pictures, on ImageNet: over a million everyday photos "
                  "of a thousand kinds of things.",
    "transfer learning": "Reusing a network pretrained on millions of photos and teaching only its last part "
                         "your classes; with few pictures it often beats training from scratch.",
    "backbone": "A ready-made network (MobileNetV2 or ResNet-18) used as the first part of a design to find "
                "patterns; pretrained, it brings what it learned from ImageNet's photos to your classes.",
    "frozen": "The backbone's weights are kept as they are and only the layers after it learn, which takes "
              "seconds.",
    "strength of regularisation": "How strongly the last layer is held back from fitting the training pictures too "
                                  "closely. A frozen backbone's last layer is fitted at several strengths in seconds, "
                                  "in place of epochs, and the one that scores best on the validation pictures is kept.",
    "fine-tune": "After the last layer has learned, the whole network is trained a little more at a lower "
                 "learning rate.",
    "default recipe": "What Start trains when nothing was changed: the recommended design and settings. With "
                      "fewer than 100 training pictures per class (and MobileNetV2's pretrained weights on this "
                      "computer) it also tries transfer learning and keeps whichever scores better on the "
                      "validation pictures, leaving both runs in the list.",
    "seed": "A number that fixes the random choices (which pictures go where, the starting weights, the order "
            "of pictures): the same seed and settings give the same result again.",
    "split": "Which of three parts a labelled picture is in: training (the network learns from it), validation "
             f"(used to choose) or test (a fair last check). Pictures are divided at random, {_SHARES} unless "
             "you choose other shares, and in the same shares for every class.",
    "validation": "Pictures held back from training and used for every choice: the best epoch, early stopping, "
                  "the default recipe's pick, the search for better settings and the advice.",
    "test": "Pictures kept out of training and out of every choice: each run shows its test score as a fair "
            "measure on pictures it has never seen, but nothing is chosen by it (validation pictures are used "
            "instead). A score used to choose would look better than the model really is.",
    "accuracy": "The share of pictures whose predicted class is the true class.",
    "precision": "Of the pictures the model called this class, the share that really are.",
    "recall": "Of the pictures that really are this class, the share the model found.",
    "F1": "One score that combines precision and recall (their harmonic mean); high only when both are high.",
    "confusion matrix": "A table of true class (rows) against predicted class (columns); everything off the "
                        "diagonal is a mistake.",
    RANGE_TERM: "Where the score on many more pictures like these would very likely (95%) fall, written like "
                "“likely 83–99%”: the fewer pictures were scored, the wider the range.",
    "loss": "How far the model's answers are from the true classes, counting how sure it was: lower is better, "
            "and a confident mistake costs the most.",
    "Grad-CAM": "A heat map of the parts of the picture that pushed the model towards its answer.",
    "top-k": "Whether the true class was among the model's k most likely answers: top-3 counts a picture as "
             "right when its class is among the model's 3 best guesses.",
    "overfitting": "When the network learns its training pictures by heart instead of what makes each class: "
                   "it scores much better on them than on the validation pictures it has never seen.",
    "underfitting": "When the network has not learned much yet, not even from its training pictures: it needs more "
                    "epochs, a higher learning rate or a bigger design.",
    "early stopping": "Ends training when the validation score has stopped improving for a while.",
    "mixed precision": "On an NVIDIA graphics card, computing with 16-bit numbers where it is safe, which trains "
                       "faster in less memory; everywhere else the app computes with 32-bit numbers.",
    "class": "One kind of thing the model learns to tell apart, such as “cat” or “dog”; every labelled picture "
             "belongs to one class.",
    "label": "The class a picture is marked with, from its folder's name or a number key: the model learns only "
             "from labelled pictures.",
    "model": "What training makes: the network with the numbers it learned from your pictures, which names the "
             "class of a new picture and how sure it is.",
    "run": "One training of one design with one set of settings: every run is kept in the Train page's list with "
           "its model, scores and plots, so you can compare them.",
    "leak": "The same picture, or almost the same, both in training and in validation or test: the model has "
            "already seen it, so the score looks better than it really is.",
    "near duplicate": "Two pictures that are almost the same, such as one photo saved twice in different sizes; "
                      "it counts twice in training, and in two splits it is a leak.",
    "unreadable picture": "A file that was imported as a picture but cannot be opened any more, because it is "
                          "damaged, gone or not really a picture.",
    "unusable picture": "A picture that holds almost nothing to learn from, such as one that is nearly all one "
                        "colour, very blurred, very dark or far smaller than the network's input.",
    "unusual picture": "A picture unlike every other one in the project, which may be in the wrong place or a "
                       "mistake; many are fine, but each is worth a look.",
    "unlike the training pictures": "A hint, not a promise, that the model may not know what a new picture shows: "
                                    "the picture is compared, the way the model sees it, with the pictures it learned "
                                    "from and marked when it is less like them than almost all of the validation "
                                    "pictures were.",
    "normalise": "Scaling the pixel values into a small, even range before the network sees them (0 to 1, or "
                 "centred with the training pictures' mean and spread), which helps it learn steadily.",
    "CSV": "A plain table file, one line per row with commas between the values, that any spreadsheet program "
           "such as Excel or LibreOffice opens.",
    "ONNX": "A file format for a trained model that many other programs can run, in Python, C#, Java, "
            "JavaScript or C++ and on phones, without CNN Studio.",
    "TorchScript": "A file format for a trained model that programs written with PyTorch, in Python or C++, can "
                   "load and run without CNN Studio.",
    "trial": "One training run with one set of settings, during a search for better settings.",
    "pruned": "A trial stopped early because it was clearly doing worse than others at the same point.",
    "importance": "How much each setting changed the result across the trials so far.",
}

#: Other names the app uses for an entry (a page's "MACs", the report's "Wilson interval", Evaluate's "top-3").
ALSO: dict[str, tuple[str, ...]] = {
    "multiply-adds": ("MACs",),
    RANGE_TERM: ("confidence interval", "Wilson interval"),
    "top-k": ("top-3",),
    "activation": ("ReLU",),
    "pretrained": ("ready-trained network",),  # the Train page's end-of-run sentence
    # the Check data groups' titles (engine/runs/doctor_findings.GROUPS) that hold no entry's name
    "leak": ("copies in more than one split",),
    "unreadable picture": ("pictures that cannot be read",),
    "unusable picture": ("pictures that may be unusable",),
    "unusual picture": ("outlier",),
    "normalise": ("normalisation",),
    "unlike the training pictures": ("unlike training",),  # the Predict page's short form (engine/use/novelty_words)
}

def _key(term: str) -> str:
    """How a word is looked up: case-insensitive, its ends trimmed."""
    return term.strip().lower()


_LOWER = {_key(k): k for k in TERMS} | {_key(a): k for k, names in ALSO.items() for a in names}


def _entry(term: str) -> str:
    key = _LOWER.get(_key(term))
    if key is None:
        raise KeyError(f"'{term}' is not in the glossary")
    return key


def explain(term: str) -> str:
    """The one-sentence meaning of ``term`` or one of its other names (case-insensitive); KeyError for a word not
    in the glossary."""
    return TERMS[_entry(term)]


def heading(term: str) -> str:
    """The entry's name with its other names: "multiply-adds (MACs)" for ``MACs``."""
    key = _entry(term)
    return f"{key} ({', '.join(ALSO[key])})" if key in ALSO else key


def tip(term: str, *more: str) -> str:
    """Tooltip text: '<heading>: <meaning>' for each term given, one per line."""
    return "\n".join(f"{heading(t)}: {explain(t)}" for t in (term, *more))


def guide_rows() -> list[tuple[str, str]]:
    """Every entry's heading with its meaning, alphabetically, for the Help guide."""
    return [(heading(k), TERMS[k]) for k in sorted(TERMS, key=str.lower)]


def _has_word(text: str, needle: str) -> bool:
    """Whether a word of ``text`` starts with ``needle`` ("test" is not found in "fastest"; "MAC" finds "MACs")."""
    return re.search(r"(?<!\w)" + re.escape(needle), text, re.IGNORECASE) is not None


def _holds_name(words: str, name: str) -> bool:
    """Whether ``words`` hold ``name`` as whole words, or its plural ("Near duplicates" holds "near duplicate",
    "Classes" holds "class"; "fastest" holds no "test")."""
    return re.search(r"(?<!\w)" + re.escape(name) + r"(?:s|es)?(?!\w)", words, re.IGNORECASE) is not None


def find(words: str) -> list[tuple[str, str]]:
    """The guide's rows that ``words`` finds: the entries it names first (by any of their names), then those whose
    names it holds (a page's title such as "Labels that may be wrong" finds "label"), then those whose meaning uses
    it, each group alphabetical; every row for an empty search."""
    needle = " ".join(words.split())
    if not needle:
        return guide_rows()
    keys = sorted(TERMS, key=str.lower)
    named = [k for k in keys if _has_word(heading(k), needle)]
    held = [k for k in keys if k not in named and any(_holds_name(needle, n) for n in (k, *ALSO.get(k, ())))]
    meant = [k for k in keys if k not in named and k not in held and _has_word(TERMS[k], needle)]
    return [(heading(k), TERMS[k]) for k in named + held + meant]
