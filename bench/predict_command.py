"""How long `digitpad predict` takes as a command: start, load the model, read
the pictures, print, exit.

Each run of the current code alternates with a run of the code of commit
--baseline (exported with `git archive`, first on PYTHONPATH), so every figure
has its baseline from the same run. The pictures are digits drawn with OpenCV
(no data set needed); the same files are read by both. Also says whether the
command imported torch (today it reads with NumPy, digitpad/numpy_recognizer.py).

    python bench/predict_command.py [--runs 7] [--pictures 1] [--baseline COMMIT]
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

import cv2
import numpy as np

from _common import export_tree, machine, paired_ratio, turn_order, with_code_first

BASELINE = "8183912"  # the last commit that read with torch only


def write_pictures(folder: Path, count: int) -> list[Path]:
    """`count` pictures of a 1 and a 7, dark ink on white, as a scan would be."""
    paths = []
    for number in range(count):
        image = np.full((200, 200), 255, np.uint8)
        if number % 2:
            cv2.polylines(image, [np.array([(50, 40), (150, 40), (90, 170)])], False, 0, 14)
        else:
            cv2.line(image, (100, 30), (100, 170), 0, 14)
        paths.append(folder / f"digit{number}.png")
        cv2.imwrite(str(paths[-1]), image)
    return paths


def run_once(pictures: list[Path], home: Path, code: Path | None) -> tuple[float, bool]:
    # `python -m digitpad` so that PYTHONPATH decides which code runs; `-X importtime`
    # to see whether torch was imported.
    command = [sys.executable, "-X", "importtime", "-m", "digitpad", "predict",
               *map(str, pictures)]
    env = with_code_first(dict(os.environ, XDG_CONFIG_HOME=str(home / "config"),
                               XDG_DATA_HOME=str(home / "data")), code)
    started = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300,
                            cwd=home)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"digitpad predict failed (status {result.returncode}):\n"
                 f"{result.stderr[-2000:]}")
    torch_imported = any(line.split("|")[-1].strip() == "torch"
                         for line in result.stderr.splitlines())
    return seconds, torch_imported


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pictures", type=int, default=1)
    parser.add_argument("--baseline", default=BASELINE)
    args = parser.parse_args()
    print(f"Machine: {machine()}; {args.runs} runs of `digitpad predict` on {args.pictures} "
          f"picture(s), alternating with the baseline ({args.baseline[:8]})\n")
    times: dict[str, list[float]] = {"now": [], "baseline": []}
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch)
        pictures = write_pictures(home, args.pictures)
        code = {"now": None, "baseline": export_tree(args.baseline, home / "baseline")}
        for number in range(1, args.runs + 1):
            for name in turn_order(number):
                seconds, torch_imported = run_once(pictures, home, code[name])
                times[name].append(seconds)
                print(f"  run {number}, {name:>8}: {seconds:.2f} s, torch "
                      f"{'imported' if torch_imported else 'not imported'}", flush=True)
    ratio = paired_ratio(times["now"], times["baseline"])
    print(f"\nwhole command: median {statistics.median(times['now']):.2f} s "
          f"(best {min(times['now']):.2f}), baseline {statistics.median(times['baseline']):.2f} s "
          f"(best {min(times['baseline']):.2f}), ratio {ratio:.2f}")


if __name__ == "__main__":
    main()
