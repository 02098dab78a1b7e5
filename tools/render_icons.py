"""Render resources/digitpad.svg into the PNG sizes desktops ask for.

Run after editing the SVG:  .venv/bin/python tools/render_icons.py
The PNGs are committed, so neither installing nor running DigitPad needs this.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
sys.path.insert(0, str(RESOURCES.parent))

from resources import ICON_SIZES  # noqa: E402


def render(svg: Path, size: int, out: Path) -> None:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    if not image.save(str(out)):
        raise SystemExit(f"{out}: could not be written")


def main() -> None:
    app = QGuiApplication(sys.argv)  # noqa: F841 - QPainter on QImage wants an application
    svg = RESOURCES / "digitpad.svg"
    for size in ICON_SIZES:
        out = RESOURCES / f"digitpad-{size}.png"
        render(svg, size, out)
        print(out.relative_to(RESOURCES.parent))


if __name__ == "__main__":
    main()
