"""Data augmentation suited to hand drawing, applied to whole batches at once.

People draw digits tilted, slanted, off-centre, large or small, with thin or
fat pens. Each image of a batch gets its own random affine transform (rotation,
scale, shear, shift) and a random change of stroke thickness. Everything runs
as a few tensor operations on the batch, so it costs little next to the model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch.nn import functional as F


@dataclass(frozen=True)
class Augmentation:
    rotation_degrees: float = 12.0
    scale: tuple[float, float] = (0.85, 1.12)
    aspect: tuple[float, float] = (0.85, 1.15)
    shear: float = 0.25
    shift_pixels: float = 2.5
    thicken_probability: float = 0.3
    thin_probability: float = 0.2


def _uniform(n: int, low: float, high: float, generator: torch.Generator) -> torch.Tensor:
    return torch.rand(n, generator=generator) * (high - low) + low


def random_affine(batch: int, aug: Augmentation, generator: torch.Generator) -> torch.Tensor:
    """A (batch, 2, 3) matrix per image, mapping output to input coordinates."""
    angle = _uniform(batch, -1, 1, generator) * math.radians(aug.rotation_degrees)
    scale = _uniform(batch, *aug.scale, generator)
    aspect = _uniform(batch, *aug.aspect, generator)
    shear = _uniform(batch, -aug.shear, aug.shear, generator)
    # Shifts are in pixels; affine_grid works in [-1, 1], i.e. 14 px per unit.
    shift = _uniform(2 * batch, -1, 1, generator).view(batch, 2) * aug.shift_pixels / 14.0
    cos, sin = torch.cos(angle), torch.sin(angle)
    sx, sy = 1 / (scale * aspect.sqrt()), aspect.sqrt() / scale
    theta = torch.zeros(batch, 2, 3)
    theta[:, 0, 0] = cos * sx
    theta[:, 0, 1] = -sin * sy + shear * sx
    theta[:, 1, 0] = sin * sx
    theta[:, 1, 1] = cos * sy
    theta[:, :, 2] = shift
    return theta


def change_thickness(
    x: torch.Tensor, aug: Augmentation, generator: torch.Generator
) -> torch.Tensor:
    """Blend each image towards its dilation (fatter) or erosion (thinner)."""
    n = x.shape[0]
    # Drawn by the generator, which lives on the CPU, and then moved to the batch.
    choice = torch.rand(n, generator=generator).to(x.device)
    amount = torch.rand(n, generator=generator).view(n, 1, 1, 1).to(x.device, x.dtype)
    thicker = F.max_pool2d(x, 3, stride=1, padding=1)
    thinner = -F.max_pool2d(-x, 3, stride=1, padding=1)
    thick_mask = (choice < aug.thicken_probability).view(n, 1, 1, 1).to(x.dtype)
    thin_mask = (
        ((choice >= aug.thicken_probability)
         & (choice < aug.thicken_probability + aug.thin_probability))
        .view(n, 1, 1, 1)
        .to(x.dtype)
    )
    # Never erode all the way: MNIST strokes are only 2-3 px wide.
    x = x + thick_mask * amount * (thicker - x) + thin_mask * 0.6 * amount * (thinner - x)
    return x


def augment(x: torch.Tensor, aug: Augmentation, generator: torch.Generator) -> torch.Tensor:
    """Augment a batch of images (B, 1, 28, 28) with values in 0..1 (ink = 1)."""
    x = change_thickness(x, aug, generator)
    theta = random_affine(x.shape[0], aug, generator).to(x.device, x.dtype)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
