"""Reading drawings with NumPy alone, while torch is still being imported.

Importing torch takes about a second, most of the time between the window
appearing and the first reading. The networks the window reads with are small
(digitnet: six 3×3 convolutions), so their forward pass is written here once
more in NumPy: each BatchNorm folded into its convolution (as
trainer/inference.py does for torch), each convolution one matrix product over
the 3×3 neighbourhoods. It gives the torch model's outputs to float rounding
(tests/trainer/test_numpy_model.py checks both architectures), so the window
reads with it until the torch model has loaded, then switches.

Only the evaluation-mode forward pass of digitnet and quicknet is here: no
training, no other architecture (`load_numpy_model` says so, and the caller
waits for torch).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from trainer.errors import CheckpointError
from trainer.model_file import (
    DIGITS,
    NOT_A_DIGIT,
    TRAINING_STATE_KEY,
    ModelFacts,
    first_line,
    model_facts,
    read_model_file,
    temperature,
)

# The same constants as trainer/models.py (which imports torch).
MNIST_MEAN = 0.1307
MNIST_STD = 0.3081
BATCHNORM_EPS = 1e-5  # nn.BatchNorm2d's default, which every model here uses
STAGES = {"digitnet": 3, "quicknet": 2}  # the architectures read here, and their stages
READABLE = tuple(STAGES)


class NumpyModel:
    """A digitnet or quicknet read with NumPy: `logits(images)` as the torch model's
    outputs (log-probabilities, up to a constant per row)."""

    def __init__(self, facts: ModelFacts, tensors: dict[str, np.ndarray]) -> None:
        self.facts = facts
        self._convs = _folded_convolutions(tensors)
        if len(self._convs) != STAGES[facts.arch]:
            raise ValueError(f"{len(self._convs)} stages of convolutions instead of "
                             f"{STAGES[facts.arch]}")
        # digitnet ends with a global average; quicknet flattens 7×7 maps into a hidden layer.
        self._hidden = None
        if facts.arch == "quicknet":
            self._hidden = (tensors["hidden.weight"].T.copy(), tensors["hidden.bias"])
        self._classifier = (tensors["classifier.weight"].T.copy(), tensors["classifier.bias"])

    @property
    def outputs(self) -> int:
        return self._classifier[0].shape[1]

    def logits(self, images: np.ndarray) -> np.ndarray:
        """(N, outputs) for N 28×28 images in 0..1 (ink = 1)."""
        x = np.asarray(images, np.float32).reshape(-1, 28, 28, 1)
        x = (x - np.float32(MNIST_MEAN)) / np.float32(MNIST_STD)
        last = len(self._convs) - 1
        for number, stage in enumerate(self._convs):
            for weight, bias in stage:
                x = _conv3x3_relu(x, weight, bias)
            if number < last or self._hidden is not None:
                x = _max_pool(x)
        if self._hidden is None:  # digitnet's last stage ends in a global average instead
            x = x.mean(axis=(1, 2))
        else:
            x = x.transpose(0, 3, 1, 2).reshape(len(x), -1)  # torch's (C, H, W) order
            x = np.maximum(x @ self._hidden[0] + self._hidden[1], 0)
        return x @ self._classifier[0] + self._classifier[1]

    def probabilities(self, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(digit probabilities (N, 10), not-a-digit probabilities (N,)), calibrated as
        trainer/calibration.py's digit_probabilities and not_a_digit_probability."""
        scaled = self.logits(images) / np.float32(temperature(self.facts))
        digits = _softmax(scaled[:, :DIGITS])
        if scaled.shape[1] <= DIGITS:
            return digits, np.zeros(len(scaled), np.float32)
        return digits, _softmax(scaled)[:, NOT_A_DIGIT]


def load_numpy_model(path: str | Path) -> NumpyModel:
    """Read a model file for NumPy; CheckpointError if it cannot be read, or not without
    torch (another architecture, or stages this module does not know)."""
    from safetensors.numpy import load as load_safetensors

    path = Path(path).expanduser()
    tensors, metadata = read_model_file(path, load_safetensors)
    facts = model_facts(metadata, path)
    if facts.arch not in READABLE:
        raise CheckpointError(f"{path}: a '{facts.arch}' model is read with torch only")
    tensors.pop(TRAINING_STATE_KEY, None)
    try:
        model = NumpyModel(facts, tensors)
        finite = all(np.isfinite(t).all() for t in tensors.values() if t.dtype.kind == "f")
        model.logits(np.zeros((1, 28, 28), np.float32))  # the shapes fit together
    except (KeyError, ValueError, IndexError) as error:
        raise CheckpointError(f"{path}: its weights do not fit the '{facts.arch}' architecture "
                              f"({first_line(error)})") from None
    if not finite:
        raise CheckpointError(f"{path}: its weights hold NaN or infinite values")
    return model


def _folded_convolutions(tensors: dict[str, np.ndarray]) -> list[list[tuple]]:
    """features.* as stages of (weight (9·C_in, C_out), bias) pairs, BatchNorm folded in.

    Both architectures are a Sequential of Conv→BatchNorm→ReLU blocks (keys
    features.<i>.0.weight and features.<i>.1.*) with one pooling layer after
    each stage (an index without weights)."""
    stages: list[list[tuple]] = [[]]
    index = 0
    while True:
        key = f"features.{index}"
        if f"{key}.0.weight" in tensors:
            stages[-1].append(_fold(tensors[f"{key}.0.weight"], tensors[f"{key}.1.weight"],
                                    tensors[f"{key}.1.bias"], tensors[f"{key}.1.running_mean"],
                                    tensors[f"{key}.1.running_var"]))
        elif stages[-1] and any(name.startswith(f"features.{index + 1}.") for name in tensors):
            stages.append([])  # a pooling layer between two stages
        else:
            break
        index += 1
    if not stages[-1]:
        raise ValueError("no convolutions")
    return stages


def _fold(conv: np.ndarray, scale: np.ndarray, shift: np.ndarray, mean: np.ndarray,
          var: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if conv.shape[2:] != (3, 3):
        raise ValueError(f"a {conv.shape[2]}×{conv.shape[3]} kernel")
    factor = scale / np.sqrt(var + np.float32(BATCHNORM_EPS))
    # (C_out, C_in, 3, 3) → (3, 3, C_in, C_out): the order of the neighbourhoods below.
    weight = (conv * factor[:, None, None, None]).transpose(2, 3, 1, 0)
    return (np.ascontiguousarray(weight.reshape(-1, conv.shape[0]), np.float32),
            (shift - mean * factor).astype(np.float32))


def _conv3x3_relu(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """A 3×3 convolution with zero padding 1 (x: N, H, W, C) and a ReLU."""
    n, h, w, c = x.shape
    padded = np.zeros((n, h + 2, w + 2, c), np.float32)
    padded[:, 1:-1, 1:-1] = x
    neighbourhoods = np.empty((n, h, w, 3, 3, c), np.float32)
    for dy in range(3):
        for dx in range(3):
            neighbourhoods[:, :, :, dy, dx] = padded[:, dy:dy + h, dx:dx + w]
    out = neighbourhoods.reshape(n * h * w, 9 * c) @ weight
    out += bias
    return np.maximum(out, 0, out=out).reshape(n, h, w, -1)


def _max_pool(x: np.ndarray) -> np.ndarray:
    """2×2 max pooling (odd sizes lose their last row and column, as in torch)."""
    n, h, w, c = x.shape
    x = x[:, : h - h % 2, : w - w % 2]
    return x.reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)
