"""Start-up, the way a user starts DigitPad: `python -m digitpad` in its own process.

The window must be on screen before torch is imported (torch alone takes
about a second to import); the model then loads in the background.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def start_digitpad(tmp_path: Path, report: str = "quit") -> dict[str, list[str]]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DIGITPAD_STARTUP_REPORT=report,
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    result = subprocess.run([sys.executable, "-m", "digitpad"], env=env, capture_output=True,
                            text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    events = {}
    for line in result.stdout.splitlines():
        if line.startswith("digitpad-startup "):
            _, event, *details = line.split()
            events[event] = details
    return events


def test_the_window_is_shown_before_torch_is_imported(tmp_path: Path) -> None:
    events = start_digitpad(tmp_path)
    assert list(events) == ["window-shown", "model-ready", "first-prediction"]
    shown, ready, predicted = (float(events[e][0]) for e in events)
    assert events["window-shown"][1] == "torch=no"
    assert events["model-ready"][1] == "torch=yes"
    assert shown <= ready <= predicted
    # Closing the window saved its geometry in the (temporary) user settings.
    assert (tmp_path / "config" / "DigitPad" / "DigitPad.ini").is_file()
