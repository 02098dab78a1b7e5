"""Confidence that means what it says: temperature scaling, the thresholds of
the verdicts, and how calibration is measured.

A model returns log-probabilities over the ten digits, or over ten digits and
"not a digit" (an eleventh output, `NOT_A_DIGIT`). Its raw probabilities are
rarely honest: label smoothing and augmentation leave a model that is right
98.5 % of the time saying 94.7 %. Temperature scaling (Guo et al., 2017)
divides the logits by one number T, fitted on held-out drawings by minimising
the negative log-likelihood; it changes how sure the model says it is, never
which digit it reads.

The fitted values live in the model file's metadata under "calibration":

    {"temperature": T, "fitted_on": "...", "ece_before": ..., "ece_after": ...,
     "sure": p, "not_a_digit": q, "reliability": {...}}

"sure" is the least top-digit probability shown as a sure reading; "not_a_digit"
the least not-a-digit probability at which a drawing is called not a digit. A
model without calibration reads as it always did (T = 1).

`digit_probabilities` and `not_a_digit_probability` are pure torch, so they
trace into an exported graph.
"""

from __future__ import annotations

import math

import torch
from torch.nn import functional as F

from trainer.inference import inference_copy

# Read from a model's metadata the same way with torch and without (trainer/model_file.py);
# NOT_A_DIGIT is the label, and the output, of "not a digit" in an eleven-output model.
from trainer.model_file import (  # noqa: F401
    DEFAULT_SURE,
    DIGITS,
    NOT_A_DIGIT,
    calibration_of,
    temperature,
)

BINS = 15


def digit_probabilities(logits: torch.Tensor, source: object = None) -> torch.Tensor:
    """(N, 10) calibrated probabilities of the ten digits.

    `logits` are the model's outputs (log-probabilities do as well: softmax
    ignores a constant per row). For an eleven-output model these are the
    digits' probabilities given that the drawing is a digit, so they sum to 1."""
    scaled = logits / temperature(source)
    return torch.softmax(scaled[:, :DIGITS], dim=1)


def not_a_digit_probability(logits: torch.Tensor, source: object = None) -> torch.Tensor:
    """(N,) calibrated probability of "not a digit"; zeros for a ten-output model."""
    if logits.shape[1] <= DIGITS:
        return torch.zeros(logits.shape[0], dtype=logits.dtype)
    return torch.softmax(logits / temperature(source), dim=1)[:, NOT_A_DIGIT]


