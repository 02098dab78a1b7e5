"""Watching a network learn: its first filters, a probe digit's feature maps and
every layer's gradient norm, while it trains.

`LearningWatch.watched(events)` passes a training session's events on and
adds, between them, what the Trainer tab draws: a `LearningSnapshot` (the
first convolution's kernels and its maps of one fixed probe digit) after
every epoch and a few times in the first, when filters change fastest; and
`GradientNorms` (the tutorial's `conv1.bias.grad`, as one number per layer)
every few batches. It runs in the training thread between batches, so it
never reads the model while it changes; the work is small next to a batch.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from digitpad.inside.network import first_conv_kernels, inspect_image, layer_kind, leaf_modules
from trainer.digitset import DigitSet
from trainer.engine import BatchEnd, Engine, EpochEnd

# Points in the first epoch (fractions of it) after which a snapshot is taken too.
FIRST_EPOCH_POINTS = (0.05, 0.15, 0.35, 0.6)


@dataclass(frozen=True)
class LearningSnapshot:
    epochs: float  # how far training was, in epochs (1.0: after the first)
    kernels: np.ndarray | None  # the first convolution's filters (out, kh, kw)
    layer: str  # the layer whose maps of the probe are shown
    maps: np.ndarray | None  # its output for the probe digit (C, H, W)
    probe: np.ndarray  # the probe digit (28×28, 0..1)


@dataclass(frozen=True)
class GradientNorms:
    epochs: float
    norms: dict[str, float]  # layer name → L2 norm of its parameters' gradients
    # layer name → "conv" or "linear", in the network's order (for short names on screen)
    kinds: dict[str, str] = field(default_factory=dict)


def gradient_norms(model: nn.Module) -> dict[str, float]:
    """Each convolution and fully connected layer: the norm of all its gradients
    together (batch norms are left out: a dozen curves would be too many to read)."""
    norms = {}
    for name, module in _weighted_layers(model):
        grads = [p.grad for p in module.parameters(recurse=False) if p.grad is not None]
        if grads:
            norms[name] = float(torch.linalg.vector_norm(
                torch.stack([torch.linalg.vector_norm(g) for g in grads])))
    return norms


def weighted_layer_kinds(model: nn.Module) -> dict[str, str]:
    """The layers gradient_norms measures, in the network's order: name → kind."""
    return {name: layer_kind(module) for name, module in _weighted_layers(model)}


def _weighted_layers(model: nn.Module) -> list[tuple[str, nn.Module]]:
    return [(name, module) for name, module in leaf_modules(model)
            if layer_kind(module) in ("conv", "linear")]


def look_at_probe(model: nn.Module, probe: np.ndarray, epochs: float) -> LearningSnapshot:
    """The first convolution's kernels and maps of the probe, read in eval mode;
    every layer's own mode (a frozen batch norm stays frozen) is put back after."""
    modes = [(module, module.training) for module in model.modules()]
    model.eval()
    try:
        seen = inspect_image(model, probe)
    finally:
        for module, training in modes:
            module.training = training
    convs = seen.conv_layers()
    layer = convs[0].name if convs else ""
    return LearningSnapshot(epochs, first_conv_kernels(model), layer,
                            seen.activations[layer] if layer else None, probe)


def probe_digit(data: DigitSet) -> np.ndarray:
    """The digit watched all run long: the set's first image (MNIST test's is a 7)."""
    return data.images[0].numpy().astype(np.float32) / 255


class LearningWatch:
    def __init__(self, probe: np.ndarray, *, gradient_every: int = 10) -> None:
        self.probe = np.asarray(probe, np.float32)
        self.gradient_every = max(1, gradient_every)
        self._engine: Engine | None = None
        self._batches = 0
        self._norms: dict[str, float] | None = None
        self._kinds: dict[str, str] = {}
        self._first_epoch_points: list[float] = list(FIRST_EPOCH_POINTS)

    def attach(self, engine: Engine) -> None:
        self._engine = engine
        # At least about twenty points an epoch, even for a short run.
        self.gradient_every = min(self.gradient_every, max(1, engine.steps_per_epoch // 20))
        engine.after_backward = self._after_backward
        self._kinds = weighted_layer_kinds(engine.model)

    def _after_backward(self, model: nn.Module) -> None:
        if self._batches % self.gradient_every == 0:
            self._norms = gradient_norms(model)
        self._batches += 1

    def start(self) -> LearningSnapshot:
        """The untrained filters (or those a resumed or fine-tuned run starts from)."""
        return look_at_probe(self._engine.model, self.probe, float(self._engine.epoch))

    def watched(self, events: Generator) -> Generator:
        """`events` passed on, with snapshots and gradient norms added; returns what
        `events` returns."""
        try:
            yield self.start()
            while True:
                try:
                    event = next(events)
                except StopIteration as end:
                    return end.value
                yield event
                yield from self._extras(event)
        finally:
            events.close()

    def _extras(self, event: object) -> Iterator[LearningSnapshot | GradientNorms]:
        model = self._engine.model
        if isinstance(event, BatchEnd):
            done = event.epoch - 1 + event.batch / event.batches
            if self._norms is not None:
                yield GradientNorms(done, self._norms, self._kinds)
                self._norms = None
            fraction = event.batch / event.batches
            due = [p for p in self._first_epoch_points if p <= fraction]
            if event.epoch == 1 and due and event.batch < event.batches:
                self._first_epoch_points = [p for p in self._first_epoch_points if p > fraction]
                yield look_at_probe(model, self.probe, done)
        elif isinstance(event, EpochEnd):
            yield look_at_probe(model, self.probe, float(event.epoch))
