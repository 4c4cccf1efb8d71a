"""What the camera row says while a video file plays in place of a camera (Qt-free; :class:`.preview.SourceBar`
shows it): the video's name in the camera box, "Stop video" on the button, and one sentence when the video ends
(a burst being recorded then stops with it, and is added as usual)."""

from __future__ import annotations

STOP_VIDEO = "Stop video"
STOP_VIDEO_TIP = "Stop playing the video."


def video_in_box(name: str) -> str:
    """The camera box's one entry while the video ``name`` plays: "Video: noisy1.avi"."""
    return f"Video: {name}"


def video_ended(name: str) -> str:
    """Said under the row when the video ``name`` has played to its end."""
    return f"The video {name} ended. Press Video file… to play it again."


__all__ = ["STOP_VIDEO", "STOP_VIDEO_TIP", "video_ended", "video_in_box"]
