"""The Predict step: probabilities for new pictures, batch prediction to CSV, Grad-CAM, export."""
