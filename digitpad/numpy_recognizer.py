"""A model read with NumPy, for when torch is not loaded yet, or not needed.

Importing torch takes about a second. Reading drawings needs only the forward
pass, which trainer/numpy_model.py gives for digitnet and quicknet (the same
answers as torch to float rounding). So the window reads the first drawings
with a NumpyRecognizer and switches to the Recognizer once torch has loaded
(the Trainer, Inside and Mistakes tabs wait for that one), and `digitpad
predict` reads with one (digitpad/cli/predict.py) and never imports torch.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from digitpad.reading import BaseRecognizer
from trainer.model_file import ModelFacts
from trainer.numpy_model import NumpyModel, load_numpy_model


class NumpyRecognizer(BaseRecognizer):
    def __init__(self, model: NumpyModel) -> None:
        self._model = model

    @classmethod
    def load(cls, path: str | Path) -> NumpyRecognizer:
        """The model file at `path`; CheckpointError if NumPy cannot read it (the caller
        then loads it with torch, which reads it or says what is wrong)."""
        # One drawing at a time is read fastest by one thread; a second one only
        # waits, and spins against a thread importing torch.
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
