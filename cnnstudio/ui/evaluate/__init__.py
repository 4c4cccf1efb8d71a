"""The Evaluate step: confusion matrix, per-class scores and the mistakes of a trained model."""
