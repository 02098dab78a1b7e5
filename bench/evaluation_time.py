"""The Mistakes tab: how long the model in use takes to read the 10,000 MNIST test images.

Measures, in one process and in turns:
  * the Mistakes tab's way: Evaluate clicked, the images read in a Worker on
    every core, until the matrix is on screen (`window`), and the reading alone
    (`reading`);
  * the baseline: `trainer.engine.evaluate` as it was before it read through the
    BatchNorm-folded copy (commit EVALUATE_BEFORE), on the same model, images and
    number of threads: the way `digitpad eval` read them.

Goal: ≤ 5 s for digitnet (the built-in model) in the window.

    python bench/evaluation_time.py [--rounds 3] [--model FILE]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="digitpad-bench-")

import torch  # noqa: E402
from PySide6.QtCore import QEventLoop  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from _common import MNIST_DIR, machine, module_at, require  # noqa: E402
from digitpad.recognizer import Recognizer  # noqa: E402
from digitpad.ui.inside.mistakes_page import MistakesPage  # noqa: E402
from trainer.digitset import mnist_sets  # noqa: E402
from trainer.mnist import load_mnist  # noqa: E402

EVALUATE_BEFORE = "08affa6"  # the last commit whose evaluate read the unfused model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--model", help="model file (default: the built-in model)")
    args = parser.parse_args()
    app = QApplication([])
    os.environ["DIGITPAD_MNIST"] = str(require(MNIST_DIR, "MNIST"))
    recognizer = Recognizer.load(args.model)
    _, test = mnist_sets(load_mnist(MNIST_DIR))
    page = MistakesPage()
    page.set_recognizer(recognizer)
    page.show()
    threads = os.cpu_count() or 1
    torch.set_num_threads(threads)
    print(f"Machine: {machine()}")
    print(f"Model: {recognizer.describe()}; {len(test):,} test images, "
          f"{threads} thread(s), Qt platform {app.platformName()}\n")
    evaluate_before = module_at(EVALUATE_BEFORE, "trainer/engine.py").evaluate
    window, reading, baseline = [], [], []
    for round_ in range(1, args.rounds + 1):
        start = time.perf_counter()
        evaluate_before(recognizer.checkpoint.model, test)
        baseline.append(time.perf_counter() - start)
        loop = QEventLoop()
        page.evaluated.connect(loop.quit)
        start = time.perf_counter()
        page.evaluate()
        loop.exec()
        window.append(time.perf_counter() - start)
        page.evaluated.disconnect(loop.quit)
        reading.append(page.seconds)
        print(f"round {round_}: window {window[-1]:.2f} s (reading {reading[-1]:.2f} s), "
              f"evaluate as before {baseline[-1]:.2f} s")
    best = statistics.median(window)
    print(f"\nmedian: window {best:.2f} s, reading {statistics.median(reading):.2f} s, "
          f"baseline {statistics.median(baseline):.2f} s; "
          f"goal ≤ 5 s: {'met' if best <= 5 else 'NOT met'}")


if __name__ == "__main__":
    main()
