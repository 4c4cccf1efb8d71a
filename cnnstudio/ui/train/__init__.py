"""The Train step: training settings, the background training thread, live plots and the runs list."""
