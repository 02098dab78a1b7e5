"""The command line stays English whatever the desktop's language (scripts parse it):
only the window is translated (digitpad/ui/i18n)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np


def test_predict_speaks_english_in_a_chinese_session(tmp_path: Path) -> None:
    page = np.full((80, 80), 255, np.uint8)
    cv2.line(page, (40, 10), (40, 70), 0, 6)  # a "1"
    cv2.imwrite(str(tmp_path / "one.png"), page)
    env = {**os.environ, "LANG": "zh_CN.UTF-8", "LC_ALL": "zh_CN.UTF-8", "LANGUAGE": "zh_CN"}
    done = subprocess.run([sys.executable, "-m", "digitpad", "predict", "one.png", "gone.png"],
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)
    assert done.returncode == 2
    assert done.stdout.isascii() and done.stdout.startswith("one.png")
    assert done.stderr == "digitpad: error: gone.png: no such file\n"
