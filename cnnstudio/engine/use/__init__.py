"""Using a trained model: the model bundle, evaluation, prediction, saliency (Grad-CAM), export.
"""
