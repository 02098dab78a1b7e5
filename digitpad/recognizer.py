"""The Recognizer: owns the model the program reads digits with.

One object holds the model in use behind a lock. Drawing, `digitpad predict`
and the sample store ask it for predictions; training works on its own copy
and hands a finished model over with `use()`, in one step.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from digitpad.drawing.preprocess import PREPROCESS_VERSION, Preprocessed, preprocess
from digitpad.figures import percent
from digitpad.resources import embedded_model_path
from trainer.checkpoint import Checkpoint, load_checkpoint

# Below this probability for the top digit, we say "not sure" instead of guessing.
SURE_CONFIDENCE = 0.6


@dataclass(frozen=True)
class Prediction:
    digit: int | None  # None when there is nothing to read
    confidence: float
    probabilities: tuple[float, ...]
    image: np.ndarray | None  # the 28×28 input the network saw
    sure: bool
    reason: str = ""  # why we are not sure, for the user

    def to_json(self) -> dict:
        return {"digit": self.digit, "confidence": round(self.confidence, 6),
                "probabilities": [round(p, 6) for p in self.probabilities]}


EMPTY = Prediction(None, 0.0, (0.0,) * 10, None, False, "nothing drawn yet")


class Recognizer:
    def __init__(self, checkpoint: Checkpoint) -> None:
        self._lock = threading.Lock()
        self._checkpoint = checkpoint
        checkpoint.model.eval()

    @classmethod
    def load(cls, path: str | Path | None = None) -> Recognizer:
        """The model in `path`, or the embedded one."""
        return cls(load_checkpoint(path or embedded_model_path()))

    @property
    def checkpoint(self) -> Checkpoint:
        return self._checkpoint

    @property
    def is_embedded(self) -> bool:
        path = self._checkpoint.path
        return path is not None and path.resolve() == embedded_model_path().resolve()

    def name(self, *, short: bool = False) -> str:
        """The model in a few words: "built-in model", its file, or "new model"; `short`
        gives only the file's name, for places where a long path cannot wrap."""
        path = self._checkpoint.path
        if self.is_embedded:
            return "built-in model"
        if path is None:
            return "new model"
        return path.stem if short else str(path)

    def describe(self, *, short: bool = False) -> str:
        """The model, its architecture and how well it reads MNIST, on one line."""
        accuracy = self._checkpoint.test_accuracy
        figure = f", {percent(accuracy)} on MNIST test" if accuracy is not None else ""
        return f"{self.name(short=short)} ({self._checkpoint.arch}{figure})"

    def use(self, checkpoint: Checkpoint) -> None:
        """Switch to another model in one step; predictions in flight finish on the old one."""
        checkpoint.model.eval()
        with self._lock:
            self._checkpoint = checkpoint

    def probabilities(self, images: np.ndarray) -> np.ndarray:
        """Probabilities (N, 10) for N 28×28 images in 0..1."""
        batch = torch.from_numpy(np.ascontiguousarray(images, np.float32)).view(-1, 1, 28, 28)
        with self._lock, torch.inference_mode():
            return self._checkpoint.model(batch).exp().numpy()

    def predict_ink(self, ink: np.ndarray) -> Prediction:
        """Preprocess an ink image and read it."""
        return self.predict(preprocess(ink))

    def predict(self, processed: Preprocessed | None) -> Prediction:
        if processed is None:
            return EMPTY
        probabilities = self.probabilities(processed.image[None])[0]
        digit = int(probabilities.argmax())
        confidence = float(probabilities[digit])
        reason = ""
        if confidence < SURE_CONFIDENCE:
            reason = "this could be several digits"
        return Prediction(digit, confidence, tuple(float(p) for p in probabilities),
                          processed.image, not reason, reason)


def preprocess_version_warning(checkpoint: Checkpoint) -> str | None:
    """A note when a model was trained for another preprocessing than this one."""
    version = checkpoint.preprocess_version
    if version is not None and version != PREPROCESS_VERSION:
        return (f"this model was trained with preprocessing version {version}; DigitPad now "
                f"uses version {PREPROCESS_VERSION}, so it may read drawings less well")
    return None
