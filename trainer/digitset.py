"""Digits as tensors: the form the engine trains and evaluates on."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from trainer.errors import DataError


@dataclass(frozen=True)
class DigitSet:
    """Images (N, 28, 28) uint8 with ink high, and their labels (N,) int64."""

    images: torch.Tensor
    labels: torch.Tensor

    def __post_init__(self) -> None:
        if self.images.dtype != torch.uint8 or self.images.shape[1:] != (28, 28):
            raise DataError(f"images must be uint8 N×28×28, got {self.images.dtype} "
                            f"{tuple(self.images.shape)}")
        if len(self.images) != len(self.labels):
            raise DataError(f"{len(self.images)} images but {len(self.labels)} labels")

    @classmethod
    def from_numpy(cls, images: np.ndarray, labels: np.ndarray) -> DigitSet:
        return cls(torch.from_numpy(np.ascontiguousarray(images, dtype=np.uint8)),
                   torch.from_numpy(np.ascontiguousarray(labels, dtype=np.int64)))

    def __len__(self) -> int:
        return len(self.labels)

    def __add__(self, other: DigitSet) -> DigitSet:
        return DigitSet(torch.cat([self.images, other.images]),
                        torch.cat([self.labels, other.labels]))

    def subset(self, indices) -> DigitSet:
        index = torch.as_tensor(indices, dtype=torch.long)
        return DigitSet(self.images[index], self.labels[index])


def mnist_sets(mnist) -> tuple[DigitSet, DigitSet]:
    """The (train, test) DigitSets of a loaded `Mnist`."""
    return (DigitSet.from_numpy(mnist.train_images, mnist.train_labels),
            DigitSet.from_numpy(mnist.test_images, mnist.test_labels))


def as_float(images: torch.Tensor) -> torch.Tensor:
    """uint8 (B, 28, 28) → float (B, 1, 28, 28) in 0..1, the models' input."""
    return images.unsqueeze(1).float().div_(255)
