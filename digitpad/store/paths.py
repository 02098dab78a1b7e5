"""Where DigitPad keeps the user's things."""

from __future__ import annotations

import os
from pathlib import Path


def user_data_dir() -> Path:
    """$XDG_DATA_HOME/digitpad (by default ~/.local/share/digitpad)."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "digitpad"
