"""Runs stored in a project, the layer that ties the others to it: a run's life (lifecycle), the training
child process, jobs packed to train elsewhere and their archive format.
"""
