"""A DigitPad model as an ONNX graph, for the runtimes the rest of the world uses.

The graph's input is what every DigitPad model reads: a float32 batch
``images`` of shape (N, 1, 28, 28), values 0..1, ink = 1, each digit already
preprocessed the way MNIST's were (cropped to its ink, fitted in 20×20, centred
by mass in 28×28; DigitPad's `preprocess`). The batch size is free. Its output
``probabilities`` (N, 10) holds the ten digits' probabilities, calibrated when
the model carries a calibration (trainer.calibration): exactly what DigitPad
shows for the same images. A model with an eleventh output adds
``not_a_digit`` (N,), the probability that the image is no digit at all, and
the graph's metadata carries the thresholds DigitPad judges with
(``digitpad.not_a_digit_from``, ``digitpad.sure_from``), so another program
can tell "not a digit" and "unsure" apart from "a digit" as DigitPad does.

Needs the optional packages of ``digitpad[onnx]`` (onnx, onnxscript; onnxruntime
to run the graph). Uses PyTorch's torch.export-based exporter, the one that
remains supported (the TorchScript one is deprecated).
"""

from __future__ import annotations

import contextlib
import io
import logging
import warnings
from pathlib import Path

import torch
from torch import nn

from trainer.calibration import digit_probabilities, not_a_digit_probability
from trainer.checkpoint import Checkpoint
from trainer.errors import ExportError
from trainer.files import atomic_write
from trainer.model_file import DIGITS

INPUT_NAME = "images"
OUTPUT_NAME = "probabilities"
NOT_A_DIGIT_NAME = "not_a_digit"
EXTRA_HINT = "pip install 'digitpad[onnx]'"


class DigitProbabilities(nn.Module):
    """The model followed by its (calibrated) digit probabilities: one forward pass."""

    def __init__(self, checkpoint: Checkpoint) -> None:
        super().__init__()
        self.model = checkpoint.model
        self.calibration = dict(checkpoint.calibration)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return digit_probabilities(self.model(images), self.calibration)


class DigitAndRejection(DigitProbabilities):
    """The same, and the probability of "not a digit", from the same forward pass."""

    def forward(self, images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        logits = self.model(images)
        return (digit_probabilities(logits, self.calibration),
                not_a_digit_probability(logits, self.calibration))


def output_names(checkpoint: Checkpoint) -> list[str]:
    """The graph's outputs: the digits' probabilities, and "not a digit" where the
    model has an eleventh output."""
    return [OUTPUT_NAME, *([NOT_A_DIGIT_NAME] if model_outputs(checkpoint) > DIGITS else [])]


def model_outputs(checkpoint: Checkpoint) -> int:
    with torch.no_grad():
        return int(checkpoint.model.eval()(torch.zeros(1, 1, 28, 28)).shape[1])


def export_onnx(checkpoint: Checkpoint, path: str | Path) -> Path:
    """Write the model's probabilities as an ONNX file at `path` (atomically)."""
    path = Path(path)
    for package in ("onnx", "onnxscript"):
        try:
            __import__(package)
        except ImportError:
            raise ExportError(f"exporting to ONNX needs the '{package}' package: "
                              f"{EXTRA_HINT}") from None
    outputs = output_names(checkpoint)
    wrapper = (DigitAndRejection if len(outputs) > 1 else DigitProbabilities)(checkpoint).eval()
    example = torch.rand(2, 1, 28, 28)
    batch = torch.export.Dim("batch", min=1)
    # The exporter reports each of its steps on stdout and warns about optional
    # packages it does not need here; neither means anything to our user.
    quiet = logging.getLogger("torch.onnx")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings(), \
                torch.no_grad():
            warnings.simplefilter("ignore")  # the exporter's own deprecations, not the user's
            program = torch.onnx.export(
                wrapper, (example,), input_names=[INPUT_NAME], output_names=outputs,
                dynamic_shapes={"images": {0: batch}}, dynamo=True, external_data=False,
                verbose=False)
    except Exception as error:  # noqa: BLE001 - the exporter fails in many ways; one line
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise ExportError(f"{checkpoint.arch} model: cannot be exported to ONNX ({first})") \
            from None
    finally:
        quiet.setLevel(level)
    proto = program.model_proto
    facts = {"digitpad.arch": checkpoint.arch,
             "digitpad.input": "float32 (N, 1, 28, 28), 0..1, ink = 1, MNIST-preprocessed",
             "digitpad.output": "probabilities of the digits 0-9 (N, 10)" + (
                 "; not_a_digit: probability of no digit at all (N,)" if len(outputs) > 1
                 else ""),
             "digitpad.temperature": str(checkpoint.calibration.get("temperature", 1.0))}
    # DigitPad's verdicts: "not a digit" from this not_a_digit, else "unsure" below
    # this top probability, else "a digit".
    for key, name in (("not_a_digit", "digitpad.not_a_digit_from"),
                      ("sure", "digitpad.sure_from")):
        value = checkpoint.calibration.get(key)
        if isinstance(value, (int, float)) and (key == "sure" or len(outputs) > 1):
            facts[name] = str(value)
    for key, value in facts.items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    atomic_write(path, proto.SerializeToString(), error=ExportError)
    return path
