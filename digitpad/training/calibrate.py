"""Fitting a model's calibration (temperature, "sure" and "not a digit"
thresholds) on held-out drawings, and writing it into the model file.

Called after every training run and fine-tune, so the confidence a model
shows always belongs to that model. Which held-out data is used is recorded
in the calibration's "fitted_on"; trainer/calibration.py has the method.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from trainer.calibration import calibration_record, model_logits
from trainer.checkpoint import Checkpoint, store_calibration


def fit_calibration(checkpoint: Checkpoint, images: np.ndarray | torch.Tensor,
                    labels: np.ndarray | torch.Tensor, fitted_on: str,
                    negatives: np.ndarray | torch.Tensor | None = None,
                    sure_accuracy: float = 0.997, sure_coverage: float = 0.0,
                    outputs: torch.Tensor | None = None) -> dict:
    """The calibration of `checkpoint`'s model on held-out digit `images` (uint8 or
    float in 0..1) and their `labels`; `negatives`, if given, are not-a-digit drawings.
    `outputs`: the model's outputs for `images` when they were just read (by the
    run's final test), so that they are not read again."""
    if outputs is not None and len(outputs) != len(labels):
        raise ValueError(f"{len(outputs)} outputs for {len(labels)} images")
    logits = (outputs if outputs is not None
              else model_logits(checkpoint.model, torch.as_tensor(images)))
    negative_logits = (model_logits(checkpoint.model, torch.as_tensor(negatives))
                       if negatives is not None else None)
    return calibration_record(logits, torch.as_tensor(labels), fitted_on,
                              negative_logits=negative_logits, accuracy_goal=sure_accuracy,
                              least_coverage=sure_coverage)


def calibrate_file(path: str | Path, images, labels, fitted_on: str, negatives=None,
                   checkpoint: Checkpoint | None = None, sure_accuracy: float = 0.997,
                   sure_coverage: float = 0.0) -> Checkpoint:
    """Fit the calibration of the model in `path` and store it there; returns the model
    read back with it. Too few held-out digits (under 100) leave the file as it is."""
    from trainer.checkpoint import load_checkpoint

    checkpoint = checkpoint or load_checkpoint(path)
    if len(labels) < 100:
        return checkpoint
    calibration = fit_calibration(checkpoint, images, labels, fitted_on, negatives,
                                  sure_accuracy, sure_coverage)
    return store_calibration(path, calibration)
