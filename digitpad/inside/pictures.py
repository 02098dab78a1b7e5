"""Layer outputs, kernels and saliency as greyscale pictures (uint8 arrays).

The same tiling serves the PNGs of `digitpad inspect` and the Inside view, so
a map in the window and in a file look alike. Each map is scaled on its own
(its smallest value black, its largest white), because a learner looks for the
pattern in each map; a map that is nearly flat compared with the rest of its
layer stays dark instead of showing amplified noise.
"""

from __future__ import annotations

import math

import numpy as np

GAP = 1  # pixels between tiles


def grid_shape(count: int) -> tuple[int, int]:
    """(rows, columns) of a near-square grid for `count` tiles, wider than tall."""
    columns = max(1, math.ceil(math.sqrt(count)))
    return math.ceil(count / columns), columns


def as_maps(activation: np.ndarray) -> np.ndarray:
    """Any layer output as a stack of 2-D maps (C, H, W): a vector of N values
    becomes N maps of 1×1 pixel."""
    if activation.ndim == 3:
        return activation
    return activation.reshape(-1, 1, 1)


def scale_each(maps: np.ndarray) -> np.ndarray:
    """Each map to 0..1 on its own; maps that barely vary (compared with the
    whole layer's range) are scaled by the layer's range instead."""
    maps = np.asarray(maps, np.float32)
    low = maps.min(axis=(1, 2), keepdims=True)
    span = maps.max(axis=(1, 2), keepdims=True) - low
    if maps.shape[1] * maps.shape[2] == 1:  # single values: compare across the layer
        low = np.full_like(low, maps.min())
        span = np.full_like(span, maps.max() - maps.min())
    floor = max(float(maps.max() - maps.min()), 1e-6) * 0.05
    return (maps - low) / np.maximum(span, floor)


def tile_positions(count: int, height: int, width: int) -> list[tuple[int, int]]:
    """Top-left (row, column) in pixels of each tile in the grid."""
    _, columns = grid_shape(count)
    return [((i // columns) * (height + GAP), (i % columns) * (width + GAP))
            for i in range(count)]


def tile(maps: np.ndarray, *, fill: float = 0.0) -> np.ndarray:
    """Maps (C, H, W) in 0..1 side by side in a near-square grid, float 0..1."""
    count, height, width = maps.shape
    rows, columns = grid_shape(count)
    # One copy into a padded stack, then a reshape: no loop over the maps (the live
    # view tiles every convolution's output for each pen event).
    cells = np.full((rows * columns, height + GAP, width + GAP), fill, np.float32)
    cells[:count, :height, :width] = maps
    grid = cells.reshape(rows, columns, height + GAP, width + GAP).transpose(0, 2, 1, 3)
    return grid.reshape(rows * (height + GAP), columns * (width + GAP))[:-GAP, :-GAP]


def tile_at(point: tuple[float, float], count: int, height: int, width: int) -> int | None:
    """Which tile (index) the pixel position (row, column) falls on, or None."""
    row, column = point
    if row < 0 or column < 0:
        return None
    _, columns = grid_shape(count)
    r, c = int(row // (height + GAP)), int(column // (width + GAP))
    if c >= columns or row % (height + GAP) >= height or column % (width + GAP) >= width:
        return None  # beside the grid, or on a gap between tiles
    index = r * columns + c
    return index if index < count else None


def layer_picture(activation: np.ndarray) -> np.ndarray:
    """A layer's output as one tiled picture, float 0..1."""
    return tile(scale_each(as_maps(activation)))


def kernels_picture(kernels: np.ndarray) -> np.ndarray:
    """The first convolution's filters, tiled; grey is zero, light positive, dark negative
    (one scale for all, so stronger filters look stronger)."""
    peak = max(float(np.abs(kernels).max()), 1e-12)
    return tile(0.5 + 0.5 * np.asarray(kernels, np.float32) / peak, fill=0.0)


def influence(saliency: np.ndarray) -> np.ndarray:
    """How much each pixel mattered, either way, as 0..1 (brighter = more influence)."""
    magnitude = np.abs(np.asarray(saliency, np.float32))
    return magnitude / max(float(magnitude.max()), 1e-12)


def to_uint8(picture: np.ndarray, scale: int = 1) -> np.ndarray:
    """0..1 float → uint8, each pixel repeated `scale` times both ways (no blurring)."""
    pixels = np.clip(np.rint(np.asarray(picture) * 255), 0, 255).astype(np.uint8)
    if scale > 1:
        pixels = np.repeat(np.repeat(pixels, scale, axis=0), scale, axis=1)
    return pixels


def picture_scale(picture: np.ndarray, smallest: int = 280, largest: int = 896) -> int:
    """An integer enlargement that makes a small picture easy to see in a file."""
    side = max(picture.shape)
    return max(1, min(largest // max(side, 1), math.ceil(smallest / max(side, 1))))
