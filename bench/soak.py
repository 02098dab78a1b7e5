"""Soak: does DigitPad leak over many readings, or over many started and stopped runs?

(a) 10,000 predictions through the Draw tab's pipeline: strokes (pendigits
    writers' digits replayed with random pen widths and sizes, or synthetic
    strokes if pendigits is absent) → render_strokes → preprocess → Recognizer.
    The resident memory (VmRSS) is read after a warm-up and at the end.
    Goal: it grows by less than 20 MB.
(b) 50 start/stop cycles of GUI training: the Trainer tab (offscreen) runs its
    worker in a QThread on tiny synthetic digits; each cycle starts a run, waits
    for the first batch, clicks Stop and waits for the thread to finish.
    Goal: no thread left behind (OS threads, Python threads, QThreads still
    running) and memory growth under 20 MB after a warm-up.

    python bench/soak.py [--predictions 10000] [--cycles 50]
"""

from __future__ import annotations

import argparse
import gc
import os
import tempfile
import threading
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Runs made here go to a temporary folder, never the user's.
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="digitpad-soak-")

import numpy as np  # noqa: E402

from _common import PENDIGITS_FILE, machine  # noqa: E402

GOAL_MB = 20.0


def status_value(field: str) -> int:
    """A number from /proc/self/status (VmRSS in kB, Threads, ...)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


def rss_mb() -> float:
    gc.collect()
    return status_value("VmRSS") / 1024


# -- (a) predictions -------------------------------------------------------------------


def stroke_source(seed: int = 0):
    """An endless supply of point lists: pendigits' digits if present, else synthetic."""
    rng = np.random.default_rng(seed)
    if PENDIGITS_FILE.exists():
        from digitpad.training.pendigits import read_pendigits

        samples = read_pendigits(PENDIGITS_FILE)
        label = f"pendigits ({len(samples):,} digits by 30 writers)"

        def draw() -> list:
            return samples[int(rng.integers(len(samples)))].strokes
    else:
        label = "synthetic strokes (pendigits not found)"

        def draw() -> list:
            return [rng.uniform(0, 100, size=(int(rng.integers(2, 12)), 2)).tolist()
                    for _ in range(int(rng.integers(1, 4)))]
    return label, draw, rng


