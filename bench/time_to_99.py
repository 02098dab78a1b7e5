"""Time to 99 %: `digitpad train --preset fast`, the whole command, beside its baseline.

Runs the real command in its own process, as a user would, and times it from
just before the process starts until it exits: Python's start-up, every
import, loading MNIST, training, testing and saving the model all count. It
reads the test accuracy the command prints last.

The baseline is the same command in the code of commit --baseline (the preset
and engine before issue 15), exported with `git archive` and run in turn with
the current one, alternating which goes first. Beside the wall-clock time it
prints the processor time the command used (user + system, all threads), which
other programs on a busy machine inflate less. Round r uses seed r for both, so
the rounds also show whether the accuracy holds across seeds.
Goal: ≥ 99.0 % in ≤ 12 s on an idle laptop-class machine; on a busy one, read
the ratio to the baseline.

    python bench/time_to_99.py [--rounds 3] [--baseline COMMIT]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import (
    BASELINE,
    MNIST_DIR,
    export_tree,
    machine,
    paired_ratio,
    require,
    turn_order,
    with_code_first,
)

ACCURACY = re.compile(r"Accuracy: (\d+)/(\d+) \((\d+\.\d+)%\)")
TARGET, GOAL_SECONDS = 99.0, 12.0


def train_once(code: Path | None, seed: int, out: Path,
               threads: int | None = None) -> tuple[float, float, float | None]:
    """Seconds for the whole command (wall clock, and the processor time it used), and
    the last test accuracy it printed (%)."""
    env = with_code_first(dict(os.environ), code)
    command = [sys.executable, "-m", "digitpad", "train", "--preset", "fast", "--data",
               str(MNIST_DIR), "--seed", str(seed), "--out", str(out), "--force", "--quiet"]
    if threads:
        command += ["--threads", str(threads)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True, cwd=out.parent)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    processor = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if result.returncode != 0:
        sys.exit(f"digitpad train failed ({result.returncode}):\n{result.stderr[-2000:]}")
    found = ACCURACY.findall(result.stdout)
    return seconds, processor, float(found[-1][2]) if found else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", default=BASELINE)
    parser.add_argument("--threads", type=int,
                        help="--threads for both commands (on a busy machine, 1 avoids "
                             "threads waiting for each other)")
    args = parser.parse_args()
    require(MNIST_DIR, "MNIST")
    print(f"Machine: {machine()}")
    print(f"`digitpad train --preset fast`, whole command; baseline: the same at "
          f"{args.baseline[:8]}; {args.rounds} rounds, seed = round, "
          f"{args.threads or 'default'} thread(s)\n")
    times = {"now": [], "baseline": []}
    processor = {"now": [], "baseline": []}
    accuracies = {"now": [], "baseline": []}
    with tempfile.TemporaryDirectory(prefix="digitpad-bench-") as scratch:
        scratch = Path(scratch)
        code = {"now": None, "baseline": export_tree(args.baseline, scratch / "baseline")}
        for round_number in range(1, args.rounds + 1):
            for name in turn_order(round_number):
                seconds, used, accuracy = train_once(code[name], round_number,
                                                     scratch / f"{name}.safetensors",
                                                     args.threads)
                times[name].append(seconds)
                processor[name].append(used)
                accuracies[name].append(accuracy)
            print(f"round {round_number} (seed {round_number}): "
                  + ", ".join(f"{name} {times[name][-1]:.1f} s ({processor[name][-1]:.1f} s "
                              f"processor), {accuracies[name][-1]} %"
                              for name in ("now", "baseline")), flush=True)
    print()
    for name in ("now", "baseline"):
        print(f"{name:>8}: median {statistics.median(times[name]):.1f} s wall, "
              f"{statistics.median(processor[name]):.1f} s processor; test accuracy "
              f"{', '.join(f'{a} %' for a in accuracies[name])}")
    for label, values in (("wall", times), ("processor", processor)):
        ratio = paired_ratio(values["now"], values["baseline"])
        print(f"ratio now / baseline, {label} time: {ratio:.2f} (median of the rounds' ratios)")
    reached = all(a is not None and a >= TARGET for a in accuracies["now"])
    fast = statistics.median(times["now"]) <= GOAL_SECONDS
    print(f"goal >= {TARGET} % on every seed: {'met' if reached else 'NOT met'}; "
          f"<= {GOAL_SECONDS:.0f} s: {'met' if fast else 'NOT met'} on this run's machine")


if __name__ == "__main__":
    main()
