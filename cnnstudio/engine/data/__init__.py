"""Pictures to tensors: which images a run uses (entries), preprocessing, the tensor cache, preparing a run's
data, augmentation.
"""
