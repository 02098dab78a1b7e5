"""The model in use, read with NumPy while torch is still loading.

Importing torch takes about a second of the start-up. The window reads the
first drawings with this recognizer (the same model file, the same answers to
float rounding: trainer/numpy_model.py) and switches to the Recognizer once
torch has loaded; the Trainer, Inside and Mistakes tabs wait for that one.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from digitpad.reading import BaseRecognizer
from trainer.model_file import ModelFacts
from trainer.numpy_model import NumpyModel, load_numpy_model


class StartupRecognizer(BaseRecognizer):
    def __init__(self, model: NumpyModel) -> None:
        self._model = model

    @classmethod
    def load(cls, path: str | Path) -> StartupRecognizer:
        """The model file at `path`; CheckpointError if NumPy cannot read it (the caller
        then waits for torch, which says what is wrong, or reads it)."""
        # One drawing at a time is read fastest by one thread; a second one only
        # waits, and spins against the thread importing torch.
        from threadpoolctl import threadpool_limits

        threadpool_limits(1, user_api="blas")
        return cls(load_numpy_model(path))

    def read_in_one_thread(self) -> None:
        pass  # NumPy's matrix library reads with one thread since load()

    @property
    def checkpoint(self) -> ModelFacts:
        return self._model.facts

    def read(self, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(digit probabilities (N, 10), not-a-digit probabilities (N,)), calibrated."""
        return self._model.probabilities(images)