def soak_predictions(total: int, warm_up: int) -> None:
    import torch

    from digitpad.drawing.strokes import fit_strokes, render_strokes
    from digitpad.recognizer import Recognizer
    from digitpad.training.pendigits import CANVAS

    torch.set_num_threads(1)  # as the Draw tab reads: one image at a time, one thread
    recognizer = Recognizer.load()
    label, draw, rng = stroke_source()
    print(f"(a) {total:,} predictions: built-in model, {label}")

    def one() -> int | None:
        fill = float(rng.uniform(0.3, 0.95))
        centre = tuple(rng.uniform(fill / 2, 1 - fill / 2, size=2))
        strokes = fit_strokes(draw(), CANVAS, fill, centre, float(rng.uniform(5, 30)))
        ink = render_strokes(strokes, (CANVAS, CANVAS))
        return recognizer.predict_ink(ink).digit

    for _ in range(warm_up):
        one()
    start_rss, start = rss_mb(), time.perf_counter()
    marks = []
    for i in range(1, total + 1):
        one()
        if i % (total // 5 or 1) == 0:
            marks.append(f"{rss_mb():.1f}")
    seconds = time.perf_counter() - start
    growth = rss_mb() - start_rss
    print(f"    {total / seconds:,.0f} predictions/s; RSS after {warm_up} warm-up: "
          f"{start_rss:.1f} MB, then every {total // 5:,}: {' '.join(marks)} MB")
    print(f"    RSS growth over {total:,} predictions: {growth:+.1f} MB "
          f"(goal < {GOAL_MB:.0f} MB: {'met' if growth < GOAL_MB else 'NOT met'})")


# -- (b) start/stop cycles of GUI training ------------------------------------------------


def synthetic_sets(n_train: int, n_test: int):
    """Learnable 'digits': digit d is a bar at a height that depends on d."""
    from trainer.digitset import DigitSet

    def make(n: int, seed: int):
        rng = np.random.default_rng(seed)
        labels = rng.integers(0, 10, n).astype(np.int64)
        images = rng.integers(0, 20, (n, 28, 28)).astype(np.uint8)
        for i, d in enumerate(labels):
            images[i, 4 + 2 * int(d):7 + 2 * int(d), 6:22] = 255
        return DigitSet.from_numpy(images, labels)

    return make(n_train, 0), make(n_test, 1)


def soak_training(cycles: int, warm_up: int) -> None:
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from digitpad.recognizer import Recognizer
    from digitpad.store.runs import RunStore
    from digitpad.training.session import TrainingJob
    from digitpad.ui.train.trainer_tab import TrainerTab
    from trainer.config import TrainConfig
    from trainer.engine import BatchEnd

    app = QApplication.instance() or QApplication([])
    sets = synthetic_sets(2000, 200)
    config = TrainConfig(arch="seed", epochs=2, batch_size=50, optimizer="adam", lr=0.003,
                         schedule="none", augment=False)
    tab = TrainerTab(Recognizer.load())
    tab.show()
    print(f"\n(b) {cycles} start/stop cycles of GUI training: Trainer tab offscreen "
          f"({app.platformName()}), {config.arch}, {len(sets[0]):,} synthetic images, "
          f"batch {config.batch_size}")

    def wait_for(signal, seconds: float = 60.0) -> bool:
        """Run the event loop until `signal` comes (True) or `seconds` pass (False)."""
        loop, fired = QEventLoop(), []

        def arrived(*args) -> None:
            fired.append(True)
            loop.quit()

        signal.connect(arrived)
        timer = QTimer(singleShot=True, interval=int(seconds * 1000))
        timer.timeout.connect(loop.quit)
        timer.start()
        loop.exec()
        timer.stop()
        signal.disconnect(arrived)
        return bool(fired)

    workers: list = []
    batches: list[int] = []
    stuck = {"first batch": 0, "end": 0}

    def cycle() -> None:
        run = RunStore().new(config, data="soak")
        first = []
        tab.start_job(TrainingJob(config, run, sets=sets))
        worker, session = tab.worker, tab.session
        # Direct: noted in the worker's thread, so a batch before the wait is not missed.
        worker.yielded.connect(lambda item: first.append(item) if isinstance(item, BatchEnd)
                               else None, Qt.ConnectionType.DirectConnection)
        workers.append(worker)
        while not first:  # log lines come first, then batches
            if not wait_for(worker.yielded):
                stuck["first batch"] += 1
                break
        engine = session.engine
        tab.stop()
        if tab.is_training and not wait_for(tab.run_ended):
            stuck["end"] += 1
        batches.append(len(engine.history["batch_losses"]) if engine else 0)

    before_os, before_py = status_value("Threads"), threading.active_count()
    for _ in range(warm_up):
        cycle()
    warm_os = status_value("Threads")
    start_rss = rss_mb()
    start = time.perf_counter()
    for _ in range(cycles - warm_up):
        cycle()
    seconds = time.perf_counter() - start
    app.processEvents()
    growth = rss_mb() - start_rss
    running = sum(1 for worker in workers if not worker.done)
    finished = sum(1 for worker in workers if worker.done)
    after_os, after_py = status_value("Threads"), threading.active_count()
    print(f"    {cycles} cycles ({warm_up} of warm-up, the other {cycles - warm_up} "
          f"in {seconds:.1f} s); "
          f"{np.mean(batches):.1f} batches trained per cycle before Stop took effect "
          f"(max {max(batches)}); waits that timed out: {stuck}")
    print(f"    workers: {finished} finished, {running} still running; OS threads "
          f"{before_os} before, {warm_os} after the warm-up, {after_os} at the end; "
          f"Python threading.active_count "
          f"{before_py} before, {after_py} after")
    print(f"    RSS growth over {cycles - warm_up} cycles: {growth:+.1f} MB "
          f"(goal < {GOAL_MB:.0f} MB: {'met' if growth < GOAL_MB else 'NOT met'}); "
          f"runs listed: {len(tab.run_list.runs())}")
    tab.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--predictions", type=int, default=10_000)
    parser.add_argument("--cycles", type=int, default=50)
    args = parser.parse_args()
    print(f"Machine: {machine()}")
    soak_predictions(args.predictions, warm_up=500)
    soak_training(args.cycles, warm_up=min(5, args.cycles // 2))


if __name__ == "__main__":
    main()
