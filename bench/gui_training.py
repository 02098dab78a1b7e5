"""Training inside the GUI: does the window stay responsive, and is it as fast as the CLI?

Trains the same model on the same MNIST subset twice per round, in one process:
  * the CLI's way: `Engine.run` on the main thread, nothing else going on;
  * the GUI's way: the Trainer tab (shown, with its live plot, progress and
    log) running the engine in its worker thread.
Both use the same number of torch threads (all cores but one, as the GUI does).

In a second GUI run per round, a 5 ms QTimer on the GUI thread records the gaps
between its ticks while an epoch trains; the longest gap beyond 5 ms is the
longest stall of the event loop. (Throughput comes from the run without the
timer, whose own cost would otherwise count against the GUI.)
Prints images/s for both, their ratio (goal ≥ 0.9) and the longest stall
(goal ≤ 50 ms), and the 99th percentile of the gaps.

With --without-watching, each round also trains in the tab without watching
the network learn (no filter snapshots, no gradient norms: the Trainer tab as it
was before issue 11), and prints its rate and stall beside.

    python bench/gui_training.py [--images 10000] [--rounds 2] [--arch seed]
                                 [--without-watching]

Runs offscreen unless a display is set (QT_QPA_PLATFORM decides).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Runs of this benchmark go to a temporary folder, never the user's.
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="digitpad-bench-")

import torch  # noqa: E402
from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from _common import MNIST_DIR, machine, percentile, require  # noqa: E402
from digitpad.recognizer import Recognizer  # noqa: E402
from digitpad.store.runs import RunStore  # noqa: E402
from digitpad.training.session import TrainingJob, training_threads  # noqa: E402
from digitpad.ui.train import training_worker  # noqa: E402
from digitpad.ui.train.trainer_tab import TrainerTab  # noqa: E402
from trainer.config import TrainConfig  # noqa: E402
from trainer.digitset import mnist_sets  # noqa: E402
from trainer.engine import BatchEnd, Engine, EpochEnd  # noqa: E402
from trainer.mnist import load_mnist  # noqa: E402

TICK_MS = 5


class NotWatching:
    """Stands in for LearningWatch: the session's events as they are."""

    def __init__(self, probe) -> None:
        pass

    def attach(self, engine) -> None:
        pass

    def watched(self, events):
        return (yield from events)


def cli_rate(config: TrainConfig, train, test) -> float:
    last: list[BatchEnd] = []
    Engine(config, train, test).run(on_batch=last.append)
    return last[-1].images_per_second


def gui_rate(tab: TrainerTab, config: TrainConfig, train, test, *, watch: bool):
    """Images/s of one run in the Trainer tab, and (if `watch`) the GUI thread's gaps (ms).

    The 5 ms timer itself costs the GUI thread (and the GIL) a little, so the
    throughput is measured in a run without it and the stalls in one with it.
    """
    gaps: list[float] = []
    clock = QElapsedTimer()
    training = {"on": False}

    def tick() -> None:
        if training["on"]:
            gaps.append(clock.nsecsElapsed() / 1e6)
        clock.restart()

    timer = QTimer(interval=TICK_MS, timerType=Qt.TimerType.PreciseTimer)
    timer.timeout.connect(tick)
    last: list[BatchEnd] = []

    def on_yielded(item) -> None:
        if isinstance(item, BatchEnd):
            last.append(item)
            training["on"] = True
        elif isinstance(item, EpochEnd):
            training["on"] = False  # the epoch's training is over; evaluation is not measured

    loop = QEventLoop()
    tab.run_ended.connect(loop.quit)
    clock.start()
    if watch:
        timer.start()
    run = RunStore().new(config, data="bench")
    tab.start_job(TrainingJob(config, run, sets=(train, test)))
    tab.worker.yielded.connect(on_yielded)
    loop.exec()  # Qt's event loop, as in the program
    tab.run_ended.disconnect(loop.quit)
    timer.stop()
    return last[-1].images_per_second, gaps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=10000, help="training images per epoch")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--arch", default="seed")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--without-watching", action="store_true",
                        help="also measure each round without watching the network learn")
    args = parser.parse_args()

    app = QApplication([])
    mnist = load_mnist(require(MNIST_DIR, "MNIST"))
    train, test = mnist_sets(mnist)
    train, test = train.subset(range(args.images)), test.subset(range(1000))
    config = TrainConfig(arch=args.arch, optimizer="sgd", lr=0.01, momentum=0.5,
                         batch_size=args.batch_size, epochs=1, schedule="none", augment=False)
    torch.set_num_threads(training_threads())
    print(f"Machine: {machine()}")
    print(f"{args.arch}, batch {args.batch_size}, {len(train):,} images per epoch, "
          f"{training_threads()} training thread(s), Qt platform {app.platformName()}")

    tab = TrainerTab(Recognizer.load())
    tab.resize(1280, 860)
    tab.show()
    cli, gui, stalls, p99 = [], [], [], []
    for round_ in range(1, args.rounds + 1):
        cli.append(cli_rate(config, train, test))
        gui.append(gui_rate(tab, config, train, test, watch=False)[0])
        _, gaps = gui_rate(tab, config, train, test, watch=True)
        stalls.append(max(gaps) - TICK_MS)
        p99.append(percentile(gaps, 99) - TICK_MS)
        print(f"round {round_}: CLI {cli[-1]:,.0f} images/s, GUI {gui[-1]:,.0f} images/s, "
              f"longest stall {stalls[-1]:.1f} ms, 99th percentile {p99[-1]:.1f} ms "
              f"({len(gaps):,} ticks)")
        if args.without_watching:
            watching = training_worker.LearningWatch
            training_worker.LearningWatch = NotWatching
            try:
                rate = gui_rate(tab, config, train, test, watch=False)[0]
                _, gaps = gui_rate(tab, config, train, test, watch=True)
            finally:
                training_worker.LearningWatch = watching
            print(f"  without watching it learn: GUI {rate:,.0f} images/s, longest stall "
                  f"{max(gaps) - TICK_MS:.1f} ms, 99th percentile "
                  f"{percentile(gaps, 99) - TICK_MS:.1f} ms")
    ratio = statistics.median(gui) / statistics.median(cli)
    print(f"\nthroughput GUI / CLI: {ratio:.2f} (goal ≥ 0.9)")
    print(f"longest GUI stall during an epoch: {max(stalls):.1f} ms (goal ≤ 50 ms)")


if __name__ == "__main__":
    main()
