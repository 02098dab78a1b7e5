"""Loading the model in the background, so the window appears at once.

Importing torch and reading the weights take a second or more; the window is
shown first and drawing works meanwhile. A worker QObject runs the loading in
a QThread (Qt's "Threads and QObjects" pattern) and reports with signals,
which Qt delivers on the GUI thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot


class _Worker(QObject):
    loaded = Signal(object)  # the Recognizer
    failed = Signal(str)  # one line for the user
    note = Signal(str)  # the remembered model could not be used: why, in one line

    def __init__(self, path: Path | None) -> None:
        super().__init__()
        self._path = path

    @Slot()
    def run(self) -> None:
        try:
            import numpy as np

            # torch is imported here, off the GUI thread, and only now.
            from digitpad.recognizer import Recognizer

            note = None
            if self._path is None:  # the model the user chose last time, else the built-in one
                from digitpad.store.model_in_use import load_model_in_use

                checkpoint, note = load_model_in_use()
                recognizer = Recognizer(checkpoint)
            else:
                recognizer = Recognizer.load(self._path)
            # The first forward pass pays one-off set-up costs; pay them here,
            # not on the user's first stroke.
            recognizer.probabilities(np.zeros((1, 28, 28), np.float32))
        except Exception as error:  # whatever it is, the user gets a message, not a traceback
            self.failed.emit(_message(error))
        else:
            self.loaded.emit(recognizer)
            if note:
                self.note.emit(note)


def _message(error: Exception) -> str:
    from trainer.errors import TrainerError

    if isinstance(error, TrainerError):  # written for people already
        return str(error)
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"the model could not be loaded ({type(error).__name__}: {first_line})"


class ModelLoader(QObject):
    """Loads a Recognizer (`path`, or the model in use: remembered, else built-in) in the
    background."""

    loaded = Signal(object)  # the Recognizer, on the GUI thread
    failed = Signal(str)
    note = Signal(str)  # after loaded: why the remembered model was not used

    def __init__(self, path: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._path = path
        self._thread: QThread | None = None
        self._worker: _Worker | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = QThread()
        self._thread.setObjectName("model loader")
        self._worker = _Worker(self._path)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.loaded.connect(self.loaded)
        self._worker.failed.connect(self.failed)
        self._worker.note.connect(self.note)
        # The thread has one job: it ends when the job is done.
        self._worker.loaded.connect(self._thread.quit)
        self._worker.failed.connect(self._thread.quit)
        self._thread.start()

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def stop(self) -> None:
        """Wait for the loading to end (it cannot be interrupted midway): Qt must
        not destroy a running thread when the program quits."""
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
