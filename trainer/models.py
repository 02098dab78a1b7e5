"""The networks DigitPad can train, by name, in one registry.

Every model takes a batch of 28×28 images with values in 0..1 (ink = 1) and
returns log-probabilities over the ten digits; a DigitNet made with
`outputs=11` adds an eleventh, "not a digit" (trainer/calibration.py reads
it). Normalising with MNIST's mean and standard deviation happens inside the
model, so callers never need to know the constants.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import torch
from torch import nn
from torch.nn import functional as F

from trainer.errors import ConfigError

MNIST_MEAN = 0.1307
MNIST_STD = 0.3081
# The ten digits, or the ten digits and "not a digit".
OUTPUTS = (10, 11)


class Seed(nn.Module):
    """The classic tutorial network (pytorch/examples' first MNIST model).

    conv 1→c1 (5×5), max-pool 2, ReLU; conv c1→c2 (5×5) with channel dropout,
    max-pool 2, ReLU; flatten; linear →hidden, ReLU, dropout; linear →10.
    """

    def __init__(self, channels1: int = 10, channels2: int = 20, hidden: int = 50) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, channels1, kernel_size=5)
        self.conv2 = nn.Conv2d(channels1, channels2, kernel_size=5)
        self.conv2_drop = nn.Dropout2d()
        self.flat_features = channels2 * 4 * 4
        self.fc1 = nn.Linear(self.flat_features, hidden)
        self.fc2 = nn.Linear(hidden, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = (x - MNIST_MEAN) / MNIST_STD
        x = F.relu(F.max_pool2d(self.conv1(x), 2))
        x = F.relu(F.max_pool2d(self.conv2_drop(self.conv2(x)), 2))
        x = x.flatten(1)
        x = F.relu(self.fc1(x))
        x = F.dropout(x, training=self.training)
        return F.log_softmax(self.fc2(x), dim=1)


def _conv_bn(inputs: int, outputs: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(inputs, outputs, kernel_size=3, padding=1, bias=False),
        nn.BatchNorm2d(outputs),
        nn.ReLU(inplace=True),
    )


class DigitNet(nn.Module):
    """Our default: a small batch-normalised VGG-style CNN.

    Two 3×3 convolutions per resolution (28, 14, 7) and global average pooling
    keep it small and quick on a laptop CPU, while reading drawn digits (which
    vary more than MNIST) well; bench/model_figures.py and
    bench/inference_latency.py measure it.
    """

    def __init__(self, width: int = 32, depth: int = 2, dropout: float = 0.2,
                 outputs: int = 10) -> None:
        super().__init__()
        if width < 1 or depth < 1:
            raise TypeError("width and depth must be at least 1")
        if outputs not in OUTPUTS:
            raise TypeError("outputs must be 10 (the digits) or 11 (and \"not a digit\")")
        layers: list[nn.Module] = []
        inputs = 1
        for stage, channels in enumerate((width, 2 * width, 4 * width)):
            for _ in range(depth):
                layers.append(_conv_bn(inputs, channels))
                inputs = channels
            layers.append(nn.MaxPool2d(2) if stage < 2 else nn.AdaptiveAvgPool2d(1))
        self.features = nn.Sequential(*layers)
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Linear(inputs, outputs)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = (x - MNIST_MEAN) / MNIST_STD
        x = self.features(x).flatten(1)
        return F.log_softmax(self.classifier(self.dropout(x)), dim=1)


class QuickNet(nn.Module):
    """Two batch-normalised convolutions and a small classifier: quick to train
    (bench/time_to_99.py), for experiments where time matters more than the last
    fraction of a percent."""

    def __init__(self, channels1: int = 16, channels2: int = 32, hidden: int = 128) -> None:
        super().__init__()
        self.features = nn.Sequential(
            _conv_bn(1, channels1), nn.MaxPool2d(2), _conv_bn(channels1, channels2), nn.MaxPool2d(2)
        )
        self.hidden = nn.Linear(channels2 * 7 * 7, hidden)
        self.classifier = nn.Linear(hidden, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = (x - MNIST_MEAN) / MNIST_STD
        x = F.relu(self.hidden(self.features(x).flatten(1)))
        return F.log_softmax(self.classifier(x), dim=1)


def _seed_wide(channels1: int = 32, channels2: int = 64, hidden: int = 100) -> Seed:
    return Seed(channels1, channels2, hidden)


ARCHITECTURES: dict[str, Callable[..., nn.Module]] = {
    "seed": Seed,
    "seed-wide": _seed_wide,
    "digitnet": DigitNet,
    "quicknet": QuickNet,
}
# The size parameters of the architectures above, and the most each may be: far
# beyond what digits need, well short of exhausting a laptop's memory. The least
# is always 1.
SIZE_LIMITS = {"channels1": 1024, "channels2": 1024, "hidden": 4096, "width": 256, "depth": 16}


def size_defaults(arch: str) -> dict[str, int]:
    """The size parameters `arch` has, each with the value build_model gives it when unset."""
    # Read from the constructor itself, so a default is written in one place only.
    parameters = inspect.signature(ARCHITECTURES[arch]).parameters
    return {name: p.default for name, p in parameters.items() if name in SIZE_LIMITS}


def build_model(arch: str, **params) -> nn.Module:
    """Make an untrained model by registry name, with optional size parameters."""
    try:
        factory = ARCHITECTURES[arch]
    except KeyError:
        raise ConfigError(
            f"unknown architecture '{arch}' (choose from {', '.join(ARCHITECTURES)})"
        ) from None
    check_arch_params(arch, params)
    try:
        return factory(**params)
    except (TypeError, ValueError, RuntimeError) as error:
        raise ConfigError(f"bad parameters for '{arch}': {error}") from None


def check_arch_params(arch: str, params: dict) -> None:
    """Refuse sizes that torch would accept only to fail later, or to exhaust the memory."""
    for name in sorted(SIZE_LIMITS.keys() & params.keys()):
        value, most = params[name], SIZE_LIMITS[name]
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= most:
            raise ConfigError(
                f"bad parameters for '{arch}': {name} must be a whole number "
                f"from 1 to {most}, got {value!r}"
            )


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
