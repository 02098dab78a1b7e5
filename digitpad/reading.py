"""Reading a drawing: the four answers, and what every recognizer does with its
probabilities, with torch or without.

`BaseRecognizer` holds the reading rules shared by the Recognizer (torch, the
model in use) and the NumpyRecognizer (NumPy, the same model read while torch
is still loading): preprocess, judge the calibrated probabilities, name the
model. Nothing here imports torch, so the Draw tab can read with it at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from digitpad.drawing.preprocess import PREPROCESS_VERSION, Preprocessed, preprocess
from digitpad.figures import percent
from digitpad.resources import embedded_model_path
from trainer.model_file import DEFAULT_SURE


class ModelFile(Protocol):
    """What the reading needs to know of a model: a Checkpoint or ModelFacts."""

    arch: str
    path: Path | None
    calibration: dict
    preprocess_version: int | None

    @property
    def test_accuracy(self) -> float | None: ...


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


class BaseRecognizer:
    """Reads drawings with a model; subclasses say how (`read`) and with what (`checkpoint`)."""

    @property
    def checkpoint(self) -> ModelFile:
        raise NotImplementedError

    def read(self, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(digit probabilities (N, 10), not-a-digit probabilities (N,)), calibrated, for
        N 28×28 images in 0..1."""
        raise NotImplementedError

    def read_in_one_thread(self) -> None:
        """Make the calling thread's readings use one thread (the Draw tab reads one
        drawing at a time, which one thread does fastest)."""

    @property
    def is_embedded(self) -> bool:
        path = self.checkpoint.path
        return path is not None and path.resolve() == embedded_model_path().resolve()

    def name(self, *, short: bool = False) -> str:
        """The model in a few words: "built-in model", its file, or "new model"; `short`
        gives only the file's name, for places where a long path cannot wrap."""
        path = self.checkpoint.path
        if self.is_embedded:
            return "built-in model"
        if path is None:
            return "new model"
        return path.stem if short else str(path)

    def describe(self, *, short: bool = False) -> str:
        """The model, its architecture and how well it reads MNIST, on one line."""
        accuracy = self.checkpoint.test_accuracy
        figure = f", {percent(accuracy)} on MNIST test" if accuracy is not None else ""
        return f"{self.name(short=short)} ({self.checkpoint.arch}{figure})"

    def probabilities(self, images: np.ndarray) -> np.ndarray:
        """Calibrated probabilities (N, 10) of the ten digits for N 28×28 images in 0..1."""
        return self.read(images)[0]

    def thresholds(self) -> tuple[float, float]:
        """(least top probability shown as sure, least not-a-digit probability called so)."""
        calibration = self.checkpoint.calibration
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


def preprocess_version_warning(checkpoint: ModelFile) -> str | None:
    """A note when a model was trained for another preprocessing than this one."""
    version = checkpoint.preprocess_version
    if version is not None and version != PREPROCESS_VERSION:
        return (f"this model was trained with preprocessing version {version}; DigitPad now "
                f"uses version {PREPROCESS_VERSION}, so it may read drawings less well")
    return None
