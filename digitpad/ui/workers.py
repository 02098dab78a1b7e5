"""The one way DigitPad works off the GUI thread: a generator run by a `Worker`.

A job is a generator function. It runs in a thread of its own; what it yields
arrives on the GUI thread as `yielded`, what it returns as `returned`, an
exception it raises as `errored` (the exception itself: its message is one
line for the user when it is one of ours), and `finished` comes last, whatever
happened. Cancel and pause are checked between yields.

This is the shape of superqt's `thread_worker` (the napari team's), written
here in Qt's "Threads and QObjects" pattern instead: the object that emits
lives in the thread that emits, and its signals are forwarded to the Worker on
the GUI thread. superqt emits from its pool threads through an object that
lives on the GUI thread, and with PySide6 6.11 that crashed the window's tests
about once in four runs on a busy machine (segmentation faults while
delivering `yielded`; PySide bug PYSIDE-3124 describes the same); the pattern
DigitPad used before ran thousands of runs without one.

* `quit()` calls the job's own `stop` (for a training run: the engine's cancel
  flag, which it also checks inside an evaluation) and lets the generator run
  to its end, so a stopped run still returns what it kept. A job without a
  `stop` is dropped at its next yield (`aborted`), and its generator is closed
  in its own thread, so its `with` blocks release their files.
* Pause and resume set one wish that the job's thread reads between yields, so
  a Continue clicked before the next yield is never lost.
* `wait()`: the window must not close while a job still runs.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Generator
from typing import ClassVar

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot


class _Signals(QObject):
    """What a job says; the Worker (GUI thread) and its runner (job thread) each have them."""

    started = Signal()
    yielded = Signal(object)
    returned = Signal(object)
    errored = Signal(object)  # the exception itself
    paused = Signal()
    resumed = Signal()
    aborted = Signal()  # dropped at a yield by quit(), with no stop of its own
    finished = Signal()  # last, whatever happened


# What a runner says is said again by its Worker; `finished` waits for the thread's end.
_FORWARDED = ("started", "yielded", "returned", "errored", "paused", "resumed", "aborted")


class Worker(_Signals):
    """Runs `job(*args, **kwargs)`, a generator function, off the GUI thread."""

    # Started workers stay alive until their thread has ended, even if the
    # caller lets go of them: Qt must never destroy a running thread.
    _alive: ClassVar[set[Worker]] = set()

    def __init__(self, job: Callable[..., Generator], *args,
                 stop: Callable[[], None] | None = None, **kwargs) -> None:
        super().__init__()
        self._job = job
        self._args, self._kwargs = args, kwargs
        self._stop = stop
        self._abort = False
        self._go = threading.Event()  # cleared while the user wants a pause
        self._go.set()
        self._paused = False
        self._done = threading.Event()
        self._thread: QThread | None = None
        self._runner: _Runner | None = None

    # -- control, from the GUI thread -----------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("this worker has been started already")
        thread = self._thread = QThread()
        thread.setObjectName(getattr(self._job, "__name__", "worker"))
        runner = self._runner = _Runner(self)
        runner.moveToThread(thread)
        for name in _FORWARDED:
            getattr(runner, name).connect(getattr(self, name))  # queued: GUI thread
        thread.started.connect(runner.run)
        # Direct: quit() is thread-safe, and the GUI thread may be blocked in wait().
        runner.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        thread.finished.connect(self._thread_ended)
        Worker._alive.add(self)
        # Collect garbage here, in the GUI thread: otherwise the job's allocations may
        # run the collector in the worker thread, and a QObject wrapper left in a cycle
        # (a closed window, menu or dialog) would then be destroyed there, which
        # deadlocked against the GUI thread destroying a widget (seen in the UI tests).
        gc.collect()
        thread.start()

    def run(self) -> None:
        """Run the job here, in the calling thread, to its end: for tests that want a
        stop to land exactly where they ask for it. The signals come as they would."""
        runner = _Runner(self)
        for name in (*_FORWARDED, "finished"):
            getattr(runner, name).connect(getattr(self, name))  # same thread: direct
        runner.run()

    def quit(self) -> None:
        self._go.set()  # a paused job must wake up to stop
        if self._stop is not None:
            self._stop()
        else:
            self._abort = True

    def pause(self) -> None:
        self._go.clear()

    def resume(self) -> None:
        self._go.set()

    def toggle_pause(self) -> None:
        self.resume() if self.wants_pause else self.pause()

    @property
    def wants_pause(self) -> bool:
        return not self._go.is_set()

    @property
    def is_paused(self) -> bool:
        """Held between two yields right now."""
        return self._paused

    def wait(self, seconds: float | None = None) -> bool:
        """Block until the job has ended (True), or `seconds` have passed (False)."""
        if not self._done.wait(seconds):
            return False
        if self._thread is not None:
            self._thread.wait()  # moments after the job: the thread's own ending
        return True

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def _thread_ended(self) -> None:
        # `finished` waits for the thread itself to end, so whoever hears it may drop
        # the worker, close the window or quit at once.
        Worker._alive.discard(self)
        self.finished.emit()


class _Runner(_Signals):
    """Lives in the job's thread and emits from there."""

    def __init__(self, worker: Worker) -> None:
        super().__init__()
        self._worker = worker

    @Slot()
    def run(self) -> None:
        worker = self._worker
        self.started.emit()
        try:
            generator = worker._job(*worker._args, **worker._kwargs)
            self._drive(worker, generator)
        except Exception as error:  # noqa: BLE001 - handed to the GUI, never lost
            self.errored.emit(error)
        finally:
            # A finished worker pins neither its job's data (a training session holds
            # a model, its optimizer and the data sets) nor this runner.
            worker._args, worker._kwargs, worker._stop = (), {}, None
            self._worker = None
            worker._done.set()
            self.finished.emit()
            # Handed back to the GUI thread, which deletes it with the worker; this
            # thread is about to end.
            app = QCoreApplication.instance()
            if app is not None and self.thread() is not app.thread():
                self.moveToThread(app.thread())

    def _drive(self, worker: Worker, generator: Generator) -> None:
        while True:
            if worker._abort:
                generator.close()
                self.aborted.emit()
                return
            if not worker._go.is_set():
                worker._paused = True
                self.paused.emit()
                worker._go.wait()
                worker._paused = False
                self.resumed.emit()
                continue
            try:
                value = generator.send(None)
            except StopIteration as end:
                self.returned.emit(end.value)
                return
            self.yielded.emit(value)
