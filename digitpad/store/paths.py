"""Where DigitPad keeps the user's things."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_ID = "digitpad"


def user_data_dir() -> Path:
    """DigitPad's folder of the user's data: on Linux $XDG_DATA_HOME/digitpad (by
    default ~/.local/share/digitpad), elsewhere where the platform keeps such data."""
    # appauthor=False: no vendor folder above ours on Windows.
    return platformdirs.user_data_path(APP_ID, appauthor=False)

