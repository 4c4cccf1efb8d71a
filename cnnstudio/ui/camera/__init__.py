"""The camera: frame sources (a webcam or a video file), the Data step's collecting panel, live prediction."""
