"""What each split of the pictures is for, in the words every place that shows a score uses: one rule in one place.

Validation pictures are for comparing models and choosing one. Test pictures are looked at once, at the end: a test
score used to choose a model, or to decide what to change next, is no longer an honest estimate of how the model does
on new pictures. So wherever a test score is shown, :data:`TEST_FOR_THE_END` is said beside it: under the headline of
the Evaluate page on test pictures (``ui/evaluate/split_words.py``), after the result of ``cnnstudio train``
(``cli/train_result.py``) and under ``cnnstudio evaluate``'s scores on the test split (``cli/evaluate_cmds.py``).
"""

from __future__ import annotations

TEST_FOR_THE_END = ("Test pictures are for the end: compare models on validation pictures; a test score you use to "
                    "choose a model stops being honest.")

#: Where wrong labels among test pictures are looked for: not where the model erred (relabelling only those flatters
#: later test scores) but by the data check, which checks every label alike: the Evaluate page's test mistakes
#: (``ui/evaluate/mistake_words.TEST_NOTE``) and the advice on classes mixed up on test pictures say it.
FAIR_LABEL_CHECK = ("To find wrong labels fairly, use Check data on the Data page: it checks every picture's label, "
                    "the test pictures' too.")

__all__ = ["FAIR_LABEL_CHECK", "TEST_FOR_THE_END"]
