"""What each Train setting's tooltip says after its glossary entry (:func:`cnnstudio.project.glossary.tip`), in plain
words for someone who has never trained a network: what the setting does, when to change it and what the
recommended value does. A precise term (bf16, square root, SGD) comes only in a last, optional sentence. A setting
the glossary explains ("learning rate", "seed") gets its meaning from there; these words never say it again, and the
optimizer and the schedule need nothing more than their entries.
"""

from __future__ import annotations

TIPS: dict[str, str] = {
    "epochs": "Auto, the recommended choice, trains for as many epochs as fit in about a minute on this computer "
              "(the note below says how many). Choose more if the scores were still getting better when the last "
              "run ended.",
    "batch_size": "The recommended size suits how many pictures you have. Make it smaller if the computer runs out "
                  "of memory.",
    "auto_batch": "Only when training on an NVIDIA graphics card: use the largest batch that fits in the card's "
                  "memory, with a larger learning rate to match, which trains faster. Off unless you tick "
                  "it; on the processor the batch size above is always used. The run's details say what it chose.",
    "lr": "The recommended value suits most picture sets, or press “Find” to try several. Make it smaller (for "
          "example half) if the loss jumps up and down or the run fails. With the One-cycle schedule, this is the "
          "highest value training reaches.",
    "weight_decay": "The recommended value suits most picture sets. Raise it a little (for example to 0.001) if the "
                    "model does much better on its training pictures than on the validation pictures.",
    "label_smoothing": "0.1, the recommended value, means aiming for 90% sure instead of 100%; 0 turns it off.",
    "balanced": "Counts each picture of a class with few pictures more while training, so that the model does not "
                "simply ignore that class. Off unless you tick it: turn it on when one class has far fewer pictures "
                "than the others.",
    "patience": "How many epochs in a row without a better validation score before training stops early. Off, the "
                "recommended choice, trains every epoch; either way the best epoch is kept.",
    "no_validation": "Leave this unticked. Ticked, no pictures are held back to check the model while it trains, so "
                     "nothing tells you when it starts to learn its training pictures by heart "
                     "(overfitting); early stopping is off and the last epoch is kept.",
    "fine_tune": "Only for a design that starts from a pretrained backbone (transfer learning): first only the new "
                 "last layers learn, in seconds; then the whole network trains slowly for this many more epochs. "
                 "The fine-tuned model is kept only if it scores better on the validation pictures. Off, the "
                 "recommended choice, skips the second part. (The second part uses a tenth of the learning rate; "
                 "the first sees the pictures without augmentation.)",
    "mixed_precision": "On, the recommended choice, trains faster on an NVIDIA graphics card and changes nothing on "
                       "the processor. Turn it off if a run on a graphics card fails or its loss jumps up and down, "
                       "or to compare; the run's details say which was used. (bf16, or fp16 with loss scaling on "
                       "older cards; the weights stay 32-bit.)",
    "seed": "Change it to see how much a result owes to chance.",
    "device": "Where to train: a graphics card, if this computer has one, is much faster than the processor. "
              "Automatic, the recommended choice, picks the fastest.",
    "run_name": "The name this run gets in the runs list. Left empty, it is named after its design.",
    "advanced": "The optimizer, schedule, weight decay, label smoothing, early stopping and more. The recommended "
                "values suit most picture sets: each setting shows its recommended value under it.",
    "recommended": "Put every setting back to its recommended value for your pictures.",
}
