"""Telling screen readers what changed, in one place.

`announce` puts a line where assistive technology reads it: the widget's
accessible description, and an announcement event (Qt 6.8+), which screen
readers speak without moving the focus (the way "8, 94 % sure" should be heard
while the user keeps drawing).

With DIGITPAD_ANNOUNCE=stdout set, each announcement is also printed as
``digitpad-announce <text>``: the end-to-end tests read the program the way a
screen reader user hears it. It only reports; it changes nothing.
"""

from __future__ import annotations

import os

from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QWidget

ENVIRONMENT = "DIGITPAD_ANNOUNCE"
PREFIX = "digitpad-announce"


def announce(widget: QWidget, text: str) -> None:
    """Say `text` about `widget` to screen readers (and nothing if it is empty)."""
    widget.setAccessibleDescription(text)
    if not text:
        return
    if QAccessible.isActive():
        QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(widget, text))
    if os.environ.get(ENVIRONMENT) == "stdout":
        print(f"{PREFIX} {text}", flush=True)
