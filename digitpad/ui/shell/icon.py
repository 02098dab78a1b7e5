"""DigitPad's icon, as Qt wants it: one QIcon holding every rendered size."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from digitpad.resources import ICON_SIZES, icon_png_path


def app_icon() -> QIcon:
    # The PNGs were rendered from the SVG ahead of time, so showing the icon
    # needs neither QtSvg nor any scaling at run time.
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(icon_png_path(size)), QSize(size, size))
    return icon
