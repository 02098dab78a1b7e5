"""Files that ship inside DigitPad: the embedded model, the icon, the launcher entry.

In the source tree this is the top-level ``resources/`` folder; installed, it is
the package ``digitpad.resources``. Files are found through the installed
package (importlib.resources), never through the current directory, so
`digitpad` works from anywhere.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

EMBEDDED_MODEL = "digitnet.safetensors"
DESKTOP_ENTRY = "digitpad.desktop"
ICON_SVG = "digitpad.svg"
# The PNG sizes rendered from the SVG (tools/render_icons.py): the sizes desktops ask for.
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def resource_path(name: str) -> Path:
    """The path of a shipped resource file."""
    return Path(str(resources.files(__name__).joinpath(name)))


def embedded_model_path() -> Path:
    return resource_path(EMBEDDED_MODEL)


def icon_png_path(size: int) -> Path:
    """The icon rendered at size×size pixels (one of ICON_SIZES)."""
    return resource_path(f"digitpad-{size}.png")
