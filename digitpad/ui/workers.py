"""The one way DigitPad works off the GUI thread: superqt's GeneratorWorker.

A job is a generator function. It runs in a thread of Qt's pool; what it
yields arrives on the GUI thread as `yielded`, what it returns as `returned`,
an exception it raises as `errored` (the exception itself: its message is one
line for the user when it is one of ours), and `finished` comes last, whatever
happened. Cancel and pause are checked between yields.

`Worker` is superqt's GeneratorWorker with four changes, each for a reason:

* `quit()` calls the job's own `stop` (for a training run: the engine's cancel
  flag, which it also checks inside an evaluation) and lets the generator run
  to its end, so a stopped run still returns what it kept. superqt's quit()
  drops the generator at its next yield instead; that remains what happens to
  a job without a `stop`, and its generator is then closed here, on its own
  thread, so its `with` blocks release their files.
* Pause and resume set one wish that the worker reads between yields.
  superqt's pair of request flags loses a resume that comes before the worker
  reached its next yield (Pause then Continue quickly), and it stays paused.
* `start()` hands the job to the pool at once; superqt delays that with a timer
  when an event loop runs, and a GUI thread blocked in `wait()` (closing the
  window) would then wait for a job that never starts.
* `wait()`: the window must not close while a job still runs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator

from PySide6.QtCore import QThreadPool
from superqt.utils import GeneratorWorker

# Model loading, one training and one download may run at once; a two-core
# machine's pool would otherwise make the third wait for the first.
MINIMUM_POOL_THREADS = 4


class Worker(GeneratorWorker):
    """Runs `job(*args, **kwargs)`, a generator function, off the GUI thread."""

    def __init__(self, job: Callable[..., Generator], *args,
                 stop: Callable[[], None] | None = None, **kwargs) -> None:
        super().__init__(job, *args, **kwargs)
        self._stop = stop
        self._go = threading.Event()  # cleared while the user wants a pause
        self._go.set()
        self._done = threading.Event()

    # -- control, from the GUI thread -----------------------------------------

    def start(self) -> None:
        pool = QThreadPool.globalInstance()
        pool.setMaxThreadCount(max(pool.maxThreadCount(), MINIMUM_POOL_THREADS))
        self._worker_set.add(self)  # superqt's record of live workers (await_workers)
        self._finished.connect(self._set_discard)
        pool.start(self)

    def quit(self) -> None:
        self._go.set()  # a paused job must wake up to stop
        if self._stop is not None:
            self._stop()
        else:
            super().quit()

    def pause(self) -> None:
        self._go.clear()

    def resume(self) -> None:
        self._go.set()

    def toggle_pause(self) -> None:
        self.resume() if self.wants_pause else self.pause()

    @property
    def wants_pause(self) -> bool:
        return not self._go.is_set()

    def wait(self, seconds: float | None = None) -> bool:
        """Block until the job has ended (True), or `seconds` have passed (False)."""
        return self._done.wait(seconds)

    @property
    def done(self) -> bool:
        return self._done.is_set()

    # -- in the pool's thread ---------------------------------------------------

    def run(self) -> None:
        try:
            super().run()
        finally:
            self._done.set()

    def work(self):
        while True:
            if self.abort_requested:
                self.aborted.emit()
                self._gen.close()
                return None
            if not self._go.is_set():
                self._paused = True
                self.paused.emit()
                self._go.wait()
                self._paused = False
                self.resumed.emit()
                continue
            try:
                self.yielded.emit(self._gen.send(None))
            except StopIteration as end:
                return end.value

