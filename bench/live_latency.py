"""Live reading latency: from a stroke update to the prediction on screen.

Builds the real main window offscreen with the embedded model and replays
pen-drawn digits (../shared/data/pendigits) point by point through the
canvas' stroke API, one point per input event at a steady rate, as a mouse
would deliver them. For every point it measures the time until the Draw tab
has read a drawing that includes it (`read`), and until the prediction panel
has been painted with that reading (`shown`). Readings are limited to one per
frame, so at fast input rates some points wait for the next frame; the
figures include that wait.

Goal: p99 of `shown` ≤ 16 ms (one frame at 60 Hz).

With --inside, each rate is measured a second time with the Inside tab open
(drawing on its pad; `read` is then the reading with every layer's maps, and
`shown` the painting of its pictures), printed beside the Draw tab's figures
from the same run, and once more as the Inside tab was before (readings a whole
16 ms frame apart) unless --no-baseline.

The Draw tab is also measured as it was before issue 15's changes, right after
the current code at each rate (baseline: readings a full 16 ms frame apart,
preprocess as commit BASELINE had it, the model unfused), unless --no-baseline.

    python bench/live_latency.py [--points 1500] [--rates 60 125] [--inside] [--no-baseline]
"""

from __future__ import annotations

import argparse
import os
import time
from contextlib import contextmanager, nullcontext

import cv2

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from _common import BASELINE, PENDIGITS_FILE, machine, module_at, percentile, require  # noqa: E402,E501
from digitpad.drawing.strokes import fit_strokes  # noqa: E402
from digitpad.recognizer import Recognizer  # noqa: E402
from digitpad.training.pendigits import read_pendigits  # noqa: E402
from digitpad.ui.draw import draw_tab as draw_tab_module  # noqa: E402
from digitpad.ui.draw.network_input_view import NetworkInputView  # noqa: E402
from digitpad.ui.draw.probability_bars import ProbabilityBars  # noqa: E402
from digitpad.ui.inside import inside_page as inside_page_module  # noqa: E402
from digitpad.ui.picture_view import PictureView  # noqa: E402
from digitpad.ui.shell.main_window import MainWindow  # noqa: E402


class PaintClock:
    """Notes when the prediction panel's pictures finish painting. Patched on
    the classes (as Qt calls Python overrides through the class), bench only."""

    def __init__(self) -> None:
        self.listeners = []
        for widget_class in (ProbabilityBars, NetworkInputView, PictureView):
            widget_class.paintEvent = self._timed(widget_class.paintEvent)

    def _timed(self, paint):
        def timed_paint(widget, event) -> None:
            paint(widget, event)
            now = time.perf_counter()
            for listener in self.listeners:
                listener(now)
        return timed_paint


def replay_points(samples, side: float) -> list[tuple[str, float, float]]:
    """(action, x, y) for every pen event of the samples: begin, move, end, clear."""
    events = []
    for sample in samples:
        for stroke in fit_strokes(sample.strokes, side, 0.7, width=20.0):
            (x, y), rest = stroke.points[0], stroke.points[1:]
            events.append(("begin", x, y))
            events += [("move", px, py) for px, py in rest]
            events.append(("end", 0.0, 0.0))
        events.append(("clear", 0.0, 0.0))
    return events


def measure(app: QApplication, window: MainWindow, events, rate_hz: float,
            clock: PaintClock, inside: bool = False) -> tuple[list[float], list[float], int]:
    tab, canvas = window.draw_tab, window.draw_tab.canvas
    reading = tab.prediction_shown
    if inside:  # the Inside tab is open: its pad, its reading (answer and every map)
        canvas, reading = window.inside_page.pad, window.inside_page.inspected
    pending, read_waiting, read_ms, shown_ms = [], [], [], []
    readings = 0

    def on_reading() -> None:
        nonlocal readings
        readings += 1
        now = time.perf_counter()
        read_ms.extend(1000 * (now - t) for t in pending)
        read_waiting.extend(pending)
        pending.clear()

    def on_painted(now: float) -> None:
        shown_ms.extend(1000 * (now - t) for t in read_waiting)
        read_waiting.clear()

    reading.connect(on_reading)
    clock.listeners.append(on_painted)
    queue = list(events)
    loop = QEventLoop()
    feeder = QTimer()
    feeder.setTimerType(Qt.TimerType.PreciseTimer)
    feeder.setInterval(round(1000 / rate_hz))

    def feed() -> None:
        if not queue:
            feeder.stop()
            QTimer.singleShot(100, loop.quit)  # let the last reading be painted
            return
        action, x, y = queue.pop(0)
        if action == "begin":
            pending.append(time.perf_counter())
            canvas.begin_stroke(x, y)
        elif action == "move":
            pending.append(time.perf_counter())
            canvas.extend_stroke(x, y)
        elif action == "end":
            canvas.end_stroke()
        else:
            canvas.clear()

    feeder.timeout.connect(feed)
    feeder.start()
    loop.exec()
    reading.disconnect(on_reading)
    clock.listeners.remove(on_painted)
    return read_ms, shown_ms, readings


