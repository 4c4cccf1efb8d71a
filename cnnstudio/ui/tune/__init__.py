"""The Tune step: search for better settings (a study of many runs, engine/tune), watch it, use the best."""
