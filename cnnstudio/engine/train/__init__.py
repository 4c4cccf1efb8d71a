"""Training: the loop (trainer), its settings, checkpoints, several processes (distributed).
"""