@contextmanager
def as_before(window: MainWindow, old_preprocess):
    """The Draw tab as before issue 15: a reading per 16 ms frame at most, the old
    preprocess with OpenCV's default threads, the model read unfused. Bench only;
    everything is put back after."""
    recognizer = window.draw_tab.recognizer()
    saved = (draw_tab_module.READ_INTERVAL_MS, draw_tab_module.preprocess, recognizer._reader)
    threads = cv2.getNumThreads()
    draw_tab_module.READ_INTERVAL_MS = 16
    draw_tab_module.preprocess = old_preprocess
    recognizer._reader = recognizer.checkpoint.model
    cv2.setNumThreads(-1)  # OpenCV's default: as many as the machine has cores
    try:
        yield
    finally:
        (draw_tab_module.READ_INTERVAL_MS, draw_tab_module.preprocess,
         recognizer._reader) = saved
        cv2.setNumThreads(threads)


@contextmanager
def inside_as_before():
    """The Inside tab reading at most once per 16 ms frame, as it first did. Bench only."""
    saved = inside_page_module.READ_INTERVAL_MS
    inside_page_module.READ_INTERVAL_MS = 16
    try:
        yield
    finally:
        inside_page_module.READ_INTERVAL_MS = saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1500, help="pen events per rate")
    parser.add_argument("--rates", type=float, nargs="+", default=[60.0, 125.0],
                        help="input events per second (60: one per frame; 125: a USB mouse)")
    parser.add_argument("--inside", action="store_true",
                        help="also measure each rate with the Inside tab open")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the Draw tab as it was before issue 15")
    args = parser.parse_args()
    old_preprocess = module_at(BASELINE, "digitpad/drawing/preprocess.py").preprocess
    app = QApplication.instance() or QApplication([])
    settings = os.path.join(os.environ.get("TMPDIR", "/tmp"), "digitpad-bench-settings")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings)
    clock = PaintClock()
    window = MainWindow()
    window.show()
    window.use_recognizer(Recognizer.load())
    app.processEvents()
    samples = read_pendigits(require(PENDIGITS_FILE, "pendigits"))
    side = window.draw_tab.canvas.canvas_size()[0]
    print(f"Machine: {machine()} (the GUI thread reads with 1)")
    print(f"Model: {window.draw_tab.recognizer().describe()}")
    print(f"Canvas {window.draw_tab.canvas.width()}×{window.draw_tab.canvas.height()} px, "
          f"Qt platform {app.platformName()}\n")
    for rate in args.rates:
        events, taken = [], 0
        for start in range(0, len(samples), 20):
            events += replay_points(samples[start:start + 20], side)
            taken = sum(action in ("begin", "move") for action, _, _ in events)
            if taken >= args.points:
                break
        views = [(False, "Draw tab (Inside closed)", nullcontext())]
        if not args.no_baseline:
            views.append((False, "Draw tab, BASELINE (before issue 15)",
                          as_before(window, old_preprocess)))
        if args.inside:
            views.append((True, "Inside tab open", nullcontext()))
            if not args.no_baseline:
                views.append((True, "Inside tab open, BASELINE (16 ms frames)",
                              inside_as_before()))
        for inside, view, setting in views:
            window.tabs.setCurrentWidget(window.inside_page if inside else window.draw_tab)
            app.processEvents()
            with setting:
                read_ms, shown_ms, readings = measure(app, window, events, rate, clock, inside)
            print(f"{rate:.0f} pen events/s, {view}: {len(shown_ms)} updates, "
                  f"{readings} readings")
            for name, values in (("read", read_ms), ("shown", shown_ms)):
                print(f"  {name:<6} p50 {percentile(values, 50):5.1f} ms   "
                      f"p99 {percentile(values, 99):5.1f} ms   max {max(values):5.1f} ms")
            met = percentile(shown_ms, 99) <= 16.0
            print(f"  goal p99 shown ≤ 16 ms: {'met' if met else 'NOT met'}\n")
        window.tabs.setCurrentWidget(window.draw_tab)
    window.close()


if __name__ == "__main__":
    main()
