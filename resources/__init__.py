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


def resource_path(name: str) -> Path:
    """The path of a shipped resource file."""
    return Path(str(resources.files(__name__).joinpath(name)))


def embedded_model_path() -> Path:
    return resource_path(EMBEDDED_MODEL)
