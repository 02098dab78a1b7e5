"""How quickly DigitPad starts: time to the window being on screen, and time
until the first prediction is possible.

Starts the real program (`digitpad`, in its own process, as a user would) with
DIGITPAD_STARTUP_REPORT=quit: it prints a timestamp when its window has first
been painted, when the model has loaded (in the background), and when a first
stroke has been read; then it closes. Times are counted from just before the
process is started, so they include Python's own start-up and every import.
Settings and user data go to a temporary folder.

Goals: window shown ≤ 1.0 s, first prediction possible ≤ 2.5 s.

    python bench/startup.py [--runs 5] [--platform offscreen]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EVENTS = ("window-shown", "model-ready", "first-prediction")
GOALS = {"window-shown": 1.0, "model-ready": 2.5}


def start_once(platform: str, home: Path) -> dict[str, float]:
    program = Path(sys.executable).parent / "digitpad"
    command = [str(program)] if program.exists() else [sys.executable, "-m", "digitpad"]
    env = dict(os.environ, DIGITPAD_STARTUP_REPORT="quit", QT_QPA_PLATFORM=platform,
               XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"))
    started = time.time()
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        sys.exit(f"digitpad failed (status {result.returncode}):\n{result.stderr[-2000:]}")
    seen = {}
    for line in result.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] == "digitpad-startup":
            seen[parts[1]] = float(parts[2]) - started
            if parts[1] == "window-shown" and parts[3:4] != ["torch=no"]:
                print("  note: torch was imported before the window was shown")
    missing = [event for event in EVENTS if event not in seen]
    if missing:
        sys.exit(f"digitpad did not report {missing}; stdout:\n{result.stdout[-2000:]}")
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--platform", default=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                        help="Qt platform: offscreen (default), xcb under X11 or Xvfb, ...")
    args = parser.parse_args()
    print(f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"Qt platform {args.platform}; {args.runs} starts of `digitpad`\n")
    runs = []
    with tempfile.TemporaryDirectory() as home:
        for number in range(1, args.runs + 1):
            seen = start_once(args.platform, Path(home))
            runs.append(seen)
            print(f"  start {number}: " + ", ".join(f"{e} {seen[e]:.2f} s" for e in EVENTS))
    print()
    for event in EVENTS:
        values = [run[event] for run in runs]
        goal = GOALS.get(event)
        verdict = ""
        if goal is not None:
            met = statistics.median(values) <= goal
            verdict = f"   goal ≤ {goal:.1f} s: {'met' if met else 'NOT met'}"
        print(f"{event:<17} median {statistics.median(values):.2f} s, best {min(values):.2f} s, "
              f"worst {max(values):.2f} s{verdict}")
    print("\n(first prediction possible = model-ready: loaded and warmed up in the background; "
          "first-prediction = a stroke read and shown)")


if __name__ == "__main__":
    main()
