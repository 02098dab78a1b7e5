"""The Recognizer: owns the model the program reads digits with.

One object holds the model in use behind a lock. Drawing, `digitpad predict`
and the sample store ask it for predictions; training works on its own copy
and hands a finished model over with `use()`, in one step.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import torch

from digitpad.drawing.preprocess import Preprocessed
from digitpad.inside.network import Inspection, inspect_image
from digitpad.reading import BaseRecognizer, Prediction, judge
from digitpad.resources import embedded_model_path
from trainer.calibration import digit_probabilities, not_a_digit_probability
from trainer.checkpoint import Checkpoint, load_checkpoint
from trainer.inference import inference_copy


class Recognizer(BaseRecognizer):
    def __init__(self, checkpoint: Checkpoint) -> None:
        self._lock = threading.Lock()
        checkpoint.model.eval()
        self._checkpoint = checkpoint
        # Drawings are read by a copy made for it (BatchNorm folded into the
        # convolutions); the checkpoint's model stays as trained, for the Inside view.
        self._reader = inference_copy(checkpoint.model)

    @classmethod
    def load(cls, path: str | Path | None = None) -> Recognizer:
        """The model in `path`, or the embedded one."""
        return cls(load_checkpoint(path or embedded_model_path()))

    @property
    def checkpoint(self) -> Checkpoint:
        return self._checkpoint

    def use(self, checkpoint: Checkpoint) -> None:
        """Switch to another model in one step; predictions in flight finish on the old one."""
        checkpoint.model.eval()
        reader = inference_copy(checkpoint.model)
        with self._lock:
            self._checkpoint, self._reader = checkpoint, reader

    def read_in_one_thread(self) -> None:
        # With OpenMP the setting holds for the calling thread (the GUI thread);
        # training threads set their own.
        torch.set_num_threads(1)

    def read(self, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(digit probabilities (N, 10), not-a-digit probabilities (N,)), calibrated."""
        batch = torch.from_numpy(np.ascontiguousarray(images, np.float32)).view(-1, 1, 28, 28)
        with self._lock, torch.inference_mode():
            checkpoint = self._checkpoint
            logits = self._reader(batch)
            return (digit_probabilities(logits, checkpoint).numpy(),
                    not_a_digit_probability(logits, checkpoint).numpy())

    def inspect(self, processed: Preprocessed, *, saliency_for: int | str | None = None,
                ) -> tuple[Prediction, Inspection]:
        """Read like predict(), noting what every layer made of the image in the same
        forward pass; `saliency_for`: a digit, "answer", or None for no saliency."""
        target = _answer if saliency_for == "answer" else saliency_for
        with self._lock:
            checkpoint = self._checkpoint
            seen = inspect_image(checkpoint.model, processed.image, saliency_for=target)
            logits = seen.output[None]
            probabilities = digit_probabilities(logits, checkpoint).numpy()[0]
            rejection = float(not_a_digit_probability(logits, checkpoint).numpy()[0])
        return judge(probabilities, rejection, processed.image, *self.thresholds()), seen


def _answer(output: torch.Tensor) -> int:
    return int(output[:10].argmax())
