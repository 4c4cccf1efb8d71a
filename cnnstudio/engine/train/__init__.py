"""Training: the loop (trainer), what differs with several processes behind one object (processes), the
run clock (clock), its settings, checkpoints, several processes (distributed).
"""