def fit_temperature(logits: torch.Tensor, labels: torch.Tensor) -> float:
    """The T that minimises the NLL of the digit probabilities on (digit) `labels`."""
    logits = logits[:, :DIGITS].detach().double()
    labels = labels.long()
    log_t = torch.zeros((), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.LBFGS([log_t], lr=0.1, max_iter=200, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        loss = F.cross_entropy(logits / log_t.exp(), labels)
        loss.backward()
        return loss

    optimizer.step(closure)
    value = float(log_t.detach().exp())
    return min(max(value, 0.05), 20.0) if math.isfinite(value) else 1.0


def reliability(confidences: torch.Tensor, correct: torch.Tensor, bins: int = BINS) -> dict:
    """Per equal-width confidence bin: how many readings, their mean confidence and
    their accuracy; and the expected calibration error (the count-weighted mean gap)."""
    confidences = confidences.double().clamp(0, 1)
    correct = correct.double()
    index = (confidences * bins).long().clamp(max=bins - 1)
    counts = torch.bincount(index, minlength=bins).double()
    confidence_sum = torch.bincount(index, confidences, minlength=bins)
    correct_sum = torch.bincount(index, correct, minlength=bins)
    safe = counts.clamp(min=1)
    mean_confidence, accuracy = confidence_sum / safe, correct_sum / safe
    total = max(float(counts.sum()), 1.0)
    ece = float(((mean_confidence - accuracy).abs() * counts).sum() / total)
    return {"bins": bins, "counts": [int(c) for c in counts],
            "confidence": [round(float(c), 5) for c in mean_confidence],
            "accuracy": [round(float(a), 5) for a in accuracy], "ece": round(ece, 6)}


def expected_calibration_error(confidences: torch.Tensor, correct: torch.Tensor,
                               bins: int = BINS) -> float:
    return reliability(confidences, correct, bins)["ece"]


def choose_sure_threshold(confidences: torch.Tensor, correct: torch.Tensor,
                          accuracy_goal: float = 0.997,
                          least_coverage: float = 0.0) -> tuple[float, float, float]:
    """The least top probability t such that readings at or above t are right at
    least `accuracy_goal` of the time, but never so high that fewer than
    `least_coverage` of the readings are shown as sure; returns (t, coverage,
    accuracy there). Coverage is the share of readings at or above t."""
    order = torch.argsort(confidences.double(), descending=True)
    sorted_conf = confidences.double()[order]
    right = correct.double()[order].cumsum(0)
    shown = torch.arange(1, len(order) + 1, dtype=torch.float64)
    accuracy = right / shown
    # The widest prefix (most readings shown as sure) that keeps the goal, cut
    # only where the confidence changes.
    good = (accuracy >= accuracy_goal).nonzero().flatten()
    last = int(good[-1]) if len(good) else -1
    # Enough readings shown as sure, even where the goal would want fewer.
    last = max(last, math.ceil(least_coverage * len(order)) - 1)
    if last < 0:
        return 1.0, 0.0, 0.0
    threshold = float(sorted_conf[last])
    keep = confidences.double() >= threshold
    coverage = float(keep.double().mean())
    return threshold, coverage, float(correct.double()[keep].mean())


def choose_not_a_digit_threshold(digit_scores: torch.Tensor, allowed: float = 0.002) -> float:
    """The not-a-digit probability above which at most `allowed` of real digits fall."""
    if len(digit_scores) == 0:
        return 0.5
    value = float(torch.quantile(digit_scores.double(), 1 - allowed))
    return min(max(value, 0.05), 0.99)


def calibration_record(digit_logits: torch.Tensor, labels: torch.Tensor, fitted_on: str, *,
                       negative_logits: torch.Tensor | None = None,
                       accuracy_goal: float = 0.997, least_coverage: float = 0.0,
                       allowed_rejections: float = 0.002) -> dict:
    """Everything the "calibration" metadata holds, fitted on held-out digits (and,
    for an eleven-output model, the thresholds from the same digits)."""
    before = _top(digit_probabilities(digit_logits), labels)
    t = fit_temperature(digit_logits, labels)
    calibration = {"temperature": round(t, 5)}
    after = _top(digit_probabilities(digit_logits, calibration), labels)
    sure, coverage, accuracy = choose_sure_threshold(*after, accuracy_goal, least_coverage)
    record = {
        "temperature": round(t, 5), "fitted_on": fitted_on,
        "ece_before": expected_calibration_error(*before),
        "ece_after": expected_calibration_error(*after),
        "sure": round(max(sure, 0.34), 6), "sure_coverage": round(coverage, 6),
        "sure_accuracy": round(accuracy, 6), "reliability": reliability(*after),
    }
    if digit_logits.shape[1] > DIGITS:
        scores = not_a_digit_probability(digit_logits, calibration)
        record["not_a_digit"] = round(choose_not_a_digit_threshold(scores, allowed_rejections), 6)
        if negative_logits is not None and len(negative_logits):
            caught = not_a_digit_probability(negative_logits, calibration) >= record["not_a_digit"]
            record["negatives_caught"] = round(float(caught.double().mean()), 6)
    return record


def _top(probabilities: torch.Tensor, labels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    confidence, digit = probabilities.max(dim=1)
    return confidence, digit == labels


def model_logits(model: torch.nn.Module, images: torch.Tensor,
                 batch_size: int = 1000) -> torch.Tensor:
    """The model's outputs for uint8 (N, 28, 28) or float (N, 1, 28, 28) images."""
    model.eval()
    # Read with the BatchNorm-folded, channels-last copy: the same outputs to 1e-5, in
    # a third of the time for quicknet and half for digitnet (10,000 images, one thread).
    model = inference_copy(model)
    outputs = []
    with torch.inference_mode():
        for start in range(0, len(images), batch_size):
            x = images[start:start + batch_size]
            if x.dtype == torch.uint8:
                x = x.unsqueeze(1).float().div_(255)
            outputs.append(model(x.view(-1, 1, 28, 28)))
    if not outputs:
        return torch.zeros(0, DIGITS)
    return torch.cat(outputs).float()
