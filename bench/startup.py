"""How quickly DigitPad starts: time to the window being on screen, and time
until the first prediction is possible.

Starts the real program (`digitpad`, in its own process, as a user would) with
DIGITPAD_STARTUP_REPORT=quit: it prints a timestamp when its window has first
been painted, when drawings can be read (model ready: read with NumPy while
torch loads, since the NumpyRecognizer), when a first stroke has been read,
when the model is read with torch (model loaded) and when every tab is built;
then it closes. Code from before the NumpyRecognizer reports no "model
loaded": its model was ready when torch had it, so that time stands for both.
Times are counted from just before the process is started, so they include
Python's own start-up and every import.
Settings and user data go to a temporary folder.

Each start of the current code alternates with a start of the code of commit
--baseline (exported with `git archive`, first on PYTHONPATH), so every figure
has its baseline from the same run.

Goals: window shown ≤ 0.5 s, first prediction possible (model ready) ≤ 1.5 s.

    python bench/startup.py [--runs 5] [--platform offscreen] [--baseline COMMIT]
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

from _common import export_tree, paired_ratio, turn_order, with_code_first

EVENTS = ("window-shown", "model-ready", "first-prediction")
LATER = ("model-loaded", "all-tabs")  # not reported by code before the NumpyRecognizer
# The last commit whose window waited for torch before reading. (The older baseline of
# the other issue 15 benches cannot start any more: its code finds today's built-in
# model, whose metadata it does not know, through the installed package.)
BASELINE = "8183912"
GOALS = {"window-shown": 0.5, "model-ready": 1.5}


def start_once(platform: str, home: Path, code: Path | None = None) -> dict[str, float]:
    # `python -m digitpad` rather than the installed script, so that PYTHONPATH decides
    # which code runs for the current code and the baseline alike.
    command = [sys.executable, "-m", "digitpad"]
    env = dict(os.environ, DIGITPAD_STARTUP_REPORT="quit", QT_QPA_PLATFORM=platform,
               XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"))
    env = with_code_first(env, code)
    started = time.time()
    # Not in the repository: `python -m` puts the working folder first on sys.path, which
    # would run today's code for the baseline too.
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300,
                            cwd=home)
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
    seen.setdefault("model-loaded", seen["model-ready"])
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--platform", default=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                        help="Qt platform: offscreen (default), xcb under X11 or Xvfb, ...")
    parser.add_argument("--baseline", default=BASELINE)
    args = parser.parse_args()
    print(f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"Qt platform {args.platform}; {args.runs} starts of `digitpad` and as many of the "
          f"baseline ({args.baseline[:8]}), alternating\n")
    runs: dict[str, list[dict[str, float]]] = {"now": [], "baseline": []}
    with tempfile.TemporaryDirectory() as home:
        code = {"now": None, "baseline": export_tree(args.baseline, Path(home) / "baseline")}
        for number in range(1, args.runs + 1):
            for name in turn_order(number):
                seen = start_once(args.platform, Path(home), code[name])
                runs[name].append(seen)
                print(f"  start {number}, {name:>8}: "
                      + ", ".join(f"{e} {seen[e]:.2f} s" for e in (*EVENTS, *LATER)
                                  if e in seen), flush=True)
    print()
    for event in (*EVENTS, "model-loaded"):
        values = {name: [run[event] for run in runs[name]] for name in runs}
        ratio = paired_ratio(values["now"], values["baseline"])
        goal = GOALS.get(event)
        verdict = ""
        if goal is not None:
            met = statistics.median(values["now"]) <= goal
            verdict = f"   goal ≤ {goal:.1f} s: {'met' if met else 'NOT met'}"
        print(f"{event:<17} median {statistics.median(values['now']):.2f} s (best "
              f"{min(values['now']):.2f}), baseline {statistics.median(values['baseline']):.2f} s "
              f"(best {min(values['baseline']):.2f}), ratio {ratio:.2f}{verdict}")
    tabs = [run["all-tabs"] for run in runs["now"] if "all-tabs" in run]
    if tabs:
        print(f"{'all-tabs':<17} median {statistics.median(tabs):.2f} s (best {min(tabs):.2f})")
    print("\n(model-ready = first prediction possible: the model read and warmed up in the "
          "background; first-prediction = a stroke read and shown; model-loaded = read with "
          "torch, which the Trainer, Inside and Mistakes tabs need; all-tabs = those tabs built)")


if __name__ == "__main__":
    main()
