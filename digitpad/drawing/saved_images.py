"""The drawing as PNG files: as drawn, and as the 28×28 the network read.

What the Draw tab's File menu saves. The drawing is rendered from its strokes
(never from screen pixels) as dark ink on white paper, in the pad's proportions;
`digitpad predict` reads such a file back as the same digit. The network's input
is saved the way MNIST stores digits: white ink on black, 28×28, each pixel the
input value × 255.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

from digitpad.drawing.preprocess import preprocess
from digitpad.drawing.strokes import Stroke, render_strokes
from digitpad.errors import ImageError
from trainer.files import atomic_write


def drawing_image(strokes: Sequence[Stroke], canvas_size: tuple[float, float]) -> np.ndarray:
    """The drawing at one pixel per drawing unit, dark ink on white (uint8, H×W)."""
    width, height = canvas_size
    side = max(1, round(max(width, height)))
    ink = render_strokes(strokes, canvas_size, side=side)
    return 255 - ink[:max(1, round(height)), :max(1, round(width))]


def network_input_image(strokes: Sequence[Stroke],
                        canvas_size: tuple[float, float]) -> np.ndarray | None:
    """The 28×28 input the network reads for this drawing (uint8, ink white); None if blank."""
    processed = preprocess(render_strokes(strokes, canvas_size))
    if processed is None:
        return None
    return np.rint(processed.image * 255).astype(np.uint8)


def write_png(path: str | Path, image: np.ndarray) -> Path:
    """Write a grey uint8 image as a PNG file, atomically; ImageError naming the file."""
    path = Path(path)
    ok, encoded = cv2.imencode(".png", np.ascontiguousarray(image, np.uint8))
    if not ok:
        raise ImageError(f"{path}: cannot be written as PNG")
    atomic_write(path, encoded.tobytes(), error=ImageError)
    return path
