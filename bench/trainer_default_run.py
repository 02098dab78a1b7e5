"""How long the Trainer tab's default action takes, as a user sees it.

Opens the Trainer tab (shown, offscreen unless a display is set) with the built-in
model in use and the real MNIST, clicks Train with the settings a fresh install has,
and times from the click to the first test point on the plot, and to the run's end
(calibration fit included). Prints each epoch's test point as it comes.

Goals (issue 15): first test point within 15 s, the whole run within 90 s.

With `--baseline COMMIT` the run is made in a fresh process for the current code
and for that commit's (exported with `git archive`, first on PYTHONPATH), in
alternating rounds, and the paired ratios are printed.

    python bench/trainer_default_run.py [--data ../shared/data/mnist]
        [--baseline COMMIT] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Runs and settings of this benchmark go to a temporary folder, never the user's.
_home = tempfile.mkdtemp(prefix="digitpad-bench-")
os.environ["XDG_DATA_HOME"] = os.path.join(_home, "data")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_home, "config")

from PySide6.QtCore import QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from _common import (  # noqa: E402
    MNIST_DIR,
    export_tree,
    machine,
    paired_ratio,
    require,
    turn_order,
    with_code_first,
)
from digitpad.recognizer import Recognizer  # noqa: E402
from digitpad.ui.train.trainer_tab import TrainerTab  # noqa: E402
from trainer.engine import EpochEnd  # noqa: E402

GOAL_FIRST_POINT_S = 15.0
GOAL_WHOLE_RUN_S = 90.0
TIMES = re.compile(r"first test point after ([\d.]+) s.*run ended after ([\d.]+) s", re.S)
TAIL = re.compile(r"from the last test point to the end: ([\d.]+) s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(MNIST_DIR))
    parser.add_argument("--baseline", metavar="COMMIT",
                        help="also time the code of COMMIT, in alternating rounds")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    require(Path(args.data), "MNIST")
    if args.baseline:
        compare(args)
    else:
        run_once(args.data)


def compare(args: argparse.Namespace) -> None:
    """The run in a fresh process for each code in turn; times and paired ratios."""
    print(machine())
    print(f"baseline: the same bench with the code of {args.baseline[:8]}; "
          f"{args.rounds} rounds, alternating which goes first\n")
    first = {"now": [], "baseline": []}
    whole = {"now": [], "baseline": []}
    with tempfile.TemporaryDirectory(prefix="digitpad-bench-") as scratch:
        code = {"now": None, "baseline": export_tree(args.baseline, Path(scratch) / "baseline")}
        for round_number in range(1, args.rounds + 1):
            for name in turn_order(round_number):
                env = with_code_first(dict(os.environ), code[name])
                command = [sys.executable, str(Path(__file__).resolve()), "--data", args.data]
                result = subprocess.run(command, env=env, capture_output=True, text=True)
                found = TIMES.search(result.stdout)
                if result.returncode != 0 or found is None:
                    sys.exit(f"the {name} run failed ({result.returncode}):\n"
                             f"{(result.stdout + result.stderr)[-2000:]}")
                first[name].append(float(found[1]))
                whole[name].append(float(found[2]))
                tail = TAIL.search(result.stdout)
                print(f"round {round_number}, {name}: first point {found[1]} s, end {found[2]} s"
                      + (f" ({tail[1]} s after the last point)" if tail else ""), flush=True)
    print()
    for label, values in (("first test point", first), ("whole run", whole)):
        print(f"{label}: now median {statistics.median(values['now']):.1f} s, baseline "
              f"{statistics.median(values['baseline']):.1f} s; ratio now / baseline "
              f"{paired_ratio(values['now'], values['baseline']):.2f} "
              "(median of the rounds' ratios)")
    print(f"load average afterwards {os.getloadavg()[0]:.1f}")


def run_once(data: str) -> None:
    app = QApplication.instance() or QApplication([])
    print(machine())
    tab = TrainerTab(Recognizer.load())
    tab.resize(1100, 750)
    tab.show()
    tab.data.set_path(data)
    config = tab.hyper.config(tab.recognizer.checkpoint.arch,
                              tab.recognizer.checkpoint.arch_params)
    print(f"Default plan: preset {tab.hyper.preset.currentText()}, {config.epochs} epochs of "
          f"{config.epoch_images:,} images, interim test on {config.interim_test_images:,}, "
          f"{config.precision}")

    points: list[tuple[float, EpochEnd]] = []
    done = QEventLoop()
    tab.run_ended.connect(done.quit)
    QTest.mouseClick(tab.train_button, Qt.MouseButton.LeftButton)
    clicked = time.perf_counter()

    def on_yielded(item) -> None:
        if isinstance(item, EpochEnd):
            seconds = time.perf_counter() - clicked
            points.append((seconds, item))
            print(f"  {seconds:5.1f} s  epoch {item.epoch}: test "
                  f"{item.test.correct:,}/{item.test.total:,}", flush=True)

    tab.worker.yielded.connect(on_yielded)
    QTimer.singleShot(600_000, done.quit)  # a run that hangs ends the bench
    done.exec()
    ended = time.perf_counter() - clicked
    app.processEvents()
    if not points:
        raise SystemExit(f"no test point came; the tab says: {tab.log.toPlainText()[-500:]}")
    first = points[0][0]
    ok = "met" if first <= GOAL_FIRST_POINT_S else "NOT met"
    print(f"first test point after {first:.1f} s (goal ≤ {GOAL_FIRST_POINT_S:.0f} s: {ok})")
    ok = "met" if ended <= GOAL_WHOLE_RUN_S else "NOT met"
    print(f"run ended after {ended:.1f} s (goal ≤ {GOAL_WHOLE_RUN_S:.0f} s: {ok}); "
          f"load average afterwards {os.getloadavg()[0]:.1f}")
    print(f"from the last test point to the end: {ended - points[-1][0]:.1f} s (the model "
          "read back, its calibration fitted and written)")


if __name__ == "__main__":
    main()
