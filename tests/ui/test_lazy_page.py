"""A page that fails to build leaves a sentence and "Try again" in its place, not a blank page."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from cnnstudio.ui.workspace import LazyPage


def test_a_page_that_fails_to_build_offers_to_try_again(qtbot, monkeypatch):
    tries = []

    def build() -> QWidget:
        tries.append(1)
        if len(tries) == 1:
            raise OSError("No space left on device")
        return QLabel("the page")

    reported = []
    monkeypatch.setattr(sys, "excepthook", lambda *exc: reported.append(exc))
    holder = LazyPage(build)
    qtbot.addWidget(holder)
    with pytest.raises(OSError):  # the error goes on to the window's report
        holder.ensure()
    assert holder.page is None and holder.failed is not None
    words = holder.failed.findChild(QLabel).text()
    assert words.startswith("This page could not be opened: No space left on device.") and "safe" in words
    again = holder.failed.findChild(QPushButton)
    assert again.text() == "Try again"
    again.click()
    assert holder.page is not None and holder.page.text() == "the page" and holder.failed is None
    assert len(tries) == 2 and not reported
