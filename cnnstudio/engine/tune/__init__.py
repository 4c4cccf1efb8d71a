"""Tuning: hyperparameter and structure search with Optuna, every trial an ordinary run (see study.py)."""
