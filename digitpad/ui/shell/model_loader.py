"""Loading the model in the background, so the window appears at once.

Importing torch and reading the weights take a second or more; the window is
shown first and drawing works meanwhile. The model file is first read with
NumPy (the NumpyRecognizer, a few milliseconds), so drawings are read while
torch is still being imported; then the Recognizer, with torch, takes over.
The loading is a job for the worker pattern (digitpad.ui.workers);
`ModelLoader` turns its outcome into signals, which arrive on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from digitpad.ui.workers import Worker


def load(path: Path | None) -> Generator[object, None, tuple[object, str | None]]:
    """Yields a NumpyRecognizer for `path` (None: the model the user chose last time,
    else the built-in one) if NumPy can read it; returns the Recognizer, with torch, and
    why the remembered model was not used (or None)."""
    import numpy as np

    from digitpad.numpy_recognizer import NumpyRecognizer
    from digitpad.store.model_in_use import model_to_read
    from trainer.errors import TrainerError

    try:
        # Loading reads a blank image once already (its shape check): no warm-up needed.
        early = NumpyRecognizer.load(path or model_to_read())
    except (TrainerError, ImportError):
        pass  # another architecture, or a file torch will say more about: wait for torch
    else:
        yield early

    # torch is imported here, off the GUI thread, and only now.
    from digitpad.recognizer import Recognizer

    note = None
    if path is None:
        from digitpad.store.model_in_use import load_model_in_use

        checkpoint, note = load_model_in_use()
        recognizer = Recognizer(checkpoint)
    else:
        recognizer = Recognizer.load(path)
    # The first forward pass pays one-off set-up costs; pay them here, not on
    # the user's first stroke.
    recognizer.read(np.zeros((1, 28, 28), np.float32))
    return recognizer, note


class ModelLoader(QObject):
    """Loads a Recognizer (`path`, or the model in use: remembered, else built-in) in the
    background."""

    # First: a recognizer drawings can be read with (the NumpyRecognizer if NumPy can
    # read the model, else the Recognizer itself), on the GUI thread; once.
    ready = Signal(object)
    loaded = Signal(object)  # the Recognizer (with torch), on the GUI thread
    failed = Signal(object)  # the exception: why there is no model
    note = Signal(str)  # after loaded: why the remembered model was not used

    def __init__(self, path: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._path = path
        self.worker: Worker | None = None
        self.early: object | None = None  # the NumpyRecognizer, once there is one

    def start(self) -> None:
        if self.worker is not None:
            return
        self.worker = Worker(load, self._path)
        self.worker.yielded.connect(self._read_early)
        self.worker.returned.connect(self._loaded)
        self.worker.errored.connect(self.failed)
        self.worker.start()

    def _read_early(self, early: object) -> None:
        self.early = early
        self.ready.emit(early)

    def _loaded(self, outcome: tuple[object, str | None]) -> None:
        recognizer, note = outcome
        if self.early is None:
            self.ready.emit(recognizer)
        self.loaded.emit(recognizer)
        if note:
            self.note.emit(note)

    def is_running(self) -> bool:
        return self.worker is not None and not self.worker.done

    def stop(self) -> None:
        """Wait for the loading to end (it cannot be interrupted midway): the program
        must not quit with a thread still running."""
        if self.worker is not None:
            self.worker.wait()
