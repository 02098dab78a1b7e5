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
from digitpad.inside.network import Inspection, inspect_image
from digitpad.resources import embedded_model_path
from trainer.calibration import (
    DEFAULT_SURE,
    digit_probabilities,
    not_a_digit_probability,
)
from trainer.checkpoint import Checkpoint, load_checkpoint
from trainer.inference import inference_copy

# Below this probability for the top digit, an uncalibrated model says "unsure"
# instead of guessing; a calibrated model carries its own threshold, chosen from data.
SURE_CONFIDENCE = DEFAULT_SURE

# The four answers to a drawing.
DIGIT, UNSURE, NOT_A_DIGIT, EMPTY_VERDICT = "digit", "unsure", "not a digit", "empty"
VERDICTS = (DIGIT, UNSURE, NOT_A_DIGIT, EMPTY_VERDICT)


@dataclass(frozen=True)
class Prediction:
    digit: int | None  # the most likely digit; None when there is nothing to read
    confidence: float  # its (calibrated) probability
    probabilities: tuple[float, ...]  # of the ten digits
    image: np.ndarray | None  # the 28×28 input the network saw
    sure: bool  # verdict == "digit"
    reason: str = ""  # why we are not sure, for the user
    verdict: str = DIGIT  # one of VERDICTS
    runner_up: int | None = None  # the second most likely digit
    not_a_digit: float = 0.0  # the probability that it is no digit at all

    def to_json(self) -> dict:
        readable = self.verdict in (DIGIT, UNSURE)
        return {"verdict": self.verdict, "digit": self.digit if readable else None,
                "runner_up": self.runner_up if readable else None,
                "confidence": round(self.confidence, 6),
                "not_a_digit": round(self.not_a_digit, 6),
                "probabilities": [round(p, 6) for p in self.probabilities]}


EMPTY = Prediction(None, 0.0, (0.0,) * 10, None, False, "nothing drawn yet", EMPTY_VERDICT)


class Recognizer:
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
        reader = inference_copy(checkpoint.model)
        with self._lock:
            self._checkpoint, self._reader = checkpoint, reader

    def probabilities(self, images: np.ndarray) -> np.ndarray:
        """Calibrated probabilities (N, 10) of the ten digits for N 28×28 images in 0..1."""
        return self.read(images)[0]

    def read(self, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(digit probabilities (N, 10), not-a-digit probabilities (N,)), calibrated."""
        batch = torch.from_numpy(np.ascontiguousarray(images, np.float32)).view(-1, 1, 28, 28)
        with self._lock, torch.inference_mode():
            checkpoint = self._checkpoint
            logits = self._reader(batch)
            return (digit_probabilities(logits, checkpoint).numpy(),
                    not_a_digit_probability(logits, checkpoint).numpy())

    def thresholds(self) -> tuple[float, float]:
        """(least top probability shown as sure, least not-a-digit probability called so)."""
        calibration = self._checkpoint.calibration
        sure, rejection = calibration.get("sure"), calibration.get("not_a_digit")
        sure = float(sure) if isinstance(sure, (int, float)) and 0 < sure <= 1 else SURE_CONFIDENCE
        rejection = (float(rejection) if isinstance(rejection, (int, float)) and 0 < rejection <= 1
                     else 0.5)
        return sure, rejection

    def predict_ink(self, ink: np.ndarray) -> Prediction:
        """Preprocess an ink image and read it."""
        return self.predict(preprocess(ink))

    def predict(self, processed: Preprocessed | None) -> Prediction:
        if processed is None:
            return EMPTY
        probabilities, rejections = self.read(processed.image[None])
        return judge(probabilities[0], float(rejections[0]), processed.image,
                     *self.thresholds())

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


def judge(probabilities: np.ndarray, not_a_digit: float, image: np.ndarray | None,
          sure: float = SURE_CONFIDENCE, rejection: float = 0.5) -> Prediction:
    """The verdict on one drawing from its digit and not-a-digit probabilities."""
    runner_up, digit = (int(d) for d in np.argsort(probabilities)[-2:])
    confidence = float(probabilities[digit])
    verdict, reason = DIGIT, ""
    if not_a_digit >= rejection:
        verdict, reason = NOT_A_DIGIT, "this does not look like a digit"
    elif confidence < sure:
        verdict, reason = UNSURE, "this could be several digits"
    return Prediction(digit, confidence, tuple(float(p) for p in probabilities), image,
                      verdict == DIGIT, reason, verdict, runner_up, not_a_digit)


def _answer(output: torch.Tensor) -> int:
    return int(output[:10].argmax())


def preprocess_version_warning(checkpoint: Checkpoint) -> str | None:
    """A note when a model was trained for another preprocessing than this one."""
    version = checkpoint.preprocess_version
    if version is not None and version != PREPROCESS_VERSION:
        return (f"this model was trained with preprocessing version {version}; DigitPad now "
                f"uses version {PREPROCESS_VERSION}, so it may read drawings less well")
    return None
